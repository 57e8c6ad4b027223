import {
  JunctionError,
  type PolicyRules,
  policyEndpointReason,
  policyModelReason,
  tokenPricesFor,
  worstCaseCost,
} from "@junction/core";
import {
  type CatalogEndpoint,
  type CatalogModel,
  type CatalogSnapshot,
  findModel,
  modelsNamed,
  providerSettings,
  unservedReason,
} from "./catalog.js";
import { type ProviderPreferences, parseModelSuffix, providerListIndex } from "./preferences.js";

/**
 * What routing reads from a chat request (the gateway's full `ChatRequest` fits it): the models, and what an
 * endpoint must support (tools, JSON schema, images, output length).
 */
export type RouteRequest = {
  model: string;
  models?: unknown;
  messages: readonly { content?: unknown }[];
  tools?: readonly unknown[] | undefined;
  tool_choice?: unknown;
  response_format?: { type: string } | undefined;
  max_tokens?: number | undefined;
  max_completion_tokens?: number | undefined;
  anthropic_beta?: readonly string[] | undefined;
};

/** Measured latency and throughput of an endpoint (kept by the gateway's health tracker). */
export type EndpointStats = { latencyMs: number; tokensPerSecond: number; samples: number };

/** An organization's own OpenAI-compatible endpoint, resolved for one request. */
export type CustomRoute = { model: CatalogModel; baseUrl: string; apiKey: string | undefined };

/**
 * Routing: from a request to the ordered endpoints that may serve it, and the reason every other endpoint was left
 * out. Pure given its inputs (catalog, health, policy, random), so /v1/routing/explain and a real request run the
 * very same code.
 */
export type Candidate = {
  endpoint: CatalogEndpoint;
  baseUrl: string;
  apiKey: string | undefined;
  /** The organization's own provider key is used (BYOK): Junction bills only its fee. */
  isByok: boolean;
  worstCase: bigint;
  /**
   * The output limit this endpoint is sent in place of the request's, when the request's max_tokens is a ceiling
   * (`RouteInputs.maxTokensCeiling`) above the endpoint's maximum output.
   */
  maxTokens?: number;
};
export type Exclusion = { endpoint: string; model: string; provider: string; reason: string };
export type RoutePolicy = { id: string; name: string; versionHash: string; rules: PolicyRules };
export type RouteStrategy = "price" | "throughput" | "latency" | "weighted" | "order";

export type Route = {
  models: string[];
  candidates: Candidate[];
  excluded: Exclusion[];
  strategy: RouteStrategy;
  /** Selection weights of the default strategy (inverse square of price), by endpoint id. */
  weights?: Record<string, number>;
  /** `provider.allow_fallbacks: false` left out endpoints that could have served: a failure is not retried. */
  fallbacksDisabled?: true;
};

export type RouteInputs = {
  catalog: CatalogSnapshot;
  providerEnv: Record<string, string | undefined>;
  hasAdapter: (adapter: string) => boolean;
  openUntil: (endpointId: string) => number | null;
  stats: (endpointId: string) => EndpointStats | undefined;
  policy: RoutePolicy | undefined;
  promptTokens: number;
  kind: "chat" | "embedding";
  random: () => number;
  /** An endpoint this key's prompt prefix was recently served by (prompt-cache affinity). */
  affinity?: string | undefined;
  /** The organization's own provider keys by provider id, and whether only those may be used. */
  byok: Map<string, string>;
  byokOnly: boolean;
  byokFeeBps: number;
  /** The organization's custom endpoints named by the request (`custom/<name>/<model>`), by model id. */
  custom?: Map<string, CustomRoute>;
  /**
   * The request's first parameter an endpoint would not honour, absent when the request asks none that some endpoint
   * lacks. `binding` (`logit_bias` for Claude): the endpoint is passed over whatever the preferences say; otherwise
   * the parameter is dropped on the way, unless `provider.require_parameters` asks for endpoints that take it.
   */
  refusedParameter?:
    | ((endpoint: CatalogEndpoint) => { parameter: string; binding: boolean } | undefined)
    | undefined;
  /**
   * The request's max_tokens is a ceiling, not a demand (Anthropic's Messages API, where it is mandatory and Claude
   * Code sends 32,000 whatever the model): an endpoint with a smaller maximum output is sent its maximum rather than
   * passed over. On OpenAI's routes a limit above the maximum is the client's error, as OpenAI answers it.
   */
  maxTokensCeiling?: boolean;
};

