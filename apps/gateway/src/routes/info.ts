import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type EndpointPrices,
  JunctionError,
  limitPeriodStart,
  nanoToUsdNumber,
  nanoToUsdString,
  pricePerMillionToUsdPerToken,
} from "@junction/core";
import { OPTIONAL_PARAMETERS, takesBindingParameter, takesParameter } from "@junction/providers";
import {
  type CatalogEndpoint,
  type CatalogModel,
  findModel,
  providerSettings,
  unservedReason,
} from "@junction/routing/catalog";
import type { GatewayContext } from "../context.js";
import { sendJson } from "../http.js";

const price = (value: bigint | null | undefined) =>
  value === null || value === undefined ? "0" : pricePerMillionToUsdPerToken(value);

/**
 * OpenRouter's pricing object (USD per token as strings), plus the one-hour cache write and the long-context tier
 * (the prices every token of a prompt over `above_prompt_tokens` is charged at) where the endpoint has them.
 */
function pricing(prices: EndpointPrices) {
  const tier = prices.longContext;
  return {
    prompt: price(prices.input),
    completion: price(prices.output),
    request: price(prices.request),
    input_cache_read: price(prices.cachedInput),
    input_cache_write: price(prices.cacheWrite),
    ...(prices.cacheWrite1h != null && { input_cache_write_1h: price(prices.cacheWrite1h) }),
    ...(tier && {
      long_context: {
        above_prompt_tokens: tier.above,
        prompt: price(tier.input),
        completion: price(tier.output),
        input_cache_read: price(tier.cachedInput),
        input_cache_write: price(tier.cacheWrite),
        ...(tier.cacheWrite1h != null && { input_cache_write_1h: price(tier.cacheWrite1h) }),
      },
    }),
  };
}

function supportedParameters(endpoint: CatalogEndpoint, kind: CatalogModel["kind"]): string[] {
  if (kind === "embedding") return ["dimensions", "encoding_format"];
  const parameters = ["max_tokens", "temperature", "top_p", "stop", "seed"];
  if (endpoint.supportsTools) parameters.push("tools", "tool_choice");
  if (endpoint.supportsJsonSchema) parameters.push("response_format", "structured_outputs");
  if (endpoint.supportsReasoning) parameters.push("reasoning", "include_reasoning");
  if (takesBindingParameter(endpoint, "logit_bias")) parameters.push("logit_bias");
  for (const parameter of OPTIONAL_PARAMETERS)
    if (takesParameter(endpoint, parameter)) parameters.push(parameter);
  return parameters;
}

/** Whether an endpoint can be called from here: an adapter that speaks its protocol, and a credential for it. */
type Availability = (endpoint: CatalogEndpoint, kind: CatalogModel["kind"]) => boolean;

function modelEntry(model: CatalogModel, available: Availability, all: boolean) {
  const endpoints = all
    ? model.endpoints
    : model.endpoints.filter((endpoint) => available(endpoint, model.kind));
  // The endpoint whose prices the model shows (OpenRouter's top provider); a catalog model without endpoints has none.
  const cheapest: CatalogEndpoint | undefined = [...endpoints].sort((a, b) =>
    Number(a.prices.input - b.prices.input),
  )[0];
  const parameters = new Set(endpoints.flatMap((endpoint) => supportedParameters(endpoint, model.kind)));
  const vision = endpoints.some((endpoint) => endpoint.supportsVision);
  const output = model.kind === "embedding" ? "embeddings" : "text";
  return {
    id: model.id,
    object: "model",
    created: Math.floor(model.createdAt.getTime() / 1000),
    owned_by: model.id.split("/")[0],
    name: model.name,
    description: model.description ?? "",
    context_length: model.contextLength ?? cheapest?.contextLength ?? null,
    architecture: {
      modality: `${vision ? "text+image" : "text"}->${output}`,
      input_modalities: vision ? ["text", "image"] : ["text"],
      output_modalities: [output],
    },
    top_provider: {
      context_length: cheapest?.contextLength ?? null,
      max_completion_tokens: cheapest?.maxOutputTokens ?? null,
      is_moderated: false,
    },
    pricing: pricing(cheapest?.prices ?? { input: 0n, output: 0n }),
    supported_parameters: [...parameters].sort(),
    endpoints: endpoints.map((endpoint) => ({
      id: endpoint.id,
      provider: endpoint.providerId,
      provider_name: endpoint.providerName,
      context_length: endpoint.contextLength,
      max_completion_tokens: endpoint.maxOutputTokens,
      pricing: pricing(endpoint.prices),
      supported_parameters: supportedParameters(endpoint, model.kind),
      quantization: endpoint.quantization,
      status: endpoint.status,
      available: available(endpoint, model.kind),
    })),
  };
}

