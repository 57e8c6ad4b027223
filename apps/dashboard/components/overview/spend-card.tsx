import { OTHER_MODELS } from "@junction/api";
import { nanoToUsdNumber } from "@junction/core";
import { Card, EmptyState } from "@junction/ui";
import { ActivityIcon } from "@/components/icons";
import { count, dayLabel, usd } from "@/lib/format";
import type { ServerApi } from "@/lib/trpc/server";
import { CostChart, type CostChartDay } from "./cost-chart";
import { RangeTabs } from "./range-tabs";
import { seriesColor } from "./series-colors";

type CostByDay = Awaited<ReturnType<ServerApi["overview"]["costByDay"]>>;

/** Spend by day and model, with the period's top models beside the chart. */
export function SpendCard({
  data,
  range,
  ranges,
}: {
  data: CostByDay;
  range: number;
  ranges: readonly number[];
}) {
  const days: CostChartDay[] = data.daily.map((day) => ({
    label: dayLabel(day.day),
    values: Object.fromEntries(
      Object.entries(day.byModel).map(([name, nano]) => [name, nanoToUsdNumber(nano)]),
    ),
    display: Object.fromEntries(Object.entries(day.byModel).map(([name, nano]) => [name, usd(nano)])),
    total: usd(day.total),
    requests: day.requests,
  }));
  const total = data.models.reduce((sum, model) => sum + model.cost, 0n);
  const requests = data.models.reduce((sum, model) => sum + model.requests, 0);

  return (
    <Card padding="none">
      <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-100 px-6 py-5">
        <div>
          <h2 className="text-base font-semibold text-slate-900">Spend by model</h2>
          <p className="mt-1 text-sm text-slate-500">
            <span className="font-mono font-medium text-slate-900" data-testid="range-spend">
              {usd(total)}
            </span>{" "}
            over {count(requests)} request{requests === 1 ? "" : "s"} in the last {range} days (UTC)
          </p>
        </div>
        <RangeTabs current={range} ranges={ranges} basePath="/overview" />
      </div>
      {data.models.length === 0 ? (
        <div className="p-6">
          <EmptyState
            icon={<ActivityIcon />}
            title="No spend in this period"
            description="Costs appear here a few seconds after your first request through the gateway."
          />
        </div>
      ) : (
        <div className="grid grid-cols-1 gap-6 p-6 xl:grid-cols-[minmax(0,1fr)_18rem]">
          <CostChart days={days} series={data.series} />
          <div>
            <h3 className="text-xs font-medium tracking-wide text-slate-500 uppercase">Top models</h3>
            <ul className="mt-3 divide-y divide-slate-100">
              {data.models.slice(0, 6).map((model) => {
                const index = data.series.indexOf(model.model);
                const color = seriesColor(
                  index === -1 ? data.series.length : index,
                  index === -1 ? OTHER_MODELS : model.model,
                );
                return (
                  <li key={model.model} className="flex items-center justify-between gap-3 py-2.5 text-sm">
                    <span className="flex min-w-0 items-center gap-2">
                      <span className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: color }} />
                      <span className="truncate text-slate-700" title={model.model}>
                        {model.model}
                      </span>
                    </span>
                    <span className="shrink-0 text-right">
                      <span className="block font-mono text-slate-900">{usd(model.cost)}</span>
                      <span className="block text-xs text-slate-500">{count(model.requests)} req</span>
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
