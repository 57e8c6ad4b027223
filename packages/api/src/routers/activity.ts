import { JunctionError } from "@junction/core";
import type { Prisma } from "@junction/db";
import { z } from "zod";
import { costArithmetic } from "../queries/cost-arithmetic";
import { receiptVerified } from "../queries/receipt-key";
import { activityFilterInput } from "../schemas";
import { createTRPCRouter, viewerProcedure } from "../trpc";

const attemptSchema = z.object({
  endpoint: z.string().optional(),
  endpointId: z.string().optional(),
  provider: z.string().optional(),
  status: z.string(),
  errorClass: z.string().optional(),
  latencyMs: z.number().optional(),
});

const PAGE_SIZE = 50;

/** The request log (Generation rows): the organization's own, newest first. */
export const activityRouter = createTRPCRouter({
  list: viewerProcedure
    .input(
      activityFilterInput.extend({
        cursor: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(100).default(PAGE_SIZE),
      }),
    )
    .query(async ({ ctx, input }) => {
      const organizationId = ctx.tenant.organizationId;
      if (input.apiKeyId) {
        const key = await ctx.db.apiKey.findFirst({
          where: { id: input.apiKeyId, organizationId },
          select: { id: true },
        });
        if (!key) throw new JunctionError("not_found", "API key not found", { param: "apiKeyId" });
      }
      if (input.cursor) {
        const own = await ctx.db.generation.findFirst({
          where: { id: input.cursor, organizationId },
          select: { id: true },
        });
        if (!own) throw new JunctionError("not_found", "Request not found", { param: "cursor" });
      }
      const where: Prisma.GenerationWhereInput = {
        organizationId,
        ...(input.apiKeyId && { apiKeyId: input.apiKeyId }),
        ...(input.status && { status: input.status }),
        ...(input.model && { OR: [{ requestedModel: input.model }, { servedModel: input.model }] }),
      };
      const rows = await ctx.db.generation.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...(input.cursor && { cursor: { id: input.cursor }, skip: 1 }),
      });
      const page = rows.slice(0, input.limit);
      const keyIds = [...new Set(page.map((row) => row.apiKeyId).filter((id): id is string => id !== null))];
      const keys = await ctx.db.apiKey.findMany({
        where: { id: { in: keyIds }, organizationId },
        select: { id: true, name: true },
      });
      const keyNames = new Map(keys.map((key) => [key.id, key.name]));
      return {
        items: page.map((row) => ({
          id: row.id,
          createdAt: row.createdAt,
          requestedModel: row.requestedModel,
          servedModel: row.servedModel,
          providerId: row.providerId,
          apiKeyId: row.apiKeyId,
          apiKeyName: row.apiKeyId ? (keyNames.get(row.apiKeyId) ?? null) : null,
          promptTokens: row.promptTokens,
          completionTokens: row.completionTokens,
          cost: row.cost,
          status: row.status,
          httpStatus: row.httpStatus,
          errorCode: row.errorCode,
          latencyMs: row.latencyMs,
          stream: row.stream,
          usageEstimated: row.usageEstimated,
        })),
        nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
      };
    }),

  /** Values for the filter menus: the organization's keys and the models it has called recently. */
  filters: viewerProcedure.query(async ({ ctx }) => {
    const organizationId = ctx.tenant.organizationId;
    const since = new Date(Date.now() - 90 * 24 * 3600 * 1000);
    const [keys, models] = await Promise.all([
      ctx.db.apiKey.findMany({
        where: { organizationId },
        orderBy: { createdAt: "desc" },
        select: { id: true, name: true, displayPrefix: true },
      }),
      ctx.db.generation.groupBy({
        by: ["requestedModel"],
        where: { organizationId, createdAt: { gte: since } },
        orderBy: { requestedModel: "asc" },
        take: 200,
      }),
    ]);
    return { keys, models: models.map((row) => row.requestedModel) };
  }),

  get: viewerProcedure.input(z.object({ id: z.string().min(1).max(64) })).query(async ({ ctx, input }) => {
    const generation = await ctx.db.generation.findFirst({
      where: { id: input.id, organizationId: ctx.tenant.organizationId },
    });
    if (!generation) throw new JunctionError("not_found", "Request not found");
    const [key, arithmetic, signatureValid] = await Promise.all([
      generation.apiKeyId
        ? ctx.db.apiKey.findFirst({
            where: { id: generation.apiKeyId, organizationId: ctx.tenant.organizationId },
            select: { id: true, name: true, displayPrefix: true },
          })
        : null,
      costArithmetic(ctx.db, generation),
      receiptVerified(ctx.gatewayUrl, generation.receipt, generation.signature),
    ]);
    const attempts = z.array(attemptSchema).safeParse(generation.attempts);
    const { organizationId: _organizationId, attempts: _attempts, ...fields } = generation;
    return {
      ...fields,
      apiKey: key,
      attempts: (attempts.success ? attempts.data : []).map((attempt) => ({
        endpoint: attempt.endpoint ?? attempt.endpointId ?? "unknown",
        provider: attempt.provider ?? null,
        status: attempt.status,
        errorClass: attempt.errorClass ?? null,
        latencyMs: attempt.latencyMs ?? null,
      })),
      arithmetic,
      signatureValid,
    };
  }),
});
