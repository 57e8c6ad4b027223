import { JunctionError } from "@junction/core";
import { settledBalance } from "@junction/db";
import { publishKeyRevoked } from "@junction/queue";
import { z } from "zod";
import { writeAudit } from "../audit";
import { createTRPCRouter, ownerProcedure } from "../trpc";

/**
 * Deleting an organization (owners only, confirmed by typing its name). It stops working at once: every API key,
 * provider key and custom endpoint is revoked (keys announced to the gateways), pending invitations and auto top-up
 * end, and every membership is removed so nobody can open it again. The ledger, invoices, receipts and audit log
 * stay in the database for accounting; the remaining balance is forfeited, not refunded.
 */
export const organizationRouter = createTRPCRouter({
  delete: ownerProcedure
    .input(z.strictObject({ confirmName: z.string().max(200) }))
    .mutation(async ({ ctx, input }) => {
      const organizationId = ctx.tenant.organizationId;
      const organization = await ctx.db.organization.findUniqueOrThrow({
        where: { id: organizationId },
        select: { name: true },
      });
      if (input.confirmName.trim() !== organization.name) {
        throw new JunctionError("bad_request", "Type the organization’s name exactly to confirm", {
          param: "confirmName",
        });
      }
      const now = new Date();
      const balance = await settledBalance(ctx.db, organizationId);
      const revokedKeys = await ctx.db.$transaction(async (tx) => {
        const keys = await tx.apiKey.updateManyAndReturn({
          where: { organizationId, revokedAt: null },
          data: { revokedAt: now },
          select: { keyHash: true },
        });
        await tx.providerCredential.updateMany({
          where: { organizationId, revokedAt: null },
          data: { revokedAt: now },
        });
        await tx.customEndpoint.updateMany({
          where: { organizationId, revokedAt: null },
          data: { revokedAt: now },
        });
        await tx.invitation.updateMany({
          where: { organizationId, acceptedAt: null, revokedAt: null },
          data: { revokedAt: now },
        });
        await tx.organization.update({
          where: { id: organizationId },
          data: { autoTopUpThreshold: null, autoTopUpAmount: null },
        });
        await writeAudit(tx, {
          organizationId,
          actorUserId: ctx.tenant.userId,
          action: "organization.delete",
          targetType: "organization",
          targetId: organizationId,
          metadata: {
            name: organization.name,
            forfeitedBalanceNano: balance.toString(),
            revokedKeys: keys.length,
          },
          ip: ctx.ip,
        });
        await tx.membership.deleteMany({ where: { organizationId } });
        return keys;
      });
      // The database is the truth; a lost announcement only delays the gateways until their cache expires.
      await Promise.all(
        revokedKeys.map((key) =>
          publishKeyRevoked(ctx.redis, ctx.redisPrefix, key.keyHash).catch(() => undefined),
        ),
      );
      return { deleted: true as const, revokedKeys: revokedKeys.length, forfeitedBalance: balance };
    }),
});
