import { PROVIDER_ENV, type ProviderEnvName } from "@junction/config";
import type { EndpointPrices } from "@junction/core";
import { type Db, endpointPrices } from "@junction/db";

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
  /** The model can reason (thinking, reasoning effort): GET /v1/models lists `reasoning` among its parameters. */
  supportsReasoning: boolean;
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

const LOCAL_PROVIDER = "local";

/** Upstream settings from the SDK-named env vars; a provider is usable when it has a key or an explicit URL. */
export function providerSettings(
  providerId: string,
  env: Record<string, string | undefined>,
): ProviderSettings {
  if (providerId === "sandbox") return { baseUrl: "sandbox://", apiKey: undefined, configured: true };
  if (providerId === LOCAL_PROVIDER) {
    // Local endpoints exist only when the operator listed LOCAL_MODELS; the key is optional.
    const local = PROVIDER_ENV.ollama;
    const baseUrl = (env[local.baseUrl] || local.default).replace(/\/$/, "");
    return { baseUrl, apiKey: env[local.key] || undefined, configured: true };
  }
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

/**
 * Why an endpoint cannot be called for a caller at all (no adapter for its protocol, or no credential the caller may
 * use), or null. Not the request's fault: routing answers such a model with a 404 and GET /v1/models leaves it out.
 * `ownKey`: the caller brings its own credential (its organization's BYOK key, or a custom endpoint's).
 */
export function unservedReason(
  endpoint: CatalogEndpoint,
  caller: { hasAdapter: boolean; ownKey: boolean; byokOnly: boolean; platformConfigured: boolean },
): string | null {
  if (!caller.hasAdapter) return `no adapter for the ${endpoint.adapter} protocol`;
  if (caller.ownKey) return null;
  if (caller.byokOnly) return `BYOK only: the organization has no ${endpoint.providerId} key`;
  return caller.platformConfigured ? null : `provider ${endpoint.providerId} has no credentials configured`;
}

/** Models of a local OpenAI-compatible server (LOCAL_MODELS), priced at 0 by the operator's choice. */
function localModels(names: string[]): CatalogModel[] {
  return names.map((name) => ({
    id: `local/${name}`,
    name: `${name} (local)`,
    kind: "chat",
    description: "Served by the operator's local OpenAI-compatible server (Ollama, vLLM, …)",
    contextLength: null,
    createdAt: new Date(0),
    endpoints: [
      {
        id: `${LOCAL_PROVIDER}:${name}`,
        modelId: `local/${name}`,
        providerId: LOCAL_PROVIDER,
        providerName: "Local",
        adapter: "openai_compatible",
        providerModelId: name,
        prices: { input: 0n, output: 0n },
        contextLength: null,
        maxOutputTokens: null,
        supportsTools: true,
        supportsJsonSchema: true,
        supportsVision: false,
        supportsReasoning: false,
        trainsOnData: false,
        zdr: true,
        quantization: null,
        status: "active",
      },
    ],
  }));
}

/**
 * Changes whenever a catalog row is written, added or removed (row counts and the latest `updatedAt` of models,
 * endpoints and providers, and the latest price-table version). One cheap query: the periodic refresh reloads the
 * catalog only when this changed, because building the snapshot holds the event loop for tens of milliseconds.
 */
export async function catalogFingerprint(db: Db): Promise<string> {
  const rows = await db.$queryRaw<{ fingerprint: string }[]>`
    SELECT concat_ws('|',
      (SELECT count(*) || '@' || coalesce(max("updatedAt")::text, '') FROM "Model"),
      (SELECT count(*) || '@' || coalesce(max("updatedAt")::text, '') FROM "Endpoint"),
      (SELECT count(*) || '@' || coalesce(max("updatedAt")::text, '') FROM "Provider"),
      (SELECT coalesce(max(version), 0) FROM "PriceTableVersion")) AS fingerprint`;
  return rows[0]?.fingerprint ?? "";
}

/** Each catalog's models by their name without the author (`gpt-4o-mini`), built on first use. */
const byName = new WeakMap<Map<string, CatalogModel>, Map<string, CatalogModel[]>>();

function modelsByName(catalog: CatalogSnapshot): Map<string, CatalogModel[]> {
  let index = byName.get(catalog.models);
  if (!index) {
    index = new Map();
    for (const model of catalog.models.values()) {
      const name = model.id.slice(model.id.indexOf("/") + 1).toLowerCase();
      index.set(name, [...(index.get(name) ?? []), model]);
    }
    byName.set(catalog.models, index);
  }
  return index;
}

/**
 * A model by its id, or by the name its maker's API knows it by (`gpt-4o-mini`, `claude-sonnet-4-5-20250929`) when
 * exactly one model has that name: what clients configured for the provider's own API send, Claude Code's default
 * models among them.
 */
export function findModel(catalog: CatalogSnapshot, name: string): CatalogModel | undefined {
  const exact = catalog.models.get(name);
  if (exact || name.includes("/")) return exact;
  const named = modelsByName(catalog).get(name.toLowerCase());
  return named?.length === 1 ? named[0] : undefined;
}

/** The ids of the models a name without an author could mean (more than one: the name is ambiguous). */
export const modelsNamed = (catalog: CatalogSnapshot, name: string): string[] =>
  name.includes("/") ? [] : (modelsByName(catalog).get(name.toLowerCase()) ?? []).map((model) => model.id);

/** Loads the whole catalog into memory: routing never reads the database per request. */
export async function loadCatalog(db: Db, localModelNames: string[] = []): Promise<CatalogSnapshot> {
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
        prices: endpointPrices(endpoint),
        contextLength: endpoint.contextLength,
        maxOutputTokens: endpoint.maxOutputTokens,
        supportsTools: endpoint.supportsTools,
        supportsJsonSchema: endpoint.supportsJsonSchema,
        supportsVision: endpoint.supportsVision,
        supportsReasoning: endpoint.supportsReasoning,
        trainsOnData: endpoint.provider.trainsOnData,
        zdr: endpoint.provider.zdr,
        quantization: endpoint.quantization,
        status: endpoint.status,
      })),
    });
  }
  for (const model of localModels(localModelNames)) map.set(model.id, model);
  return { models: map, priceTableVersion: latest?.version ?? 0, loadedAt: new Date() };
}
