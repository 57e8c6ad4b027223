import { OTHER_SERIES } from "@junction/api";
import type { SpendGroupOption, SpendRange } from "@junction/api/schemas";
import { nanoToUsdNumber } from "@junction/core";
import { Card, EmptyState } from "@junction/ui";
import { ActivityIcon } from "@/components/icons";
import { count, hourLabel, usd, utcDayLabel } from "@/lib/format";
import type { ServerApi } from "@/lib/trpc/server";
import { CostChart, type CostChartDay } from "./cost-chart";
import { CustomRangeForm } from "./custom-range-form";
import { LinkTabs } from "./range-tabs";
import { seriesColor } from "./series-colors";

type SpendData = Awaited<ReturnType<ServerApi["overview"]["spend"]>>;

const GROUP_LABELS: Record<SpendGroupOption, { tab: string; title: string; top: string }> = {
  model: { tab: "Model", title: "Spend by model", top: "Top models" },
  key: { tab: "API key", title: "Spend by API key", top: "Top keys" },
  provider: { tab: "Provider", title: "Spend by provider", top: "Top providers" },
};
const RANGE_LABELS: Record<SpendRange, string> = { "24h": "24h", "7d": "7d", "30d": "30d", custom: "Custom" };

export type SpendView = { range: SpendRange; groupBy: SpendGroupOption; from: string; to: string };

function hrefOf(view: SpendView, change: Partial<SpendView>): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams({ range: next.range, by: next.groupBy });
  if (next.range === "custom") {
    params.set("from", next.from);
    params.set("to", next.to);
  }
  return `/overview?${params}`;
}

function periodText(data: SpendData, view: SpendView): string {
  if (view.range === "24h") return "in the last 24 hours";
  if (view.range === "custom")
    return `from ${utcDayLabel(data.window.from)} to ${view.to === view.from ? utcDayLabel(data.window.from) : utcDayLabel(new Date(data.window.to.getTime() - 1))}`;
  return `in the last ${view.range === "7d" ? 7 : 30} days`;
}

/** Spend per hour or day, stacked by model, key or provider, with the period's largest groups beside the chart. */
export function SpendCard({ data, view }: { data: SpendData; view: SpendView }) {
  const labelOf = data.window.bucket === "hour" ? hourLabel : utcDayLabel;
  const days: CostChartDay[] = data.buckets.map((bucket) => ({
    label: labelOf(bucket.start),
    values: Object.fromEntries(
      Object.entries(bucket.bySeries).map(([id, nano]) => [id, nanoToUsdNumber(nano)]),
    ),
    display: Object.fromEntries(Object.entries(bucket.bySeries).map(([id, nano]) => [id, usd(nano)])),
    total: usd(bucket.total),
    requests: bucket.requests,
  }));
  const total = data.groups.reduce((sum, group) => sum + group.cost, 0n);
  const requests = data.groups.reduce((sum, group) => sum + group.requests, 0);
  const labels = GROUP_LABELS[view.groupBy];

  return (
    <Card padding="none">
      <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-100 px-4 py-5 sm:px-6 dark:border-slate-800">
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-slate-900 dark:text-white">{labels.title}</h2>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            <span className="font-mono font-medium text-slate-900 dark:text-white" data-testid="range-spend">
              {usd(total)}
            </span>{" "}
            over {count(requests)} request{requests === 1 ? "" : "s"} {periodText(data, view)} (UTC)
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <LinkTabs
            label="Group spend by"
            current={view.groupBy}
            items={(Object.keys(GROUP_LABELS) as SpendGroupOption[]).map((id) => ({
              id,
              label: GROUP_LABELS[id].tab,
              href: hrefOf(view, { groupBy: id }),
            }))}
          />
          <LinkTabs
            label="Date range"
            current={view.range}
            items={(Object.keys(RANGE_LABELS) as SpendRange[]).map((id) => ({
              id,
              label: RANGE_LABELS[id],
              href: hrefOf(view, { range: id }),
            }))}
          />
        </div>
      </div>
      {view.range === "custom" ? (
        <div className="border-b border-slate-100 px-4 py-3 sm:px-6 dark:border-slate-800">
          <CustomRangeForm groupBy={view.groupBy} from={view.from} to={view.to} />
        </div>
      ) : null}
      {data.groups.length === 0 ? (
        <div className="p-4 sm:p-6">
          <EmptyState
            icon={<ActivityIcon />}
            title="No spend in this period"
            description="Costs appear here a few seconds after your first request through the gateway."
          />
        </div>
      ) : (
        <div className="grid grid-cols-1 gap-6 p-4 sm:p-6 xl:grid-cols-[minmax(0,1fr)_18rem]">
          <CostChart days={days} series={data.series} />
          <div className="min-w-0">
            <h3 className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
              {labels.top}
            </h3>
            <ul className="mt-3 divide-y divide-slate-100 dark:divide-slate-800" data-testid="spend-groups">
              {data.groups.slice(0, 6).map((group) => {
                const index = data.series.findIndex((series) => series.id === group.id);
                const color = seriesColor(
                  index === -1 ? data.series.length : index,
                  index === -1 ? OTHER_SERIES : group.id,
                );
                return (
                  <li key={group.id} className="flex items-center justify-between gap-3 py-2.5 text-sm">
                    <span className="flex min-w-0 items-center gap-2">
                      <span className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: color }} />
                      <span className="truncate text-slate-700 dark:text-slate-300" title={group.label}>
                        {group.label}
                      </span>
                    </span>
                    <span className="shrink-0 text-right">
                      <span className="block font-mono text-slate-900 dark:text-white">
                        {usd(group.cost)}
                      </span>
                      <span className="block text-xs text-slate-500 dark:text-slate-400">
                        {count(group.requests)} req
                      </span>
                    </span>
                  </li>
                );
              })}
            </ul>
          </div>
        </div>
      )}
    </Card>
  );
}