const DEFAULT_MAX_OUTPUT = 4096;

/** What Junction bills for a BYOK request: a share (basis points) of what it would have cost, rounded half-up. */
export function byokFee(cost: bigint, feeBps: number): bigint {
  return (cost * BigInt(feeBps) * 2n + 10_000n) / 20_000n;
}

function usesPart(request: RouteRequest, type: "image_url" | "file"): boolean {
  return request.messages.some(
    (message) =>
      Array.isArray(message.content) &&
      message.content.some((part: { type?: unknown } | null) => part?.type === type),
  );
}

/** An endpoint's input + output price for a prompt of this size (its long-context tier's above the threshold). */
function totalPrice(endpoint: CatalogEndpoint, promptTokens: number): bigint {
  const prices = tokenPricesFor(promptTokens, endpoint.prices);
  return prices.input + prices.output;
}

/**
 * An endpoint's context length for this request. The Claude models Anthropic prices beyond 200k tokens take that
 * much only with its 1M-context beta (a catalog may list either size for them): 1M tokens with it, the tier's
 * threshold without.
 */
function contextLengthFor(endpoint: CatalogEndpoint, request: RouteRequest): number | null {
  const tier = endpoint.prices.longContext;
  if (endpoint.adapter !== "anthropic" || !tier) return endpoint.contextLength;
  return request.anthropic_beta?.includes("context-1m-2025-08-07") ? 1_000_000 : tier.above;
}

/** A max_price figure in USD (per million tokens, or per request) → nano-USD in the same unit. */
const maxPriceNano = (usd: number) => BigInt(Math.round(usd * 1e9));

/** The output limit an endpoint is asked for: the request's, or its maximum when the request's is a ceiling above it. */
function outputLimit(
  endpoint: CatalogEndpoint,
  maxOutput: number | undefined,
  ceiling: boolean | undefined,
): number | undefined {
  const most = endpoint.maxOutputTokens;
  return ceiling && maxOutput !== undefined && most !== null && maxOutput > most ? most : maxOutput;
}

function capabilityReason(
  endpoint: CatalogEndpoint,
  request: RouteRequest,
  maxOutput: number | undefined,
  inputs: Pick<RouteInputs, "promptTokens" | "kind" | "refusedParameter">,
  prefs: ProviderPreferences,
): string | null {
  const { promptTokens } = inputs;
  const usesTools = Boolean(request.tools?.length) && request.tool_choice !== "none";
  if (usesTools && !endpoint.supportsTools) return "does not support tools";
  if (request.response_format?.type === "json_schema" && !endpoint.supportsJsonSchema)
    return "does not support response_format json_schema";
  if (
    prefs.require_parameters &&
    request.response_format?.type === "json_object" &&
    !endpoint.supportsJsonSchema
  ) {
    return "does not support response_format (require_parameters)";
  }
  const refused = inputs.refusedParameter?.(endpoint);
  if (refused?.binding) return `does not take ${refused.parameter}`;
  if (refused && prefs.require_parameters) return `does not take ${refused.parameter} (require_parameters)`;
  // Messages are scanned only for an endpoint that cannot see (most can). The catalog has no flag of its own for
  // documents: the models that read PDFs are those that see images.
  if (!endpoint.supportsVision && usesPart(request, "image_url")) return "does not support image input";
  if (!endpoint.supportsVision && usesPart(request, "file")) return "does not support file input";
  if (maxOutput !== undefined && endpoint.maxOutputTokens !== null && maxOutput > endpoint.maxOutputTokens) {
    return `max_tokens ${maxOutput} exceeds the endpoint's maximum output of ${endpoint.maxOutputTokens}`;
  }
  // An embedding request's prompt here is all its inputs together (what it costs); the context limit applies to
  // each input on its own, and the provider checks that.
  const contextLength = inputs.kind === "chat" ? contextLengthFor(endpoint, request) : null;
  // In Anthropic's own words: Claude Code compacts on the first and lowers max_tokens on the second.
  if (contextLength !== null && promptTokens > contextLength) {
    return `prompt is too long: ${promptTokens} tokens > ${contextLength} maximum`;
  }
  if (contextLength !== null && promptTokens + (maxOutput ?? 0) > contextLength) {
    return `input length and \`max_tokens\` exceed context limit: ${promptTokens} + ${maxOutput} > ${contextLength}`;
  }
  return null;
}