/**
 * What the caller can use: endpoints with an adapter and a credential — the platform's (from the environment) or,
 * when the request carries a valid key, its organization's own (BYOK). The listing is public: without a valid key
 * it shows what the platform's credentials serve.
 */
async function availability(context: GatewayContext, request: IncomingMessage): Promise<Availability> {
  let byok = new Map<string, string>();
  let byokOnly = false;
  if (request.headers.authorization || request.headers["x-api-key"]) {
    const principal = await context.auth.authenticate(request.headers).catch(() => undefined);
    if (principal) {
      byok = await context.byok.forOrganization(principal.organizationId);
      byokOnly = principal.org.byokOnly;
    }
  }
  return (endpoint, kind) => {
    const adapter = context.adapters.get(endpoint.adapter);
    if (kind === "embedding" && adapter && !adapter.embed) return false;
    const unserved = unservedReason(endpoint, {
      hasAdapter: adapter !== undefined,
      ownKey: byok.has(endpoint.providerId),
      byokOnly,
      platformConfigured: providerSettings(endpoint.providerId, context.providerEnv).configured,
    });
    return unserved === null;
  };
}

/** A boolean query parameter: absent or empty, true/1 or false/0; anything else is a 400 naming it, not a silent false. */
function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw new JunctionError("bad_request", `Invalid query: \`${name}\` must be true, false, 1 or 0`, {
    param: name,
  });
}

/**
 * GET /v1/models — OpenRouter-like: per-token prices as strings, parameters, and the endpoints serving each model
 * that the caller can use (`?all=true`: the whole catalog, each endpoint marked `available` or not;
 * `?supported_parameters=tools,response_format`: only models that take every one of them, as OpenRouter filters).
 */
export async function handleModels(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const available = await availability(context, request);
  const query = new URL(request.url ?? "/", "http://gateway").searchParams;
  const all = flag(query, "all");
  const required = (query.get("supported_parameters") ?? "")
    .split(",")
    .map((parameter) => parameter.trim())
    .filter(Boolean);
  const models = [...context.catalog().models.values()]
    .filter((model) => all || model.endpoints.some((endpoint) => available(endpoint, model.kind)))
    .sort((a, b) => a.id.localeCompare(b.id));
  const data = models
    .map((model) => modelEntry(model, available, all))
    .filter((entry) => required.every((parameter) => entry.supported_parameters.includes(parameter)));
  sendJson(response, 200, { object: "list", data });
}

/** GET /v1/models/:author/:slug */
export async function handleModel(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  id: string,
): Promise<void> {
  sendJson(response, 200, await modelWithAllEndpoints(context, request, id));
}

/** One model as GET /v1/models shows it, every endpoint included and marked `available` or not; 404 if unknown. */
async function modelWithAllEndpoints(context: GatewayContext, request: IncomingMessage, id: string) {
  const model = findModel(context.catalog(), id);
  if (!model) throw new JunctionError("not_found", `Model "${id}" not found`, { param: "model" });
  return modelEntry(model, await availability(context, request), true);
}

/**
 * GET /v1/models/:author/:slug/endpoints — OpenRouter's per-provider view of one model: every endpoint with its
 * prices and limits, and how it is doing now, as the router sees it (its breaker, and the moving averages `sort`
 * uses: time to first token and output speed).
 */
export async function handleModelEndpoints(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  id: string,
): Promise<void> {
  const { endpoints, ...entry } = await modelWithAllEndpoints(context, request, id);
  const now = Date.now();
  sendJson(response, 200, {
    data: {
      ...entry,
      endpoints: endpoints.map((endpoint) => ({
        name: `${endpoint.provider_name} | ${entry.id}`,
        ...endpoint,
        health: endpointHealth(context, endpoint.id, now),
      })),
    },
  });
}

function endpointHealth(context: GatewayContext, endpointId: string, now: number) {
  const until = context.health.openUntilFor(endpointId, now);
  const stats = context.health.statsFor(endpointId);
  return {
    breaker: until !== null ? "open" : context.health.halfOpen(endpointId, now) ? "half_open" : "closed",
    reopens_at: until === null ? null : new Date(until).toISOString(),
    latency_ms: stats ? Math.round(stats.latencyMs) : null,
    tokens_per_second: stats ? Math.round(stats.tokensPerSecond * 10) / 10 : null,
  };
}

