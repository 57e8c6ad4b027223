import { Badge, type BadgeTone, EmptyState, Table, TableHeader, TBody, TD, TR } from "@junction/ui";
import { ReceiptIcon } from "@/components/icons";
import { count, period, usd } from "@/lib/format";
import type { ServerApi } from "@/lib/trpc/server";

type Invoice = Awaited<ReturnType<ServerApi["billing"]["invoices"]>>[number];
type Report = Awaited<ReturnType<ServerApi["billing"]["reports"]>>[number];

const STATUS: Record<Invoice["status"], { label: string; tone: BadgeTone }> = {
  draft: { label: "Draft", tone: "warning" },
  finalized: { label: "Finalized", tone: "success" },
  void: { label: "Void", tone: "neutral" },
};

const linkClass = "font-medium text-indigo-600 dark:text-indigo-400 hover:text-indigo-500";

/** Monthly invoices and spend reports (built by the worker), with links to the dashboard's download routes. */
export function BillingDocuments({ invoices, reports }: { invoices: Invoice[]; reports: Report[] }) {
  return (
    <div className="grid grid-cols-1 gap-8 xl:grid-cols-2">
      <section aria-labelledby="invoices-heading">
        <h3 id="invoices-heading" className="mb-3 text-sm font-semibold text-slate-700 dark:text-slate-300">
          Invoices
        </h3>
        {invoices.length ? (
          <Table>
            <TableHeader
              columns={[
                "Number",
                "Period (UTC)",
                "Status",
                { label: "Total", className: "text-right" },
                { label: "Open", className: "text-right", srOnly: true },
              ]}
            />
            <TBody>
              {invoices.map((invoice) => (
                <TR key={invoice.id} data-testid="invoice-row">
                  <TD className="font-mono text-xs">
                    {invoice.number ?? <span className="text-slate-400">Not numbered yet</span>}
                  </TD>
                  <TD>{period(invoice.periodStart, invoice.periodEnd)}</TD>
                  <TD>
                    <Badge tone={STATUS[invoice.status].tone}>{STATUS[invoice.status].label}</Badge>
                  </TD>
                  <TD className="text-right tabular-nums">{usd(invoice.total)}</TD>
                  <TD className="text-right">
                    <a
                      href={`/api/invoices/${encodeURIComponent(invoice.id)}`}
                      target="_blank"
                      rel="noopener"
                      className={linkClass}
                    >
                      View
                    </a>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        ) : (
          <EmptyState
            icon={<ReceiptIcon />}
            title="No invoices yet"
            description="An invoice for each month's usage appears here after the month closes."
          />
        )}
      </section>

      <section aria-labelledby="reports-heading">
        <h3 id="reports-heading" className="mb-3 text-sm font-semibold text-slate-700 dark:text-slate-300">
          Spend reports
        </h3>
        {reports.length ? (
          <Table>
            <TableHeader
              columns={[
                "Period (UTC)",
                { label: "Requests", className: "text-right" },
                { label: "Total", className: "text-right" },
                { label: "Download", className: "text-right" },
              ]}
            />
            <TBody>
              {reports.map((report) => {
                const href = `/api/reports/${encodeURIComponent(report.id)}`;
                return (
                  <TR key={report.id} data-testid="report-row">
                    <TD>
                      <span className="mr-2 text-xs font-medium text-slate-500 dark:text-slate-400 capitalize">
                        {report.period}
                      </span>
                      {period(report.periodStart, report.periodEnd)}
                    </TD>
                    <TD className="text-right tabular-nums">{count(report.requests)}</TD>
                    <TD className="text-right tabular-nums">{usd(report.totalCost)}</TD>
                    <TD className="space-x-3 text-right">
                      <a href={`${href}?format=csv`} className={linkClass}>
                        CSV
                      </a>
                      <a href={`${href}?format=json`} className={linkClass}>
                        JSON
                      </a>
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        ) : (
          <EmptyState
            icon={<ReceiptIcon />}
            title="No spend reports yet"
            description="Daily and monthly reports of spend by model, provider and key appear here once the worker builds them."
          />
        )}
      </section>
    </div>
  );
}