function preferenceReason(
  endpoint: CatalogEndpoint,
  prefs: ProviderPreferences,
  promptTokens: number,
): string | null {
  if (prefs.only && providerListIndex(prefs.only, endpoint) === -1) return "not in provider.only";
  if (prefs.ignore && providerListIndex(prefs.ignore, endpoint) !== -1) return "in provider.ignore";
  if (prefs.order && prefs.allow_fallbacks === false && providerListIndex(prefs.order, endpoint) === -1) {
    return "not in provider.order and allow_fallbacks is false";
  }
  if (prefs.data_collection === "deny" && endpoint.trainsOnData)
    return "provider may train on prompts (data_collection: deny)";
  if (prefs.zdr && !endpoint.zdr) return "provider does not offer zero data retention (zdr)";
  if (prefs.quantizations && !prefs.quantizations.includes(endpoint.quantization ?? "unknown")) {
    return `quantization ${endpoint.quantization ?? "unknown"} not in provider.quantizations`;
  }
  const prices = tokenPricesFor(promptTokens, endpoint.prices);
  if (prefs.max_price?.prompt !== undefined && prices.input > maxPriceNano(prefs.max_price.prompt)) {
    return "prompt price above provider.max_price.prompt";
  }
  if (prefs.max_price?.completion !== undefined && prices.output > maxPriceNano(prefs.max_price.completion)) {
    return "completion price above provider.max_price.completion";
  }
  if (
    prefs.max_price?.request !== undefined &&
    (endpoint.prices.request ?? 0n) > maxPriceNano(prefs.max_price.request)
  ) {
    return "per-request price above provider.max_price.request";
  }
  return null;
}

