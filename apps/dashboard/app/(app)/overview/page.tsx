import { COST_RANGES } from "@junction/api/schemas";
import { formatUsd, usdToNano } from "@junction/core";
import { Stat } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { GettingStarted } from "@/components/overview/getting-started";
import { QuickstartCard } from "@/components/overview/quickstart-card";
import { SpendCard } from "@/components/overview/spend-card";
import { PageHeader } from "@/components/shell/page-header";
import { dashboardEnv } from "@/lib/env";
import { count, usd } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Overview" };

function rangeOf(value: string | string[] | undefined): (typeof COST_RANGES)[number] {
  const parsed = Number(Array.isArray(value) ? value[0] : value);
  return COST_RANGES.find((range) => range === parsed) ?? 30;
}

export default async function OverviewPage({ searchParams }: PageProps<"/overview">) {
  const range = rangeOf((await searchParams).range);
  const [summary, chart] = await Promise.all([
    load((api) => api.overview.summary()),
    load((api) => api.overview.costByDay({ days: range })),
  ]);
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
        <SpendCard data={chart} range={range} ranges={COST_RANGES} />
        <QuickstartCard gatewayUrl={summary.gatewayUrl} />
      </div>
    </>
  );
}
