import type { Prisma } from "@junction/db";
import { z } from "zod";
import { authedProcedure, createTRPCRouter } from "../trpc";

const PAGE_SIZE = 25;
const LISTED = ["active", "degraded"] as const;

/** The public catalog (not tenant data): every model with the providers serving it and their per-million prices. */
export const modelsRouter = createTRPCRouter({
  list: authedProcedure
    .input(
      z
        .object({
          search: z.string().trim().max(100).optional(),
          provider: z.string().trim().max(64).optional(),
          page: z.number().int().min(1).max(1000).default(1),
        })
        .default({ page: 1 }),
    )
    .query(async ({ ctx, input }) => {
      const endpointFilter: Prisma.EndpointWhereInput = {
        status: { in: [...LISTED] },
        ...(input.provider && { providerId: input.provider }),
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
          where: { endpoints: { some: { status: { in: [...LISTED] } } } },
          orderBy: { name: "asc" },
          select: { id: true, name: true },
        }),
      ]);
      return {
        total,
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
            contextLength: endpoint.contextLength,
            maxOutputTokens: endpoint.maxOutputTokens,
            supportsTools: endpoint.supportsTools,
            supportsVision: endpoint.supportsVision,
            status: endpoint.status,
          })),
        })),
      };
    }),
});
