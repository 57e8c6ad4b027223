import { EmptyState, Stat } from "@junction/ui";
import type { Metadata } from "next";
import { BillingDocuments } from "@/components/credits/billing-documents";
import { LedgerTable } from "@/components/credits/ledger-table";
import { TopUpButton } from "@/components/credits/top-up-button";
import { WalletIcon } from "@/components/icons";
import { CursorPager } from "@/components/shell/cursor-pager";
import { PageHeader } from "@/components/shell/page-header";
import { count, usd } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Credits" };

export default async function CreditsPage({ searchParams }: PageProps<"/credits">) {
  const params = await searchParams;
  const first = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value[0] : value) || undefined;
  const cursor = first(params.cursor);
  const topUp = first(params.topup);
  const [summary, ledger, invoices, reports] = await Promise.all([
    load((api) => api.credits.summary()),
    load((api) => api.credits.ledger(cursor ? { cursor } : {})),
    load((api) => api.billing.invoices()),
    load((api) => api.billing.reports()),
  ]);

  return (
    <>
      <PageHeader
        title="Credits"
        description="Your balance is the sum of the ledger below, minus requests not yet billed. Requests are refused with 402 when it runs out."
        actions={
          summary.canManageBilling ? <TopUpButton stripeConfigured={summary.stripeConfigured} /> : null
        }
      />
      {topUp === "success" ? (
        <p
          role="status"
          className="mb-6 rounded-lg bg-emerald-50 dark:bg-emerald-950/40 px-4 py-3 text-sm text-emerald-900 dark:text-emerald-200 ring-1 ring-emerald-200 dark:ring-emerald-900"
        >
          Payment received. The credit appears in the ledger as soon as Stripe confirms it, usually within
          seconds.
        </p>
      ) : topUp === "cancelled" ? (
        <p
          role="status"
          className="mb-6 rounded-lg bg-slate-50 dark:bg-slate-950 px-4 py-3 text-sm text-slate-700 dark:text-slate-300 ring-1 ring-slate-200 dark:ring-slate-700"
        >
          Top-up cancelled. You were not charged.
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
        <Stat
          label="Available balance"
          value={<span data-testid="credits-balance">{usd(summary.balance)}</span>}
          detail="What new requests can spend"
        />
        <Stat
          label="Not yet billed"
          value={usd(summary.pendingCost)}
          detail={
            summary.pendingRequests
              ? `${count(summary.pendingRequests)} requests being settled`
              : "Everything is settled"
          }
        />
        <Stat
          label="Billing"
          value={summary.stripeConfigured ? "Stripe" : "Manual"}
          detail={summary.stripeConfigured ? "Card top-ups enabled" : "Stripe is not configured"}
        />
      </div>
      <h2 className="mt-10 mb-3 text-base font-semibold text-slate-900 dark:text-white">Ledger</h2>
      {ledger.items.length ? (
        <>
          <LedgerTable entries={ledger.items} />
          <CursorPager
            latestHref={cursor ? "/credits" : undefined}
            olderHref={ledger.nextCursor ? `/credits?cursor=${ledger.nextCursor}` : undefined}
          />
        </>
      ) : (
        <EmptyState
          icon={<WalletIcon />}
          title="No ledger entries yet"
          description="Top-ups, promotional credit and usage debits will be listed here."
        />
      )}
      <h2 className="mt-10 mb-3 text-base font-semibold text-slate-900 dark:text-white">
        Invoices &amp; reports
      </h2>
      <BillingDocuments invoices={invoices} reports={reports} />
    </>
  );
}
