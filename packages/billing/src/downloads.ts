import { isId } from "@junction/core";
import type { Db } from "@junction/db";
import { type InvoiceIssuer, renderInvoiceHtml } from "./invoice-html.js";
import {
  renderSpendReportCsv,
  renderSpendReportJson,
  spendReportDataSchema,
  spendReportFileName,
} from "./spend-report.js";

/** What a download route sends: body and headers, or null for "not found" (also: another organization's). */
export type Download = { body: string; headers: Record<string, string> };

/** Tenancy check supplied by the host (the dashboard asks @junction/api whether the user is a member). */
export type CanAccess = (organizationId: string) => Promise<boolean>;

const PRIVATE = { "cache-control": "private, no-store", "x-content-type-options": "nosniff" };

/**
 * A stored spend report as CSV or JSON. An id that does not exist and an id of an organization the caller cannot
 * access answer the same (null → 404), so ids of other tenants reveal nothing.
 */
export async function spendReportDownload(
  db: Db,
  input: { id: string; format: "csv" | "json"; canAccess: CanAccess },
): Promise<Download | null> {
  if (!isId("report", input.id)) return null;
  const report = await db.spendReport.findUnique({
    where: { id: input.id },
    select: { organizationId: true, data: true },
  });
  if (!report || !(await input.canAccess(report.organizationId))) return null;
  const data = spendReportDataSchema.parse(report.data);
  const csv = input.format === "csv";
  return {
    body: csv ? renderSpendReportCsv(data) : renderSpendReportJson(data),
    headers: {
      "content-type": csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${spendReportFileName(data, input.format)}"`,
      ...PRIVATE,
    },
  };
}

/** An invoice's printable HTML view (drafts too, marked as such); null when missing or not the caller's. */
export async function invoiceHtmlView(
  db: Db,
  input: { id: string; canAccess: CanAccess; issuer?: InvoiceIssuer },
): Promise<Download | null> {
  if (!isId("invoice", input.id)) return null;
  const invoice = await db.invoice.findUnique({
    where: { id: input.id },
    include: {
      lines: { orderBy: [{ amount: "desc" }, { modelId: "asc" }, { providerId: "asc" }] },
      organization: { select: { id: true, name: true } },
    },
  });
  if (!invoice || !(await input.canAccess(invoice.organizationId))) return null;
  return {
    body: renderInvoiceHtml(invoice, input.issuer),
    headers: {
      "content-type": "text/html; charset=utf-8",
      // Inline styles only: no scripts, no remote assets, not framed elsewhere.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
      ...PRIVATE,
    },
  };
}
