import { usdPerTokenToNanoPerMillion, usdToNano } from "@junction/core";
import { isLosslessObject, JsonNumber, type LosslessObject, parseLosslessJson } from "./lossless-json.js";
import { canonicalModel, displayName } from "./normalise.js";
import type { EndpointPriceColumns } from "./prices.js";
import { CATALOG_PROVIDERS, LITELLM_PROVIDER_IDS } from "./providers.js";
import { sandboxCatalog } from "./sandbox.js";
import type { Catalog, CatalogEndpoint, CatalogModel, ModelKind, SkippedEntry } from "./types.js";

export { CATALOG_PROVIDERS, LITELLM_PROVIDER_IDS } from "./providers.js";
export type * from "./types.js";

export type LiteLlmOptions = {
  /** Text of prisma/data/sandbox-models.json; when given, the built-in sandbox provider's models are included. */
  sandboxJsonText?: string;
  /** LiteLLM providers to import (default: every provider in LITELLM_PROVIDER_IDS). */
  providers?: readonly string[];
};

/** Source keys that are not callable models, with why. */
const NOT_A_MODEL: readonly (readonly [RegExp, string])[] = [
  [/^(together-ai|fireworks-ai)-/, "a size-based pricing tier"],
  [/^ft:/, "a fine-tuning price template"],
  [/^claude-4-(opus|sonnet)-/, "a LiteLLM alias spelling; Anthropic's API name is claude-<family>-4-…"],
  [/\/$/, "no model name"],
];

/** Search models charge a per-request search fee at the API's default search context size. */
const SEARCH_FEE_CONTEXT: Readonly<Record<string, string>> = {
  perplexity: "search_context_size_low",
  openai: "search_context_size_medium",
};

type Candidate = { key: string; kind: ModelKind; author: string; endpoint: CatalogEndpoint };

/**
 * LiteLLM's model_prices_and_context_window.json → plain provider / model / endpoint records. Pure: the same text
 * always gives the same records, sorted by id. Prices are read from the JSON literals' digits (never via floats).
 */
export function catalogFromLiteLlm(rawJsonText: string, options: LiteLlmOptions = {}): Catalog {
  const root = parseLosslessJson(rawJsonText);
  if (!isLosslessObject(root)) throw new TypeError("model prices JSON must be an object");
  const wanted = new Set(options.providers ?? LITELLM_PROVIDER_IDS);
  const skipped: SkippedEntry[] = [];
  const byEndpoint = new Map<string, Candidate>(); // keyed by lowercased endpoint id

  for (const [key, entry] of Object.entries(root)) {
    if (!isLosslessObject(entry)) continue;
    const providerId = text(entry.litellm_provider);
    const mode = text(entry.mode);
    if (!providerId || !wanted.has(providerId) || (mode !== "chat" && mode !== "embedding")) continue;
    const mapped = mapEntry(key, providerId, mode, entry, root);
    if ("reason" in mapped) {
      skipped.push(mapped);
      continue;
    }
    const slot = mapped.endpoint.id.toLowerCase();
    const existing = byEndpoint.get(slot);
    if (!existing) {
      byEndpoint.set(slot, mapped);
      continue;
    }
    const [keep, drop] = preferred(existing, mapped, providerId) ? [existing, mapped] : [mapped, existing];
    byEndpoint.set(slot, keep);
    skipped.push({ key: drop.key, reason: "duplicate", detail: `same upstream model as ${keep.key}` });
  }

  const candidates = [...byEndpoint.values()];
  const sandbox = options.sandboxJsonText ? sandboxCatalog(options.sandboxJsonText) : null;
  const { models, endpoints } = groupIntoModels(candidates, skipped);
  if (sandbox) {
    models.push(...sandbox.models);
    endpoints.push(...sandbox.endpoints);
  }
  const providerIds = new Set(endpoints.map((endpoint) => endpoint.providerId));
  return {
    providers: CATALOG_PROVIDERS.filter((provider) => providerIds.has(provider.id))
      .map((provider) => ({ ...provider }))
      .sort(byId),
    models: models.sort(byId),
    endpoints: endpoints.sort(byId),
    skipped,
  };
}