/** GET /v1/generation?id= — OpenRouter's form: without an id there is nothing to look up (400, not "not found"). */
export function handleGenerationByQuery(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const id = new URL(request.url ?? "/", "http://gateway").searchParams.get("id");
  if (!id) throw new JunctionError("bad_request", "Invalid query: `id` is required", { param: "id" });
  return handleGeneration(context, request, response, id);
}

/** GET /v1/generations/:id — the generation record, visible only to the key that made it. */
export async function handleGeneration(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  requestedId: string,
): Promise<void> {
  const principal = await context.auth.authenticate(request.headers);
  // The Messages API's `msg_…` id is the generation id under Anthropic's prefix.
  const id = requestedId.startsWith("msg_") ? `gen_${requestedId.slice(4)}` : requestedId;
  // Ids are ULID-based words; anything else (a NUL, which Postgres refuses) is simply not one of them.
  const notFound = () => new JunctionError("not_found", `Generation "${requestedId}" not found`);
  if (!/^[\w-]{1,100}$/.test(id)) throw notFound();
  // Read-your-writes on this instance: a response can end before its row is in Postgres.
  await context.writer.pending(id)?.catch(() => undefined);
  const generation = await context.db.generation.findFirst({
    where: { id, organizationId: principal.organizationId, apiKeyId: principal.keyId },
  });
  if (!generation) throw notFound();
  sendJson(response, 200, {
    data: {
      id: generation.id,
      model: generation.servedModel ?? generation.requestedModel,
      requested_model: generation.requestedModel,
      provider: generation.providerId,
      endpoint: generation.endpointId,
      api_format: generation.apiFormat,
      streamed: generation.stream,
      status: generation.status,
      finish_reason: generation.finishReason,
      error: generation.errorCode ? { code: generation.errorCode, message: generation.errorMessage } : null,
      created_at: generation.createdAt.toISOString(),
      completed_at: generation.completedAt?.toISOString() ?? null,
      latency_ms: generation.latencyMs,
      time_to_first_token_ms: generation.timeToFirstTokenMs,
      tokens_prompt: generation.promptTokens,
      tokens_completion: generation.completionTokens,
      tokens_cached: generation.cachedTokens,
      tokens_cache_write: generation.cacheWriteTokens,
      tokens_cache_write_1h: generation.cacheWrite1hTokens,
      usage_estimated: generation.usageEstimated,
      total_cost: Number(nanoToUsdString(generation.cost)),
      total_cost_usd: nanoToUsdString(generation.cost),
      total_cost_nano_usd: generation.cost.toString(),
      is_byok: generation.isByok,
      attempts: generation.attempts,
      price_table_version: generation.priceTableVersion,
      policy_id: generation.policyId,
      policy_version_hash: generation.policyVersionHash,
      receipt: generation.receipt,
      signature: generation.signature,
    },
  });
}

/** The caller's key, once this instance's writes are in: usage of responses already sent is in what it reads. */
async function caughtUpCaller(context: GatewayContext, request: IncomingMessage) {
  const principal = await context.auth.authenticate(request.headers);
  await context.writer.caughtUp();
  return principal;
}

/** GET /v1/credits — the organization's credits and usage, plus this key's limit and what remains of it. */
export async function handleCredits(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const principal = await caughtUpCaller(context, request);
  const [balance, purchased, keySpend] = await Promise.all([
    context.credits.settledBalance(principal.organizationId),
    context.db.$queryRaw<{ total: bigint }[]>`
      SELECT COALESCE(SUM("amount"), 0) AS total FROM "CreditLedgerEntry"
      WHERE "organizationId" = ${principal.organizationId} AND "amount" > 0`,
    context.credits.keyPeriodSpend(principal),
  ]);
  const totalCredits = BigInt(purchased[0]?.total ?? 0n);
  const usage = totalCredits - balance;
  const remaining = principal.creditLimit === null ? null : principal.creditLimit - keySpend;
  sendJson(response, 200, {
    data: {
      total_credits: Number(nanoToUsdString(totalCredits)),
      total_usage: Number(nanoToUsdString(usage)),
      balance: Number(nanoToUsdString(balance)),
      balance_usd: nanoToUsdString(balance),
      balance_nano_usd: balance.toString(),
      key: {
        id: principal.keyId,
        name: principal.name,
        limit: principal.creditLimit === null ? null : Number(nanoToUsdString(principal.creditLimit)),
        limit_reset: principal.limitReset,
        limit_period_start: limitPeriodStart(principal.limitReset)?.toISOString() ?? null,
        usage: Number(nanoToUsdString(keySpend)),
        limit_remaining: remaining === null ? null : Number(nanoToUsdString(remaining)),
      },
    },
  });
}

