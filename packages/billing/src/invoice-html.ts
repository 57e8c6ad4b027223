import { formatUsd } from "@junction/core";

/** One invoice line: a model served by one provider during the period. */
export type InvoiceLineView = {
  modelId: string;
  providerId: string;
  requests: number;
  promptTokens: bigint;
  completionTokens: bigint;
  amount: bigint;
};

export type InvoiceView = {
  id: string;
  number: string | null;
  status: "draft" | "finalized" | "void";
  periodStart: Date;
  periodEnd: Date;
  total: bigint;
  finalizedAt: Date | null;
  createdAt: Date;
  organization: { id: string; name: string };
  lines: InvoiceLineView[];
};

export type InvoiceIssuer = { name: string; address?: string[]; email?: string };

const DEFAULT_ISSUER: InvoiceIssuer = { name: "Junction" };

function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const dateFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "long",
  day: "numeric",
  timeZone: "UTC",
});
const monthFormat = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "long", timeZone: "UTC" });

const count = (value: number | bigint): string => value.toLocaleString("en-US");

/** The last instant of the period as a date: a period ending at Dec 1 00:00 UTC is "through November 30". */
function lastDay(periodEnd: Date): Date {
  return new Date(periodEnd.getTime() - 1);
}

const STYLE = `
  :root { color-scheme: light; --ink: #111827; --muted: #6b7280; --rule: #e5e7eb; --accent: #4f46e5; }
  * { box-sizing: border-box; }
  body { margin: 0; background: #f3f4f6; color: var(--ink);
    font: 14px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  .sheet { max-width: 820px; margin: 32px auto; background: #fff; padding: 48px 56px; border-radius: 8px;
    box-shadow: 0 1px 3px rgb(0 0 0 / 0.08); }
  header { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px; }
  h1 { margin: 0; font-size: 28px; letter-spacing: -0.02em; }
  .issuer { color: var(--muted); text-align: right; }
  .issuer strong { color: var(--ink); font-size: 16px; }
  .meta { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; margin: 32px 0; padding: 16px 0;
    border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
  .meta dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
  .meta dd { margin: 2px 0 0; font-weight: 600; }
  .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 600;
    background: #fef3c7; color: #92400e; vertical-align: middle; margin-left: 8px; }
  .badge.finalized { background: #dcfce7; color: #166534; }
  .badge.void { background: #fee2e2; color: #991b1b; }
  table { width: 100%; border-collapse: collapse; }
  th { text-align: left; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em;
    padding: 8px; border-bottom: 1px solid var(--rule); }
  td { padding: 10px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
  .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .provider { color: var(--muted); font-size: 12px; }
  tfoot td { border-bottom: none; font-weight: 600; }
  tfoot .grand td { font-size: 18px; border-top: 2px solid var(--ink); }
  .note { margin-top: 32px; color: var(--muted); font-size: 12px; }
  .empty { color: var(--muted); text-align: center; padding: 24px; }
  @page { size: A4; margin: 16mm; }
  @media print {
    body { background: #fff; }
    .sheet { box-shadow: none; margin: 0; padding: 0; max-width: none; border-radius: 0; }
    tr { break-inside: avoid; }
    thead { display: table-header-group; }
  }
`;

/**
 * A self-contained, printable HTML invoice (no scripts, no external assets; inline CSS with print rules). Every
 * amount is formatted from bigint nano-USD by `formatUsd`; every user-supplied string is escaped.
 */
export function renderInvoiceHtml(invoice: InvoiceView, issuer: InvoiceIssuer = DEFAULT_ISSUER): string {
  const title = invoice.number ? `Invoice ${invoice.number}` : "Draft invoice";
  const statusLabel =
    invoice.status === "finalized" ? "Finalized" : invoice.status === "void" ? "Void" : "Draft";
  const rows = invoice.lines
    .map(
      (line) => `
        <tr>
          <td>${escapeHtml(line.modelId)}<div class="provider">via ${escapeHtml(line.providerId)}</div></td>
          <td class="num">${count(line.requests)}</td>
          <td class="num">${count(line.promptTokens)}</td>
          <td class="num">${count(line.completionTokens)}</td>
          <td class="num">${escapeHtml(formatUsd(line.amount))}</td>
        </tr>`,
    )
    .join("");
  const requests = invoice.lines.reduce((sum, line) => sum + line.requests, 0);
  const issuerLines = [issuer.name, ...(issuer.address ?? []), ...(issuer.email ? [issuer.email] : [])];
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} — ${escapeHtml(invoice.organization.name)}</title>
  <style>${STYLE}</style>
</head>
<body>
  <main class="sheet">
    <header>
      <div>
        <h1>${escapeHtml(title)}<span class="badge ${invoice.status}">${statusLabel}</span></h1>
        <div>Usage for ${escapeHtml(monthFormat.format(invoice.periodStart))}</div>
      </div>
      <div class="issuer">${issuerLines.map((line, index) => (index === 0 ? `<strong>${escapeHtml(line)}</strong>` : escapeHtml(line))).join("<br>")}</div>
    </header>
    <dl class="meta">
      <div><dt>Billed to</dt><dd>${escapeHtml(invoice.organization.name)}</dd>
        <div class="provider">${escapeHtml(invoice.organization.id)}</div></div>
      <div><dt>Period (UTC)</dt><dd>${escapeHtml(dateFormat.format(invoice.periodStart))} – ${escapeHtml(dateFormat.format(lastDay(invoice.periodEnd)))}</dd></div>
      <div><dt>${invoice.finalizedAt ? "Issued" : "Last updated"}</dt><dd>${escapeHtml(dateFormat.format(invoice.finalizedAt ?? invoice.createdAt))}</dd></div>
    </dl>
    <table>
      <thead>
        <tr><th>Model</th><th class="num">Requests</th><th class="num">Input tokens</th><th class="num">Output tokens</th><th class="num">Amount</th></tr>
      </thead>
      <tbody>${rows || `<tr><td class="empty" colspan="5">No usage in this period.</td></tr>`}</tbody>
      <tfoot>
        <tr><td>Requests</td><td class="num">${count(requests)}</td><td></td><td></td><td></td></tr>
        <tr class="grand"><td colspan="4">Total (USD)</td><td class="num">${escapeHtml(formatUsd(invoice.total))}</td></tr>
      </tfoot>
    </table>
    <p class="note">Charged against prepaid Junction credits; nothing further is due. Amounts are exact to the
      nano-dollar and rounded for display. ${invoice.status === "draft" ? "This draft is recomputed until it is finalized after the grace period." : ""}</p>
  </main>
</body>
</html>
`;
}
