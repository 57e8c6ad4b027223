import { Badge, type BadgeTone, cn, Table, TBody, TD, TH, THead, TR } from "@junction/ui";
import Link from "next/link";
import { dateTime, usd } from "@/lib/format";
import type { ServerApi } from "@/lib/trpc/server";

type Entry = Awaited<ReturnType<ServerApi["credits"]["ledger"]>>["items"][number];

const KIND: Record<Entry["kind"], { label: string; tone: BadgeTone }> = {
  topup: { label: "Top-up", tone: "success" },
  promotional: { label: "Promotional", tone: "accent" },
  usage: { label: "Usage", tone: "neutral" },
  refund: { label: "Refund", tone: "success" },
  adjustment: { label: "Adjustment", tone: "warning" },
};

/** The append-only credit ledger: every credit and debit, newest first. */
export function LedgerTable({ entries }: { entries: Entry[] }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>Date</TH>
          <TH>Type</TH>
          <TH>Description</TH>
          <TH>Reference</TH>
          <TH className="text-right">Amount</TH>
        </tr>
      </THead>
      <TBody>
        {entries.map((entry) => (
          <TR key={entry.id} data-testid="ledger-row">
            <TD>{dateTime(entry.createdAt)}</TD>
            <TD>
              <Badge tone={KIND[entry.kind].tone}>{KIND[entry.kind].label}</Badge>
            </TD>
            <TD className="max-w-72 truncate">
              {entry.description ?? <span className="text-slate-400">—</span>}
            </TD>
            <TD>
              {entry.generationId ? (
                <Link
                  href={`/activity/${entry.generationId}`}
                  className="font-mono text-xs text-indigo-600 dark:text-indigo-400 hover:text-indigo-500"
                >
                  {entry.generationId.slice(0, 14)}…
                </Link>
              ) : (
                <span className="text-slate-400">—</span>
              )}
            </TD>
            <TD
              className={cn(
                "text-right font-mono tabular-nums",
                entry.amount >= 0n
                  ? "text-emerald-700 dark:text-emerald-400"
                  : "text-slate-900 dark:text-white",
              )}
            >
              {entry.amount > 0n ? "+" : ""}
              {usd(entry.amount)}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
