import { Badge, Table, TBody, TD, TH, THead, TR } from "@junction/ui";
import Link from "next/link";
import { count, duration, shortDateTime, usd } from "@/lib/format";
import type { ServerApi } from "@/lib/trpc/server";
import { StatusBadge } from "./status-badge";

type Row = Awaited<ReturnType<ServerApi["activity"]["list"]>>["items"][number];

/** One row per request; the time links to its detail (attempts, cost arithmetic, receipt). */
export function ActivityTable({ rows }: { rows: Row[] }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>Time (UTC)</TH>
          <TH>Model</TH>
          <TH>Provider</TH>
          <TH>Key</TH>
          <TH className="text-right">Tokens</TH>
          <TH className="text-right">Cost</TH>
          <TH>Status</TH>
          <TH className="text-right">Latency</TH>
          <TH>Stream</TH>
        </tr>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.id} data-testid="activity-row" data-generation-id={row.id} className="relative">
            <TD>
              <Link
                href={`/activity/${row.id}`}
                className="font-medium text-indigo-600 dark:text-indigo-400 after:absolute after:inset-0 hover:text-indigo-500"
              >
                {shortDateTime(row.createdAt)}
              </Link>
            </TD>
            <TD>
              <p className="font-medium text-slate-900 dark:text-white">
                {row.servedModel ?? row.requestedModel}
              </p>
              {row.servedModel && row.servedModel !== row.requestedModel ? (
                <p className="text-xs text-slate-500 dark:text-slate-400">requested {row.requestedModel}</p>
              ) : null}
            </TD>
            <TD>{row.providerId ?? <span className="text-slate-400">—</span>}</TD>
            <TD className="max-w-40 truncate">
              {row.apiKeyName ?? <span className="text-slate-400">—</span>}
            </TD>
            <TD className="text-right font-mono text-xs tabular-nums">
              {count(row.promptTokens)} <span className="text-slate-400">→</span>{" "}
              {count(row.completionTokens)}
              {row.usageEstimated ? (
                <span title="Counted by Junction: the provider reported no usage"> *</span>
              ) : null}
            </TD>
            <TD
              className="text-right font-mono text-slate-900 dark:text-white tabular-nums"
              data-testid="generation-cost"
            >
              {usd(row.cost)}
            </TD>
            <TD>
              <StatusBadge status={row.status} httpStatus={row.httpStatus} />
            </TD>
            <TD className="text-right tabular-nums">{duration(row.latencyMs)}</TD>
            <TD>
              {row.stream ? (
                <Badge tone="accent">Streamed</Badge>
              ) : (
                <span className="text-slate-400">No</span>
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