function mapEntry(
  key: string,
  providerId: string,
  kind: ModelKind,
  entry: LosslessObject,
  root: LosslessObject,
): Candidate | SkippedEntry {
  const notModel = NOT_A_MODEL.find(([pattern]) => pattern.test(key));
  if (notModel) return { key, reason: "not-a-model", detail: notModel[1] };
  const input = numberText(entry.input_cost_per_token);
  const output = numberText(entry.output_cost_per_token);
  if (input === undefined || output === undefined) return { key, reason: "unpriced" };

  let prices: Prices;
  try {
    const requestUsd =
      numberText(entry.input_cost_per_request) ??
      numberText(entry.input_cost_per_query) ??
      searchFee(providerId, key, entry);
    const base = {
      inputPrice: usdPerTokenToNanoPerMillion(input),
      outputPrice: usdPerTokenToNanoPerMillion(output),
      cachedInputPrice: perToken(entry.cache_read_input_token_cost),
      cacheWritePrice: perToken(entry.cache_creation_input_token_cost),
      requestPrice: requestUsd === undefined ? null : usdToNano(requestUsd),
      imagePrice: perUnit(entry.input_cost_per_image),
    };
    const long = longContextTier(entry, base);
    prices = { ...base, ...long, ...hourCacheWrites(entry, { ...base, ...long }) };
  } catch (error) {
    return { key, reason: "bad-price", detail: error instanceof Error ? error.message : String(error) };
  }
  if (prices.inputPrice === 0n && prices.outputPrice === 0n && !prices.requestPrice) {
    return { key, reason: "zero-priced" };
  }

  const providerModelId = upstreamName(providerId, key, root);
  const { modelId, author, quantization } = canonicalModel(providerId, providerModelId);
  const endpoint: CatalogEndpoint = {
    id: `${providerId}:${providerModelId}`,
    modelId,
    providerId,
    providerModelId,
    ...prices,
    contextLength: count(entry.max_input_tokens),
    maxOutputTokens: count(entry.max_output_tokens),
    supportsTools: entry.supports_function_calling === true,
    supportsJsonSchema: entry.supports_response_schema === true,
    supportsVision: entry.supports_vision === true,
    supportsPromptCache: entry.supports_prompt_caching === true,
    supportsReasoning: entry.supports_reasoning === true,
    quantization,
  };
  return { key, kind, author, endpoint };
}

/**
 * The name the upstream API expects: the key without LiteLLM's provider prefix. Fireworks wants full
 * `accounts/fireworks/{models,routers}/…` paths, which some keys abbreviate.
 */
function upstreamName(providerId: string, key: string, root: LosslessObject): string {
  const name = key.startsWith(`${providerId}/`) ? key.slice(providerId.length + 1) : key;
  if (providerId !== "fireworks_ai" || name.startsWith("accounts/")) return name;
  const router = `accounts/fireworks/routers/${name}`;
  return `${providerId}/${router}` in root ? router : `accounts/fireworks/models/${name}`;
}

/** Of two source keys for one endpoint: the provider-prefixed key, then the capitalised spelling, then the first. */
function preferred(first: Candidate, second: Candidate, providerId: string): boolean {
  const prefixed = (candidate: Candidate) => candidate.key.startsWith(`${providerId}/`);
  if (prefixed(first) !== prefixed(second)) return prefixed(first);
  const capitalised = (candidate: Candidate) => candidate.key !== candidate.key.toLowerCase();
  if (capitalised(first) !== capitalised(second)) return capitalised(first);
  return true;
}

function groupIntoModels(
  candidates: Candidate[],
  skipped: SkippedEntry[],
): { models: CatalogModel[]; endpoints: CatalogEndpoint[] } {
  const models = new Map<string, CatalogModel>();
  const endpoints: CatalogEndpoint[] = [];
  for (const { key, kind, author, endpoint } of candidates) {
    const model = models.get(endpoint.modelId);
    if (model && model.kind !== kind) {
      skipped.push({ key, reason: "kind-conflict", detail: `${endpoint.modelId} is a ${model.kind} model` });
      continue;
    }
    endpoints.push(endpoint);
    if (!model) {
      models.set(endpoint.modelId, {
        id: endpoint.modelId,
        name: displayName(endpoint.modelId, author),
        author,
        description: null,
        modality: kind === "embedding" ? "text->embedding" : "text->text",
        kind,
        contextLength: endpoint.contextLength,
      });
      continue;
    }
    if (endpoint.contextLength !== null && endpoint.contextLength > (model.contextLength ?? 0)) {
      model.contextLength = endpoint.contextLength;
    }
  }
  for (const endpoint of endpoints) {
    const model = models.get(endpoint.modelId);
    if (model?.kind === "chat" && endpoint.supportsVision) model.modality = "text+image->text";
  }
  return { models: [...models.values()], endpoints };
}

