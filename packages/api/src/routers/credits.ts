import { createTopUpCheckout } from "@junction/billing";
import { JunctionError } from "@junction/core";
import { settledBalance } from "@junction/db";
import { z } from "zod";
import { writeAudit } from "../audit";
import { hasRole } from "../roles";
import { usdAmountSchema } from "../schemas";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

const PAGE_SIZE = 50;

export const creditsRouter = createTRPCRouter({
  /** Balance = ledger sum minus the cost of requests the worker has not debited yet (what the gateway enforces). */
  summary: viewerProcedure.query(async ({ ctx }) => {
    const organizationId = ctx.tenant.organizationId;
    const [balance, pending] = await Promise.all([
      settledBalance(ctx.db, organizationId),
      ctx.db.generation.aggregate({
        where: { organizationId, ingestedAt: null },
        _sum: { cost: true },
        _count: true,
      }),
    ]);
    return {
      balance,
      pendingCost: pending._sum.cost ?? 0n,
      pendingRequests: pending._count,
      stripeConfigured: ctx.stripe !== null,
      canManageBilling: hasRole(ctx.tenant.role, "admin"),
    };
  }),

  ledger: viewerProcedure
    .input(z.object({ cursor: z.string().max(64).optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const organizationId = ctx.tenant.organizationId;
      if (input.cursor) {
        const own = await ctx.db.creditLedgerEntry.findFirst({
          where: { id: input.cursor, organizationId },
          select: { id: true },
        });
        if (!own) throw new JunctionError("not_found", "Ledger entry not found", { param: "cursor" });
      }
      const rows = await ctx.db.creditLedgerEntry.findMany({
        // $0 usage debits (refused and failed requests, free models) move no money; Activity lists those requests.
        where: { organizationId, NOT: { kind: "usage", amount: 0n } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: PAGE_SIZE + 1,
        ...(input.cursor && { cursor: { id: input.cursor }, skip: 1 }),
        select: {
          id: true,
          kind: true,
          amount: true,
          description: true,
          generationId: true,
          apiKeyId: true,
          createdAt: true,
        },
      });
      const items = rows.slice(0, PAGE_SIZE);
      return { items, nextCursor: rows.length > PAGE_SIZE ? (items.at(-1)?.id ?? null) : null };
    }),

  /**
   * Starts a Stripe top-up: a Checkout session for the caller's organization (never one named in the input); the
   * webhook credits the ledger when the payment succeeds. Billing is an admin's job; without STRIPE_SECRET_KEY
   * there is nothing to start.
   */
  createTopUp: adminProcedure
    .input(z.object({ amountUsd: usdAmountSchema }))
    .mutation(async ({ ctx, input }) => {
      if (!ctx.stripe) {
        throw new JunctionError(
          "service_unavailable",
          "Stripe is not configured on this deployment. Set STRIPE_SECRET_KEY to enable top-ups.",
        );
      }
      const base = ctx.dashboardUrl.replace(/\/+$/, "");
      const checkout = await createTopUpCheckout(ctx.db, ctx.stripe, {
        organizationId: ctx.tenant.organizationId,
        amountUsd: input.amountUsd,
        successUrl: `${base}/credits?topup=success`,
        cancelUrl: `${base}/credits?topup=cancelled`,
      });
      await writeAudit(ctx.db, {
        organizationId: ctx.tenant.organizationId,
        actorUserId: ctx.tenant.userId,
        action: "billing.top_up_started",
        targetType: "organization",
        targetId: ctx.tenant.organizationId,
        after: { amountUsd: input.amountUsd },
        ip: ctx.ip,
      });
      return { url: checkout.url };
    }),
});
