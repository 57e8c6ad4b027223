import { JunctionError } from "@junction/core";
import { saveProviderCredential } from "@junction/db";
import { z } from "zod";
import { writeAudit } from "../audit";
import { addProviderKeyInput } from "../schemas";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

/**
 * BYOK: the organization's own provider keys. Stored with the gateway's envelope encryption
 * (`saveProviderCredential`: AES-256-GCM data key wrapped by JUNCTION_KEKS, bound to organization + credential id);
 * only the label and last four characters are ever shown again. Gateways pick a change up within 30 s.
 */
export const providerKeysRouter = createTRPCRouter({
  list: viewerProcedure.query(async ({ ctx }) => {
    const [keys, providers] = await Promise.all([
      ctx.db.providerCredential.findMany({
        where: { organizationId: ctx.tenant.organizationId, revokedAt: null },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true, providerId: true, label: true, last4: true, createdAt: true },
      }),
      ctx.db.provider.findMany({
        where: { adapter: { not: "sandbox" } },
        orderBy: { name: "asc" },
        select: { id: true, name: true },
      }),
    ]);
    return { keys, providers, configured: ctx.keks !== null };
  }),

  add: adminProcedure.input(addProviderKeyInput).mutation(async ({ ctx, input }) => {
    if (!ctx.keks) {
      throw new JunctionError(
        "service_unavailable",
        "Provider keys cannot be stored: this deployment has no JUNCTION_KEKS key-encryption key configured.",
      );
    }
    const provider = await ctx.db.provider.findUnique({
      where: { id: input.providerId },
      select: { id: true },
    });
    if (!provider)
      throw new JunctionError("bad_request", "Choose a provider from the list", { param: "providerId" });
    const saved = await saveProviderCredential(ctx.db, ctx.keks, {
      organizationId: ctx.tenant.organizationId,
      providerId: provider.id,
      secret: input.secret,
      label: input.label || provider.id,
    });
    await writeAudit(ctx.db, {
      organizationId: ctx.tenant.organizationId,
      actorUserId: ctx.tenant.userId,
      action: "provider_key.create",
      targetType: "provider_credential",
      targetId: saved.id,
      metadata: { providerId: provider.id, last4: saved.last4 },
      ip: ctx.ip,
    });
    return { id: saved.id, providerId: provider.id, last4: saved.last4 };
  }),

  revoke: adminProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const key = await ctx.db.providerCredential.findFirst({
        where: { id: input.id, organizationId: ctx.tenant.organizationId },
        select: { id: true, revokedAt: true, providerId: true },
      });
      if (!key) throw new JunctionError("not_found", "Provider key not found");
      if (!key.revokedAt) {
        await ctx.db.providerCredential.updateMany({
          where: { id: key.id, revokedAt: null },
          data: { revokedAt: new Date() },
        });
        await writeAudit(ctx.db, {
          organizationId: ctx.tenant.organizationId,
          actorUserId: ctx.tenant.userId,
          action: "provider_key.revoke",
          targetType: "provider_credential",
          targetId: key.id,
          metadata: { providerId: key.providerId },
          ip: ctx.ip,
        });
      }
      return { id: key.id };
    }),
});
