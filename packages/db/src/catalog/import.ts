import { createHash } from "node:crypto";
import { newId } from "@junction/core";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/prisma/client.js";
import { catalogFromLiteLlm } from "./litellm.js";
import type { CatalogEndpoint, SkipReason } from "./types.js";

export type ImportCatalogInput = {
  /** Text of LiteLLM's model_prices_and_context_window.json (prisma/data/model-prices.json). */
  rawJsonText: string;
  /** Text of prisma/data/sandbox-models.json (the built-in sandbox provider's models). */
  sandboxJsonText?: string;
  /** Where the prices came from, e.g. "litellm:model_prices_and_context_window.json". */
  source: string;
  /** The source snapshot's date, e.g. "2026-07-24". */
  sourceDate: string;
};

export type ImportCatalogResult = {
  priceTableVersionId: string;
  version: number;
  sha256: string;
  providers: number;
  models: number;
  endpoints: number;
  /** Models served by two or more providers. */
  multiHostModels: number;
  /** Endpoints no longer in the source, newly marked deprecated by this import. */
  deprecated: number;
  /** Source entries not imported (see skippedByReason). */
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
};

/** An endpoint's prices as decimal strings (nano-USD per million tokens; request/image: nano-USD each). */
export type EndpointPriceSnapshot = {
  input: string;
  output: string;
  cachedInput: string | null;
  cacheWrite: string | null;
  request: string | null;
  image: string | null;
  cacheWrite1h: string | null;
  /** The long-context tier (prices for a prompt over `above` tokens), when the endpoint has one. */
  longContext: {
    above: number;
    input: string | null;
    output: string | null;
    cachedInput: string | null;
    cacheWrite: string | null;
    cacheWrite1h: string | null;
  } | null;
};

export function priceSnapshot(endpoint: CatalogEndpoint): EndpointPriceSnapshot {
  const text = (value: bigint | null) => (value === null ? null : value.toString());
  return {
    input: endpoint.inputPrice.toString(),
    output: endpoint.outputPrice.toString(),
    cachedInput: text(endpoint.cachedInputPrice),
    cacheWrite: text(endpoint.cacheWritePrice),
    request: text(endpoint.requestPrice),
    image: text(endpoint.imagePrice),
    cacheWrite1h: text(endpoint.cacheWrite1hPrice),
    longContext:
      endpoint.longContextAbove === null
        ? null
        : {
            above: endpoint.longContextAbove,
            input: text(endpoint.longInputPrice),
            output: text(endpoint.longOutputPrice),
            cachedInput: text(endpoint.longCachedInputPrice),
            cacheWrite: text(endpoint.longCacheWritePrice),
            cacheWrite1h: text(endpoint.longCacheWrite1hPrice),
          },
  };
}

/**
 * Imports the catalog in one transaction: a new PriceTableVersion (each import is one, even when nothing changed),
 * then providers, models and endpoints upserted and pointed at it. Endpoints that vanished from the source are
 * marked deprecated; a deprecated endpoint that reappears is active again. Endpoints an operator disabled stay
 * disabled. Running it twice leaves the same catalog, plus one more price-table version.
 */
export async function importCatalog(db: Db, input: ImportCatalogInput): Promise<ImportCatalogResult> {
  const catalog = catalogFromLiteLlm(input.rawJsonText, { sandboxJsonText: input.sandboxJsonText });
  const sha256 = createHash("sha256").update(input.rawJsonText, "utf8").digest("hex");
  const prices: Record<string, EndpointPriceSnapshot> = {};
  for (const endpoint of catalog.endpoints) prices[endpoint.id] = priceSnapshot(endpoint);
  const endpointIds = catalog.endpoints.map((endpoint) => endpoint.id);

  const { priceTableVersionId, version, deprecated } = await db.$transaction(
    async (tx) => {
      // Concurrent imports would race for the same version number: take turns.
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext('junction:catalog-import'))");
      const latest = await tx.priceTableVersion.aggregate({ _max: { version: true } });
      const table = await tx.priceTableVersion.create({
        data: {
          id: newId("priceTable"),
          version: (latest._max.version ?? 0) + 1,
          source: input.source,
          sourceDate: input.sourceDate,
          sha256,
          prices: prices satisfies Prisma.InputJsonObject,
        },
      });

      for (const { id, ...provider } of catalog.providers) {
        await tx.provider.upsert({ where: { id }, create: { id, ...provider }, update: provider });
      }
      for (const { id, ...model } of catalog.models) {
        await tx.model.upsert({ where: { id }, create: { id, ...model }, update: model });
      }
      for (const { id, ...endpoint } of catalog.endpoints) {
        const fields = { ...endpoint, priceTableVersionId: table.id };
        await tx.endpoint.upsert({ where: { id }, create: { id, ...fields }, update: fields });
      }

      await tx.endpoint.updateMany({
        where: { id: { in: endpointIds }, status: "deprecated" },
        data: { status: "active" },
      });
      const vanished = await tx.endpoint.updateMany({
        where: { id: { notIn: endpointIds }, status: { in: ["active", "degraded"] } },
        data: { status: "deprecated" },
      });
      return { priceTableVersionId: table.id, version: table.version, deprecated: vanished.count };
    },
    { maxWait: 30_000, timeout: 300_000 },
  );

  const hosts = new Map<string, Set<string>>();
  for (const endpoint of catalog.endpoints) {
    const set = hosts.get(endpoint.modelId) ?? new Set<string>();
    set.add(endpoint.providerId);
    hosts.set(endpoint.modelId, set);
  }
  const skippedByReason: Partial<Record<SkipReason, number>> = {};
  for (const entry of catalog.skipped)
    skippedByReason[entry.reason] = (skippedByReason[entry.reason] ?? 0) + 1;

  return {
    priceTableVersionId,
    version,
    sha256,
    providers: catalog.providers.length,
    models: catalog.models.length,
    endpoints: catalog.endpoints.length,
    multiHostModels: [...hosts.values()].filter((set) => set.size > 1).length,
    deprecated,
    skipped: catalog.skipped.length,
    skippedByReason,
  };
}