export function planRoute(request: RouteRequest, prefs: ProviderPreferences, inputs: RouteInputs): Route {
  // OpenRouter's `models`: fallback models after `model`, tried in order.
  const requested = [...new Set([request.model, ...((request.models as string[] | undefined) ?? [])])];
  const excluded: Exclusion[] = [];
  const perModel: { strategy: RouteStrategy; candidates: Candidate[] }[] = [];
  const maxOutput = request.max_completion_tokens ?? request.max_tokens;
  let known = 0;
  let policyBlocked = 0;
  /** When each endpoint excluded only by its open circuit reopens. */
  const reopens: number[] = [];
  /** Endpoints this deployment cannot call for the caller at all (`unservedReason`). */
  const unservedEntries = new Set<Exclusion>();

  for (const name of requested) {
    const { modelId: asked, sort } = parseModelSuffix(name);
    const custom = inputs.custom?.get(asked);
    const model = custom?.model ?? findModel(inputs.catalog, asked);
    if (!model) {
      const matches = modelsNamed(inputs.catalog, asked);
      const reason = matches.length ? `ambiguous: ${matches.join(", ")}` : "unknown model";
      excluded.push({ endpoint: "*", model: asked, provider: "*", reason });
      continue;
    }
    const modelId = model.id;
    known++;
    if (model.kind !== inputs.kind) {
      // It exists (GET /v1/models lists it), so say where it is served rather than "not found".
      const reason =
        model.kind === "embedding"
          ? "an embedding model: use POST /v1/embeddings"
          : "a chat model: use POST /v1/chat/completions";
      excluded.push({ endpoint: "*", model: modelId, provider: "*", reason });
      continue;
    }
    const modelReason = inputs.policy ? policyModelReason(inputs.policy.rules, modelId) : null;
    if (modelReason) {
      policyBlocked++;
      excluded.push({
        endpoint: "*",
        model: modelId,
        provider: "*",
        reason: `policy "${inputs.policy?.name}": ${modelReason}`,
      });
      continue;
    }
    const candidates: Candidate[] = [];
    for (const endpoint of model.endpoints) {
      // A custom endpoint gets its own credential and nothing else: never a platform key, never another BYOK key.
      const byokKey = custom ? undefined : inputs.byok.get(endpoint.providerId);
      const platform = custom
        ? { baseUrl: custom.baseUrl, apiKey: custom.apiKey, configured: true }
        : providerSettings(endpoint.providerId, inputs.providerEnv);
      const settings = byokKey ? { ...platform, apiKey: byokKey } : platform;
      const limit = outputLimit(endpoint, maxOutput, inputs.maxTokensCeiling);
      const fullCost = worstCaseCost(
        inputs.promptTokens,
        limit ?? endpoint.maxOutputTokens ?? DEFAULT_MAX_OUTPUT,
        endpoint.prices,
      );
      const worstCase = byokKey ? byokFee(fullCost, inputs.byokFeeBps) : fullCost;
      const until = inputs.openUntil(endpoint.id);
      const circuit = until ? `circuit open until ${new Date(until).toISOString()}` : null;
      const policyReason = inputs.policy
        ? policyEndpointReason(inputs.policy.rules, { ...endpoint, worstCaseCost: worstCase })
        : null;
      const unservedBy = unservedReason(endpoint, {
        hasAdapter: inputs.hasAdapter(endpoint.adapter),
        ownKey: byokKey !== undefined || custom !== undefined,
        byokOnly: inputs.byokOnly,
        platformConfigured: platform.configured,
      });
      const reason =
        unservedBy ??
        preferenceReason(endpoint, prefs, inputs.promptTokens) ??
        (policyReason ? `policy "${inputs.policy?.name}": ${policyReason}` : null) ??
        capabilityReason(endpoint, request, limit, inputs, prefs) ??
        circuit;
      if (reason) {
        const exclusion = { endpoint: endpoint.id, model: modelId, provider: endpoint.providerId, reason };
        excluded.push(exclusion);
        if (unservedBy) unservedEntries.add(exclusion);
        if (until && reason === circuit) reopens.push(until);
      } else {
        candidates.push({
          endpoint,
          baseUrl: settings.baseUrl,
          apiKey: settings.apiKey,
          isByok: byokKey !== undefined || custom !== undefined,
          worstCase,
          ...(limit !== maxOutput && { maxTokens: limit }),
        });
      }
    }
    // Each model's own suffix orders its endpoints (`provider.sort` overrides them all).
    perModel.push({ strategy: prefs.sort ?? sort ?? (prefs.order ? "order" : "weighted"), candidates });
  }

  const strategy: RouteStrategy = perModel[0]?.strategy ?? prefs.sort ?? (prefs.order ? "order" : "weighted");
  let weights: Record<string, number> | undefined;
  let fallbacksDisabled = false;
  const candidates = perModel.flatMap(({ strategy: modelStrategy, candidates: list }, index) => {
    const ordered = orderCandidates(list, modelStrategy, prefs, inputs);
    if (ordered.weights) weights = { ...weights, ...ordered.weights };
    // Prompt-cache affinity: the endpoint that served this prefix recently goes first while it is healthy — within
    // the first model only, so a fallback model that once served never jumps ahead of the model asked for.
    if (index === 0 && inputs.affinity && !prefs.order && !prefs.sort) {
      const at = ordered.list.findIndex((candidate) => candidate.endpoint.id === inputs.affinity);
      if (at > 0) ordered.list.unshift(...ordered.list.splice(at, 1));
    }
    // allow_fallbacks: false keeps each model to its first provider, or to the providers of provider.order (those
    // are tried in turn, as OpenRouter does). `models` fallbacks are models, not backup providers: they stay.
    if (prefs.allow_fallbacks === false && !prefs.order && ordered.list.length > 1) {
      fallbacksDisabled = true;
      for (const { endpoint } of ordered.list.splice(1)) {
        excluded.push({
          endpoint: endpoint.id,
          model: endpoint.modelId,
          provider: endpoint.providerId,
          reason: "a backup provider, and allow_fallbacks is false",
        });
      }
    }
    return ordered.list;
  });
  if (prefs.allow_fallbacks === false && prefs.order) {
    fallbacksDisabled ||= excluded.some((entry) => entry.reason.startsWith("not in provider.order"));
  }

  if (!candidates.length) {
    const metadata = { excluded };
    if (known === 0) {
      const ambiguous = excluded.find((entry) => entry.reason.startsWith("ambiguous: "));
      throw new JunctionError(
        "not_found",
        ambiguous
          ? `Model "${ambiguous.model}" names several models (${ambiguous.reason.slice(11)}): use one of these ids.`
          : `Model "${requested.join('", "')}" not found. GET /v1/models lists the available models.`,
        {
          param: "model",
          metadata,
        },
      );
    }
    if (policyBlocked === known || excluded.every((entry) => entry.reason.startsWith("policy"))) {
      throw new JunctionError(
        "forbidden",
        `Policy "${inputs.policy?.name}" does not allow this request: ${summary(excluded)}`,
        {
          metadata: {
            ...metadata,
            policy_id: inputs.policy?.id,
            policy_version_hash: inputs.policy?.versionHash,
          },
        },
      );
    }
    // Known models that nothing here can call for this caller (`unservedReason`; GET /v1/models leaves them out): as
    // for a model that does not exist, 404, with what is missing. Unknown models in the list are excluded too.
    const unserved = unservedEntries.size;
    if (unserved > 0 && unserved === excluded.length - (requested.length - known)) {
      throw new JunctionError(
        "not_found",
        `Model "${requested.join('", "')}" is not available here: ${summary(excluded)}. ` +
          "GET /v1/models lists the models you can use.",
        { param: "model", metadata },
      );
    }
    // An open breaker is temporary: the request itself is fine, so 503 and when to try again (as for a 429).
    if (reopens.length) {
      const retryAfter = Math.max(1, Math.ceil((Math.min(...reopens) - Date.now()) / 1000));
      throw new JunctionError(
        "service_unavailable",
        `Every endpoint that could serve this request is temporarily unavailable: ${summary(excluded)}`,
        { param: "model", metadata: { ...metadata, retry_after_seconds: retryAfter } },
      );
    }
    const aboutRequest = excluded.filter((entry) => !unservedEntries.has(entry));
    // Too long for every endpoint the caller's preferences allow: in OpenAI's code, as an upstream's refusal is, so
    // that clients shorten the prompt (Codex compacts) rather than give up.
    const allowed = aboutRequest.filter((entry) => !PROVIDER_PREFERENCE.test(entry.reason));
    if (allowed.length && allowed.every((entry) => CONTEXT_REASON.test(entry.reason))) {
      throw new JunctionError(
        "context_length_exceeded",
        `No endpoint can serve this request: ${summary(excluded)}`,
        { param: "messages", metadata },
      );
    }
    throw new JunctionError("bad_request", `No endpoint can serve this request: ${summary(excluded)}`, {
      param: faultParam(aboutRequest, request),
      metadata,
    });
  }
  return {
    models: requested,
    candidates,
    excluded,
    strategy,
    ...(weights && { weights }),
    ...(fallbacksDisabled && { fallbacksDisabled: true as const }),
  };
}

