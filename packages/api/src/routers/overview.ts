import { settledBalance } from "@junction/db";
import { z } from "zod";
import { startOfUtcDay, startOfUtcMonth } from "../queries/periods";
import { costByDay, spendSince } from "../queries/usage";
import { COST_RANGES } from "../schemas";
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

  costByDay: viewerProcedure
    .input(z.object({ days: z.literal(COST_RANGES).default(30) }))
    .query(({ ctx, input }) => costByDay(ctx.db, ctx.tenant.organizationId, input.days, new Date())),
});