function searchFee(providerId: string, key: string, entry: LosslessObject): string | undefined {
  const size = SEARCH_FEE_CONTEXT[providerId];
  const fees = entry.search_context_cost_per_query;
  if (!size || !isLosslessObject(fees)) return undefined;
  if (providerId === "openai" && !key.includes("search")) return undefined; // a tool fee, only when searching
  return numberText(fees[size]);
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function text(value: LosslessObject[string] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function numberText(value: LosslessObject[string] | undefined): string | undefined {
  return value instanceof JsonNumber ? value.text : undefined;
}

type Prices = EndpointPriceColumns & Pick<CatalogEndpoint, "imagePrice">;
type LongContextTier = Pick<Prices, Extract<keyof Prices, `long${string}`>>;

/**
 * LiteLLM's long-context prices (`input_cost_per_token_above_200k_tokens` and its siblings; 128k, 200k, 272k, …, one
 * threshold per model). A class without a price above the threshold keeps its price below it.
 */
function longContextTier(
  entry: LosslessObject,
  base: Pick<Prices, "outputPrice" | "cachedInputPrice" | "cacheWritePrice">,
): Omit<LongContextTier, "longCacheWrite1hPrice"> {
  const threshold = Object.keys(entry)
    .map((field) => /^input_cost_per_token_above_(\d+)k_tokens$/.exec(field)?.[1])
    .find((thousands) => thousands !== undefined);
  if (threshold === undefined)
    return {
      longContextAbove: null,
      longInputPrice: null,
      longOutputPrice: null,
      longCachedInputPrice: null,
      longCacheWritePrice: null,
    };
  const above = (field: string) => perToken(entry[`${field}_above_${threshold}k_tokens`]);
  return {
    longContextAbove: Number(threshold) * 1000,
    longInputPrice: above("input_cost_per_token"),
    longOutputPrice: above("output_cost_per_token") ?? base.outputPrice,
    longCachedInputPrice: above("cache_read_input_token_cost") ?? base.cachedInputPrice,
    longCacheWritePrice: above("cache_creation_input_token_cost") ?? base.cacheWritePrice,
  };
}

/**
 * One-hour cache writes, where the source prices them (Claude, wherever it is served): Anthropic charges twice the
 * input price for every model, above a long-context threshold too. The source's own figures are not used: some are
 * wrong (claude-3-haiku's is 24× its input price, claude-3-opus's below its five-minute write).
 */
function hourCacheWrites(
  entry: LosslessObject,
  prices: Pick<Prices, "inputPrice" | "longInputPrice">,
): Pick<Prices, "cacheWrite1hPrice" | "longCacheWrite1hPrice"> {
  if (numberText(entry.cache_creation_input_token_cost_above_1hr) === undefined)
    return { cacheWrite1hPrice: null, longCacheWrite1hPrice: null };
  return {
    cacheWrite1hPrice: 2n * prices.inputPrice,
    longCacheWrite1hPrice: prices.longInputPrice === null ? null : 2n * prices.longInputPrice,
  };
}

/** USD per token → nano-USD per million tokens; absent → null. */
function perToken(value: LosslessObject[string] | undefined): bigint | null {
  const literal = numberText(value);
  return literal === undefined ? null : usdPerTokenToNanoPerMillion(literal);
}

/** USD per unit (request, image) → nano-USD per unit; absent → null. */
function perUnit(value: LosslessObject[string] | undefined): bigint | null {
  const literal = numberText(value);
  return literal === undefined ? null : usdToNano(literal);
}

/** A token count: a non-negative safe integer, else null. */
function count(value: LosslessObject[string] | undefined): number | null {
  const literal = numberText(value);
  const parsed = literal === undefined ? Number.NaN : Number(literal);
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : null;
}
