import { SPEND_GROUPS, SPEND_RANGES, type SpendGroupOption, type SpendRange } from "@junction/api/schemas";
import { formatUsd, usdToNano } from "@junction/core";
import { Card, Stat } from "@junction/ui";
import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { FormError } from "@/components/forms/form-parts";
import { CustomRangeForm } from "@/components/overview/custom-range-form";
import { GettingStarted } from "@/components/overview/getting-started";
import { QuickstartCard } from "@/components/overview/quickstart-card";
import { SpendCard, type SpendView } from "@/components/overview/spend-card";
import { PageHeader } from "@/components/shell/page-header";
import { dashboardEnv } from "@/lib/env";
import { count, usd } from "@/lib/format";
import { load, type ServerApi } from "@/lib/trpc/server";

type ChartResult =
  | { ok: true; data: Awaited<ReturnType<ServerApi["overview"]["spend"]>> }
  | { ok: false; message: string };

/** A bad custom range (end before start, too long) is shown next to the date inputs, not as an error page. */
async function loadChart(view: SpendView): Promise<ChartResult> {
  try {
    return { ok: true, data: await load((api) => api.overview.spend(view)) };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "BAD_REQUEST")
      return { ok: false, message: error.message };
    throw error;
  }
}

export const metadata: Metadata = { title: "Overview" };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The chart's view from the URL (?range=24h|7d|30d|custom&from&to&by=model|key|provider); unknown values fall back. */
function viewOf(params: Record<string, string | string[] | undefined>): SpendView {
  const range = SPEND_RANGES.find((value) => value === first(params.range)) ?? ("30d" satisfies SpendRange);
  const groupBy =
    SPEND_GROUPS.find((value) => value === first(params.by)) ?? ("model" satisfies SpendGroupOption);
  const today = new Date();
  const to = first(params.to) ?? isoDay(today);
  const from = first(params.from) ?? isoDay(new Date(today.getTime() - 13 * 24 * 3_600_000));
  return { range, groupBy, from, to };
}

export default async function OverviewPage({ searchParams }: PageProps<"/overview">) {
  const view = viewOf(await searchParams);
  const [summary, chart] = await Promise.all([load((api) => api.overview.summary()), loadChart(view)]);
  const starterCredit = formatUsd(usdToNano(dashboardEnv().STARTER_CREDIT_USD));

  return (
    <>
      <PageHeader
        title="Overview"
        description="Balance, spend and requests for this organization. Amounts are exact to the nano-dollar."
      />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Link href="/credits" className="rounded-xl focus-visible:outline-2 focus-visible:outline-indigo-500">
          <Stat
            label="Credit balance"
            value={<span data-testid="balance">{usd(summary.balance)}</span>}
            detail="View ledger →"
            className="hover:border-indigo-300"
          />
        </Link>
        <Stat
          label="Spend today"
          value={<span data-testid="spend-today">{usd(summary.today.cost)}</span>}
          detail={`${count(summary.today.requests)} requests`}
        />
        <Stat
          label="Spend this month"
          value={usd(summary.month.cost)}
          detail={`${count(summary.month.requests)} requests`}
        />
        <Stat
          label="Requests this month"
          value={count(summary.month.requests)}
          detail={summary.month.errors ? `${count(summary.month.errors)} failed` : "No failures"}
        />
      </div>
      <div className="mt-6 space-y-6">
        {!summary.hasRequests ? (
          <GettingStarted
            hasKey={summary.activeKeys > 0}
            hasRequests={summary.hasRequests}
            starterCredit={starterCredit}
          />
        ) : null}
        {chart.ok ? (
          <SpendCard data={chart.data} view={view} />
        ) : (
          <Card>
            <FormError message={`Could not show that range: ${chart.message}`} />
            <div className="mt-4">
              <CustomRangeForm groupBy={view.groupBy} from={view.from} to={view.to} />
            </div>
          </Card>
        )}
        <QuickstartCard gatewayUrl={summary.gatewayUrl} />
      </div>
    </>
  );
}
