import { PROVIDER_ENV, type ProviderEnvName } from "@junction/config";
import type { EndpointPrices } from "@junction/core";
import type { Db } from "@junction/db";

/** One way to serve a model: an endpoint with its provider, prices and capabilities, ready for routing. */
export type CatalogEndpoint = {
  id: string;
  modelId: string;
  providerId: string;
  providerName: string;
  adapter: string;
  providerModelId: string;
  prices: EndpointPrices;
  contextLength: number | null;
  maxOutputTokens: number | null;
  supportsTools: boolean;
  supportsJsonSchema: boolean;
  supportsVision: boolean;
  trainsOnData: boolean;
  zdr: boolean;
  quantization: string | null;
  status: string;
};

export type CatalogModel = {
  id: string;
  name: string;
  kind: string;
  description: string | null;
  contextLength: number | null;
  createdAt: Date;
  endpoints: CatalogEndpoint[];
};

export type ProviderSettings = { baseUrl: string; apiKey: string | undefined; configured: boolean };

export type CatalogSnapshot = {
  models: Map<string, CatalogModel>;
  priceTableVersion: number;
  loadedAt: Date;
};

/** Upstream settings from the SDK-named env vars; a provider is usable when it has a key or an explicit URL. */
export function providerSettings(
  providerId: string,
  env: Record<string, string | undefined>,
): ProviderSettings {
  if (providerId === "sandbox") return { baseUrl: "sandbox://", apiKey: undefined, configured: true };
  const spec = PROVIDER_ENV[providerId as ProviderEnvName];
  if (!spec) return { baseUrl: "", apiKey: undefined, configured: false };
  const apiKey = env[spec.key] || undefined;
  const explicitUrl = env[spec.baseUrl] || undefined;
  return {
    baseUrl: (explicitUrl ?? spec.default).replace(/\/$/, ""),
    apiKey,
    configured: apiKey !== undefined || explicitUrl !== undefined,
  };
}

/** Loads the whole catalog into memory: routing never reads the database per request. */
export async function loadCatalog(db: Db): Promise<CatalogSnapshot> {
  const [models, latest] = await Promise.all([
    db.model.findMany({
      include: {
        endpoints: { where: { status: { in: ["active", "degraded"] } }, include: { provider: true } },
      },
    }),
    db.priceTableVersion.findFirst({ orderBy: { version: "desc" }, select: { version: true } }),
  ]);
  const map = new Map<string, CatalogModel>();
  for (const model of models) {
    if (!model.endpoints.length) continue;
    map.set(model.id, {
      id: model.id,
      name: model.name,
      kind: model.kind,
      description: model.description,
      contextLength: model.contextLength,
      createdAt: model.createdAt,
      endpoints: model.endpoints.map((endpoint) => ({
        id: endpoint.id,
        modelId: model.id,
        providerId: endpoint.providerId,
        providerName: endpoint.provider.name,
        adapter: endpoint.provider.adapter,
        providerModelId: endpoint.providerModelId,
        prices: {
          input: endpoint.inputPrice,
          output: endpoint.outputPrice,
          cachedInput: endpoint.cachedInputPrice,
          cacheWrite: endpoint.cacheWritePrice,
          request: endpoint.requestPrice,
        },
        contextLength: endpoint.contextLength,
        maxOutputTokens: endpoint.maxOutputTokens,
        supportsTools: endpoint.supportsTools,
        supportsJsonSchema: endpoint.supportsJsonSchema,
        supportsVision: endpoint.supportsVision,
        trainsOnData: endpoint.provider.trainsOnData,
        zdr: endpoint.provider.zdr,
        quantization: endpoint.quantization,
        status: endpoint.status,
      })),
    });
  }
  return { models: map, priceTableVersion: latest?.version ?? 0, loadedAt: new Date() };
}
