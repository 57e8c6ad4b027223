import { createTRPCRouter, viewerProcedure } from "../trpc";

/** How many invoices / reports the Credits page lists (newest first): two years of monthly documents. */
const LIMIT = 24;

/** The tenant's billing documents (built by the worker); the downloads are served by the dashboard's routes. */
export const billingRouter = createTRPCRouter({
  invoices: viewerProcedure.query(({ ctx }) =>
    ctx.db.invoice.findMany({
      where: { organizationId: ctx.tenant.organizationId },
      orderBy: [{ periodStart: "desc" }, { id: "desc" }],
      take: LIMIT,
      select: {
        id: true,
        number: true,
        periodStart: true,
        periodEnd: true,
        status: true,
        total: true,
        finalizedAt: true,
      },
    }),
  ),

  reports: viewerProcedure.query(({ ctx }) =>
    ctx.db.spendReport.findMany({
      where: { organizationId: ctx.tenant.organizationId },
      orderBy: [{ periodStart: "desc" }, { id: "desc" }],
      take: LIMIT,
      select: {
        id: true,
        period: true,
        periodStart: true,
        periodEnd: true,
        totalCost: true,
        requests: true,
      },
    }),
  ),
});