/** The exclusions for a prompt (and max_tokens) too long for the endpoint's context (endpointReason's words). */
const CONTEXT_REASON = /^(prompt is too long: |input length and `max_tokens` exceed context limit: )/;
/** The exclusions the caller's own provider preferences made. */
const PROVIDER_PREFERENCE = /provider\.(only|ignore|order|quantizations)\b/;

/**
 * The request field every endpoint refused for, when they agree (max_tokens too large everywhere); else the model.
 * Given the exclusions that are about the request (not the endpoints nothing here can call).
 */
function faultParam(excluded: Exclusion[], request: RouteRequest): string {
  const fieldOf = (reason: string) =>
    reason.startsWith("max_tokens ")
      ? request.max_completion_tokens !== undefined
        ? "max_completion_tokens"
        : "max_tokens"
      : reason.startsWith("prompt (") || reason === "does not support image input"
        ? "messages"
        : reason === "does not support tools"
          ? "tools"
          : reason.startsWith("does not support response_format")
            ? "response_format"
            : reason.includes("provider.max_price")
              ? "provider.max_price"
              : PROVIDER_PREFERENCE.test(reason)
                ? "provider"
                : (/^does not take (\w+)(?: \(require_parameters\))?$/.exec(reason)?.[1] ?? "model");
  const fields = new Set(excluded.map((entry) => fieldOf(entry.reason)));
  // The endpoints the caller's own provider preferences left out say nothing of the request's other fields: when the
  // endpoints they allowed all refused one field (`provider.only: ["groq"]` with logit_bias), that field is named.
  if (fields.size > 1) fields.delete("provider");
  return fields.size === 1 ? ([...fields][0] as string) : "model";
}

