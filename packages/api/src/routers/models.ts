import type { Prisma } from "@junction/db";
import { servedProviders } from "@junction/queue";
import { z } from "zod";
import { createTRPCRouter, orgProcedure } from "../trpc";

const PAGE_SIZE = 25;
const LISTED = ["active", "degraded"] as const;

/**
 * The catalog (shared, not tenant data): models with the providers serving them and their per-million prices. By
 * default only what the organization can call here — providers the gateways have credentials for, and those it
 * brought its own key for; `all` lists the whole catalog, each endpoint marked.
 */
export const modelsRouter = createTRPCRouter({
  list: orgProcedure("viewer")
    .input(
      z
        .object({
          search: z.string().trim().max(100).optional(),
          provider: z.string().trim().max(64).optional(),
          page: z.number().int().min(1).max(1000).default(1),
          all: z.boolean().default(false),
        })
        .default({ page: 1, all: false }),
    )
    .query(async ({ ctx, input }) => {
      const { organizationId } = ctx.tenant;
      const [served, own, organization] = await Promise.all([
        servedProviders(ctx.redis, ctx.redisPrefix),
        ctx.db.providerCredential.findMany({
          where: { organizationId, revokedAt: null },
          select: { providerId: true },
        }),
        ctx.db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { byokOnly: true } }),
      ]);
      // Unknown (no gateway has announced its providers yet): everything is listed, nothing marked.
      const callable =
        served &&
        new Set([
          ...(organization.byokOnly ? [] : served),
          ...own.map((credential) => credential.providerId),
        ]);
      const endpointFilter: Prisma.EndpointWhereInput = {
        status: { in: [...LISTED] },
        AND: [
          ...(input.provider ? [{ providerId: input.provider }] : []),
          ...(callable && !input.all ? [{ providerId: { in: [...callable] } }] : []),
        ],
      };
      const where: Prisma.ModelWhereInput = {
        endpoints: { some: endpointFilter },
        ...(input.search && {
          OR: [
            { id: { contains: input.search, mode: "insensitive" } },
            { name: { contains: input.search, mode: "insensitive" } },
          ],
        }),
      };
      const [total, models, providers] = await Promise.all([
        ctx.db.model.count({ where }),
        ctx.db.model.findMany({
          where,
          orderBy: { id: "asc" },
          skip: (input.page - 1) * PAGE_SIZE,
          take: PAGE_SIZE,
          include: {
            endpoints: {
              where: endpointFilter,
              orderBy: [{ inputPrice: "asc" }, { providerId: "asc" }],
              include: { provider: { select: { id: true, name: true } } },
            },
          },
        }),
        ctx.db.provider.findMany({
          where: {
            endpoints: { some: { status: { in: [...LISTED] } } },
            ...(callable && !input.all && { id: { in: [...callable] } }),
          },
          orderBy: { name: "asc" },
          select: { id: true, name: true },
        }),
      ]);
      return {
        total,
        availability: callable ? ("known" as const) : ("unknown" as const),
        page: input.page,
        pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
        providers,
        models: models.map((model) => ({
          id: model.id,
          name: model.name,
          author: model.author,
          kind: model.kind,
          description: model.description,
          contextLength: model.contextLength,
          endpoints: model.endpoints.map((endpoint) => ({
            id: endpoint.id,
            provider: endpoint.provider,
            inputPrice: endpoint.inputPrice,
            outputPrice: endpoint.outputPrice,
            cachedInputPrice: endpoint.cachedInputPrice,
            longContextAbove: endpoint.longContextAbove,
            longInputPrice: endpoint.longInputPrice,
            longOutputPrice: endpoint.longOutputPrice,
            contextLength: endpoint.contextLength,
            maxOutputTokens: endpoint.maxOutputTokens,
            supportsTools: endpoint.supportsTools,
            supportsVision: endpoint.supportsVision,
            status: endpoint.status,
            available: callable ? callable.has(endpoint.providerId) : null,
          })),
        })),
      };
    }),
});
