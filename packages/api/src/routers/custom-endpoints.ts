import { lookup } from "node:dns";
import {
  checkEndpointUrl,
  JunctionError,
  newId,
  type ResolveAll,
  type ResolvedAddress,
  resolveAllowedAddresses,
} from "@junction/core";
import { z } from "zod";
import { writeAudit } from "../audit";
import { createCustomEndpointInput } from "../schemas";
import { adminProcedure, createTRPCRouter } from "../trpc";

/** getaddrinfo (so /etc/hosts too), every address of both families. */
const systemResolveAll: ResolveAll = (hostname) =>
  new Promise<ResolvedAddress[]>((resolve, reject) => {
    lookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map(({ address, family }) => ({ address, family }))),
    );
  });

const credentialSelect = { id: true, label: true, providerId: true, last4: true } as const;

/**
 * An organization's own OpenAI-compatible endpoints (admins only), served by the gateway as
 * `custom/<name>/<model>`. Saving checks the URL and resolves its host: every address must be public. The gateway
 * checks again on every connection (and pins the address it checked), so a host that later resolves inwards is
 * still refused. Only the organization's own credential is ever sent.
 */
export const customEndpointsRouter = createTRPCRouter({
  list: adminProcedure.query(async ({ ctx }) => {
    const organizationId = ctx.tenant.organizationId;
    const [endpoints, credentials] = await Promise.all([
      ctx.db.customEndpoint.findMany({
        where: { organizationId, revokedAt: null },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      }),
      ctx.db.providerCredential.findMany({
        where: { organizationId, revokedAt: null },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: credentialSelect,
      }),
    ]);
    return {
      endpoints: endpoints.map((endpoint) => ({
        id: endpoint.id,
        name: endpoint.name,
        baseUrl: endpoint.baseUrl,
        models: endpoint.models,
        createdAt: endpoint.createdAt,
        credential: credentials.find((credential) => credential.id === endpoint.credentialId) ?? null,
        /** The model ids to send to the gateway. */
        modelIds: endpoint.models.map((model) => `custom/${endpoint.name}/${model}`),
      })),
      credentials,
      byokConfigured: ctx.keks !== null,
    };
  }),

  create: adminProcedure.input(createCustomEndpointInput).mutation(async ({ ctx, input }) => {
    const organizationId = ctx.tenant.organizationId;
    const guard = ctx.endpointGuard ?? { allowLoopback: false };
    const checked = checkEndpointUrl(input.baseUrl, guard);
    await resolveAllowedAddresses(checked.hostname, ctx.resolveHost ?? systemResolveAll, guard);
    if (input.credentialId !== null) {
      const credential = await ctx.db.providerCredential.findFirst({
        where: { id: input.credentialId, organizationId, revokedAt: null },
        select: { id: true },
      });
      if (!credential)
        throw new JunctionError("not_found", "Credential not found", { param: "credentialId" });
    }
    const existing = await ctx.db.customEndpoint.findUnique({
      where: { organizationId_name: { organizationId, name: input.name } },
      select: { id: true },
    });
    if (existing) {
      throw new JunctionError("conflict", `A custom endpoint named "${input.name}" exists`, {
        param: "name",
      });
    }
    const baseUrl = checked.url.toString().replace(/\/+$/, "");
    return ctx.db.$transaction(async (tx) => {
      const created = await tx.customEndpoint.create({
        data: {
          id: newId("customEndpoint"),
          organizationId,
          name: input.name,
          baseUrl,
          models: [...new Set(input.models)],
          credentialId: input.credentialId,
        },
      });
      await writeAudit(tx, {
        organizationId,
        actorUserId: ctx.tenant.userId,
        action: "custom_endpoint.create",
        targetType: "custom_endpoint",
        targetId: created.id,
        before: null,
        after: {
          name: created.name,
          baseUrl: created.baseUrl,
          models: created.models,
          credentialId: created.credentialId,
        },
        ip: ctx.ip,
      });
      return { id: created.id, name: created.name, baseUrl: created.baseUrl, models: created.models };
    });
  }),

  remove: adminProcedure
    .input(z.strictObject({ id: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const organizationId = ctx.tenant.organizationId;
      const endpoint = await ctx.db.customEndpoint.findFirst({ where: { id: input.id, organizationId } });
      if (!endpoint) throw new JunctionError("not_found", "Custom endpoint not found");
      await ctx.db.$transaction(async (tx) => {
        await tx.customEndpoint.delete({ where: { id: endpoint.id } });
        await writeAudit(tx, {
          organizationId,
          actorUserId: ctx.tenant.userId,
          action: "custom_endpoint.remove",
          targetType: "custom_endpoint",
          targetId: endpoint.id,
          before: {
            name: endpoint.name,
            baseUrl: endpoint.baseUrl,
            models: endpoint.models,
            credentialId: endpoint.credentialId,
          },
          after: null,
          ip: ctx.ip,
        });
      });
      return { id: endpoint.id };
    }),
});