function summary(excluded: Exclusion[]): string {
  const shown = excluded
    .slice(0, 6)
    .map((entry) => `${entry.endpoint === "*" ? entry.model : entry.endpoint}: ${entry.reason}`);
  return (
    shown.join("; ") + (excluded.length > shown.length ? `; and ${excluded.length - shown.length} more` : "")
  );
}

function orderCandidates(
  list: Candidate[],
  strategy: RouteStrategy,
  prefs: ProviderPreferences,
  inputs: RouteInputs,
): { list: Candidate[]; weights?: Record<string, number> } {
  const price = (endpoint: CatalogEndpoint) => totalPrice(endpoint, inputs.promptTokens);
  const byPrice = [...list].sort(
    (a, b) => Number(price(a.endpoint) - price(b.endpoint)) || a.endpoint.id.localeCompare(b.endpoint.id),
  );
  let sorted = byPrice;
  if (strategy === "throughput" || strategy === "latency") {
    const score = (candidate: Candidate) => {
      const stats = inputs.stats(candidate.endpoint.id);
      if (!stats) return strategy === "throughput" ? 0 : Number.POSITIVE_INFINITY;
      return strategy === "throughput" ? -stats.tokensPerSecond : stats.latencyMs;
    };
    // Endpoints without stats go last; ties (and two without stats) keep the cheaper first.
    sorted = [...byPrice].sort((a, b) => score(a) - score(b) || 0);
  }
  const order = prefs.order;
  if (order) {
    // provider.order comes first whatever else orders the rest (`sort`, a `:nitro` or `:floor` suffix).
    const rank = (candidate: Candidate) => {
      const index = providerListIndex(order, candidate.endpoint);
      return index === -1 ? order.length : index;
    };
    return { list: [...sorted].sort((a, b) => rank(a) - rank(b)) };
  }
  if (strategy !== "weighted") return { list: sorted };
  // Default (as OpenRouter does): pick the first endpoint at random weighted by the inverse square of its price,
  // so cheaper endpoints get most traffic without starving the others; the rest follow cheapest-first.
  if (byPrice.length < 2) return { list: byPrice };
  const cheapest = Number(price(byPrice[0]?.endpoint as CatalogEndpoint)) || 1;
  const raw = byPrice.map((candidate) => 1 / (Number(price(candidate.endpoint)) / cheapest || 1) ** 2);
  const total = raw.reduce((sum, weight) => sum + weight, 0);
  const weights = Object.fromEntries(
    byPrice.map((candidate, index) => [candidate.endpoint.id, (raw[index] ?? 0) / total]),
  );
  let pick = inputs.random() * total;
  let chosen = 0;
  for (; chosen < raw.length - 1; chosen++) {
    pick -= raw[chosen] ?? 0;
    if (pick < 0) break;
  }
  const ordered = [...byPrice];
  ordered.unshift(...ordered.splice(chosen, 1));
  return { list: ordered, weights };
}