/**
 * GET /v1/key — this key, in the shape of OpenRouter's `GET /api/v1/key` (tools that show a key's usage call it):
 * all-time usage and the usage of this UTC day, week (from Monday) and month, in USD; the limit and what remains of
 * it in the current limit period.
 */
export async function handleKey(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const principal = await caughtUpCaller(context, request);
  const [[usage], periodSpend] = await Promise.all([
    context.db.$queryRaw<{ total: bigint; day: bigint; week: bigint; month: bigint }[]>`
      SELECT COALESCE(SUM("cost"), 0) AS total,
        COALESCE(SUM("cost") FILTER (WHERE "createdAt" >= date_trunc('day', now() AT TIME ZONE 'UTC')), 0) AS day,
        COALESCE(SUM("cost") FILTER (WHERE "createdAt" >= date_trunc('week', now() AT TIME ZONE 'UTC')), 0) AS week,
        COALESCE(SUM("cost") FILTER (WHERE "createdAt" >= date_trunc('month', now() AT TIME ZONE 'UTC')), 0) AS month
      FROM "Generation" WHERE "apiKeyId" = ${principal.keyId}`,
    context.credits.keyPeriodSpend(principal),
  ]);
  // SUM comes back as a decimal; the limit as a bigint.
  const usd = (nano: bigint | number | undefined) => nanoToUsdNumber(BigInt(nano ?? 0));
  const limit = principal.creditLimit;
  sendJson(response, 200, {
    data: {
      label: principal.name,
      limit: limit === null ? null : usd(limit),
      limit_reset: limit === null || principal.limitReset === "never" ? null : principal.limitReset,
      limit_remaining: limit === null ? null : usd(limit - periodSpend),
      usage: usd(usage?.total),
      usage_daily: usd(usage?.day),
      usage_weekly: usd(usage?.week),
      usage_monthly: usd(usage?.month),
      is_free_tier: false,
      is_provisioning_key: false,
      expires_at: principal.expiresAt?.toISOString() ?? null,
    },
  });
}

/**
 * A dependency that does not answer (a dropped connection, a full pool) must not hang the probe past the health
 * checker's own timeout: each check gives up after this long and says so.
 */
const HEALTH_CHECK_TIMEOUT_MS = 2_000;
const HEALTH_TIMEOUT = "timeout";

/** Why a check failed, without the message (which can name hosts or carry a connection string): a code or a class. */
function healthFailure(error: unknown): string {
  if (error instanceof Error && error.message === HEALTH_TIMEOUT)
    return `timeout after ${HEALTH_CHECK_TIMEOUT_MS} ms`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[\w.-]{1,40}$/.test(code)) return code;
  return error instanceof Error ? error.name : "error";
}

/** GET /health — liveness plus the status of the database and Redis. */
export async function handleHealth(
  context: GatewayContext,
  _request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const check = async (probe: () => Promise<unknown>) => {
    const started = performance.now();
    const latency = () => Math.round((performance.now() - started) * 100) / 100;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(HEALTH_TIMEOUT)), HEALTH_CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([probe(), timeout]);
      return { status: "ok", latency_ms: latency() };
    } catch (error) {
      return { status: "error", latency_ms: latency(), error: healthFailure(error) };
    } finally {
      clearTimeout(timer);
    }
  };
  const [database, redis] = await Promise.all([
    check(() => context.db.$queryRaw`SELECT 1`),
    check(() => context.redis.ping()),
  ]);
  const healthy = database.status === "ok" && redis.status === "ok";
  const catalog = context.catalog();
  sendJson(response, healthy ? 200 : 503, {
    status: healthy ? "ok" : "degraded",
    database,
    redis,
    catalog: {
      models: catalog.models.size,
      price_table_version: catalog.priceTableVersion,
      loaded_at: catalog.loadedAt.toISOString(),
    },
    uptime_seconds: Math.round(process.uptime()),
  });
}

/** GET /metrics — Prometheus text format. */
export async function handleMetrics(
  context: GatewayContext,
  _request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const text = await context.metrics.registry.metrics();
  response.writeHead(200, { "content-type": context.metrics.registry.contentType }).end(text);
}
