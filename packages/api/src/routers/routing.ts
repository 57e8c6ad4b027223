import { gatewaySchema, PROVIDER_ENV } from "@junction/config";
import {
  formatUsd,
  isJunctionError,
  policyRulesSchema,
  policyVersionHash,
  tokenPricesFor,
} from "@junction/core";
import type { Db } from "@junction/db";
import { type CatalogSnapshot, type Exclusion, loadCatalog, planRoute, type Route } from "@junction/routing";
import { z } from "zod";
import { createTRPCRouter, viewerProcedure } from "../trpc";

const CATALOG_TTL_MS = 60_000;
const catalogs = new WeakMap<Db, { snapshot: Promise<CatalogSnapshot>; expires: number }>();

/** The catalog as the gateway sees it, cached for a minute per process (the preview need not be fresher). */
function catalogOf(db: Db): Promise<CatalogSnapshot> {
  const cached = catalogs.get(db);
  if (cached && cached.expires > Date.now()) return cached.snapshot;
  const snapshot = loadCatalog(db);
  catalogs.set(db, { snapshot, expires: Date.now() + CATALOG_TTL_MS });
  snapshot.catch(() => catalogs.delete(db));
  return snapshot;
}

/** The dashboard cannot see the gateway's provider keys: the preview assumes every platform provider is set up. */
const EVERY_PROVIDER_CONFIGURED = Object.fromEntries(
  Object.values(PROVIDER_ENV).map((spec) => [spec.key, "configured"]),
);
const DEFAULT_BYOK_FEE_BPS = gatewaySchema.shape.BYOK_FEE_BPS.parse(undefined);

export const ROUTING_ASSUMPTIONS = [
  "Every platform provider is assumed to have credentials on the gateway.",
  "Live health is not considered: an endpoint whose circuit is open would be skipped.",
  "The default strategy picks the first endpoint at random, weighted by price; the rest follow cheapest first.",
];

/**
 * The routing preview for Settings → Policies: which endpoints a request for `model` would try, in order, under the
 * draft rules (or none), and why every other endpoint is excluded. It runs the gateway's own planner
 * (`planRoute` from @junction/routing) on the same catalog, with the organization's BYOK keys and BYOK-only setting.
 */
export const routingRouter = createTRPCRouter({
  explain: viewerProcedure
    .input(
      z.strictObject({
        model: z.string().trim().min(1, "Enter a model id, like openai/gpt-4o-mini").max(200),
        rules: policyRulesSchema.nullable(),
        promptTokens: z.number().int().min(0).max(2_000_000).default(1_000),
        maxTokens: z.number().int().positive().max(1_000_000).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const organizationId = ctx.tenant.organizationId;
      const [catalog, organization, credentials] = await Promise.all([
        catalogOf(ctx.db),
        ctx.db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { byokOnly: true } }),
        ctx.db.providerCredential.findMany({
          where: { organizationId, revokedAt: null },
          select: { providerId: true },
        }),
      ]);
      // Presence is all routing needs; the secrets are never decrypted for a preview.
      const byok = new Map(credentials.map((credential) => [credential.providerId, "byok"]));
      const policy = input.rules
        ? { id: "draft", name: "draft", versionHash: policyVersionHash(input.rules), rules: input.rules }
        : undefined;
      let route: Route | null = null;
      let excluded: Exclusion[] = [];
      let error: string | null = null;
      try {
        route = planRoute(
          {
            model: input.model,
            messages: [],
            ...(input.maxTokens !== undefined && { max_tokens: input.maxTokens }),
          },
          {},
          {
            catalog,
            providerEnv: EVERY_PROVIDER_CONFIGURED,
            hasAdapter: () => true,
            openUntil: () => null,
            stats: () => undefined,
            policy,
            promptTokens: input.promptTokens,
            kind: "chat",
            random: () => 0,
            byok,
            byokOnly: organization.byokOnly,
            byokFeeBps: DEFAULT_BYOK_FEE_BPS,
          },
        );
        excluded = route.excluded;
      } catch (failure) {
        if (!isJunctionError(failure)) throw failure;
        error = failure.message;
        const listed = (failure.metadata as { excluded?: Exclusion[] } | undefined)?.excluded;
        excluded = Array.isArray(listed) ? listed : [];
      }
      return {
        model: input.model,
        strategy: route?.strategy ?? null,
        priceTableVersion: catalog.priceTableVersion,
        candidates: (route?.candidates ?? []).map((candidate, index) => {
          // The prices this prompt is charged at (an endpoint's long-context tier's when it is that long).
          const prices = tokenPricesFor(input.promptTokens, candidate.endpoint.prices);
          return {
            order: index + 1,
            endpointId: candidate.endpoint.id,
            modelId: candidate.endpoint.modelId,
            providerId: candidate.endpoint.providerId,
            providerName: candidate.endpoint.providerName,
            inputPrice: prices.input,
            outputPrice: prices.output,
            worstCase: candidate.worstCase,
            // Display strings for the browser, which has no bigint money formatting of its own.
            display: {
              worstCase: formatUsd(candidate.worstCase),
              perMillion: `${formatUsd(prices.input)} in / ${formatUsd(prices.output)} out`,
            },
            isByok: candidate.isByok,
            weight: route?.weights?.[candidate.endpoint.id] ?? null,
          };
        }),
        excluded,
        error,
        assumptions: ROUTING_ASSUMPTIONS,
      };
    }),
});
