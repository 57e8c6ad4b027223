import { settledBalance } from "@junction/db";
import { startOfUtcDay, startOfUtcMonth } from "../queries/periods";
import { spendWindow } from "../queries/spend-window";
import { spendSeries, spendSince } from "../queries/usage";
import { spendChartInput } from "../schemas";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const overviewRouter = createTRPCRouter({
  /** The numbers at the top of the overview, plus what the empty states need to know. */
  summary: viewerProcedure.query(async ({ ctx }) => {
    const organizationId = ctx.tenant.organizationId;
    const now = new Date();
    const [balance, today, month, activeKeys, anyRequest] = await Promise.all([
      settledBalance(ctx.db, organizationId),
      spendSince(ctx.db, organizationId, startOfUtcDay(now)),
      spendSince(ctx.db, organizationId, startOfUtcMonth(now)),
      ctx.db.apiKey.count({
        where: { organizationId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      }),
      ctx.db.generation.findFirst({ where: { organizationId }, select: { id: true } }),
    ]);
    return {
      balance,
      today,
      month,
      activeKeys,
      hasRequests: anyRequest !== null,
      gatewayUrl: ctx.gatewayUrl,
    };
  }),

  /** Spend per hour (24 h) or UTC day, stacked by model, API key or provider, from the rollups. */
  spend: viewerProcedure.input(spendChartInput).query(async ({ ctx, input }) => {
    const window = spendWindow(input, new Date());
    const data = await spendSeries(ctx.db, ctx.tenant.organizationId, window, input.groupBy);
    return { ...data, window, groupBy: input.groupBy };
  }),
});
