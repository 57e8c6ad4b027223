import { JunctionError, maxNano, newId } from "@junction/core";
import {
  type AttemptContext,
  asksForReasoning,
  BINDING_PARAMETERS,
  type ChatRequest,
  OPTIONAL_PARAMETERS,
  type ProviderAdapter,
  ProviderError,
  takesBindingParameter,
  takesParameter,
} from "@junction/providers";
import { parseProviderPreferences } from "@junction/routing/preferences";
import { planRoute, type Route, type RouteInputs, type RoutePolicy } from "@junction/routing/router";
import type { KeyPrincipal } from "./auth.js";
import type { GatewayContext } from "./context.js";
import { classifyUnknown } from "./errors.js";
import { type GenerationContext, GenerationTracker, type SettledGeneration } from "./generation.js";
import { toJunctionError } from "./http.js";
import { observeGeneration } from "./metrics.js";
import { AFFINITY_MIN_PROMPT_TOKENS } from "./routing/affinity.js";

/** What the route handler knows of a request; the tracker's meta adds the routed prompt count. */
export type ChatMeta = Omit<GenerationTracker["meta"], "promptTokens">;

export type RoutedRequest = {
  route: Route;
  policy: RoutePolicy | undefined;
  promptTokens: number;
  affinityKey: string | undefined;
};

/**
 * The first parameter of the request an endpoint would not honour. `binding`: one whose absence changes the answer
 * (`logit_bias`: only some OpenAI-format hosts take it), so the endpoint is passed over;
 * otherwise an optional one, dropped on the way unless `provider.require_parameters` asks for it. An empty object
 * asks nothing.
 */
function refusedParameter(request: ChatRequest): RouteInputs["refusedParameter"] {
  const binding = BINDING_PARAMETERS.filter((field) => {
    const value = request[field];
    return value !== undefined && !(typeof value === "object" && value && !Object.keys(value).length);
  });
  const asked = OPTIONAL_PARAMETERS.filter((parameter) => {
    const value = request[parameter];
    return value !== undefined && value !== false;
  });
  if (!binding.length && !asked.length) return undefined;
  const thinking = asksForReasoning(request);
  return (endpoint) => {
    const refused = binding.find((parameter) => !takesBindingParameter(endpoint, parameter));
    if (refused !== undefined) return { parameter: refused, binding: true };
    const dropped = asked.find((parameter) => !takesParameter(endpoint, parameter, thinking));
    return dropped === undefined ? undefined : { parameter: dropped, binding: false };
  };
}

/**
 * Applies the key's policy and the request's provider preferences and plans the route — the same code for a real
 * request and for POST /v1/routing/explain. Throws 400/403/404 before any provider is called.
 */
export async function routeRequest(
  context: GatewayContext,
  principal: KeyPrincipal,
  request: ChatRequest,
  kind: "chat" | "embedding" = "chat",
  maxTokensCeiling = false,
): Promise<RoutedRequest> {
  const prefs = parseProviderPreferences(request.provider);
  const policy = await context.policies.forRequest(principal.organizationId, principal.policyId);
  const maxTokens = policy?.rules.maxTokens;
  if (maxTokens !== undefined && kind === "chat") {
    const asked = request.max_completion_tokens ?? request.max_tokens;
    if (asked !== undefined && asked > maxTokens) {
      throw new JunctionError(
        "forbidden",
        `Policy "${policy?.name}" allows at most ${maxTokens} output tokens; the request asks for ${asked}`,
        {
          param: "max_tokens",
          metadata: { policy_id: policy?.id, policy_version_hash: policy?.versionHash },
        },
      );
    }
    if (asked === undefined) request.max_tokens = maxTokens;
  }
  const promptTokens = context.tokenCounts.countPrompt(principal.organizationId, request);
  const affinityKey =
    promptTokens >= AFFINITY_MIN_PROMPT_TOKENS ? context.affinity.key(principal.keyId, request) : undefined;
  const affinity = affinityKey
    ? await context.affinity.lookup(affinityKey).catch(() => undefined)
    : undefined;
  const byok = await context.byok.forOrganization(principal.organizationId);
  const route = planRoute(request, prefs, {
    byok,
    custom: await context.customEndpoints.forRequest(principal.organizationId, request),
    byokOnly: principal.org.byokOnly,
    byokFeeBps: context.env.BYOK_FEE_BPS,
    catalog: context.catalog(),
    providerEnv: context.providerEnv,
    hasAdapter: (adapter) => {
      const found = context.adapters.get(adapter);
      return found !== undefined && (kind === "chat" || found.embed !== undefined);
    },
    openUntil: (endpointId) => context.health.openUntilFor(endpointId),
    stats: (endpointId) => context.health.statsFor(endpointId),
    policy,
    promptTokens,
    kind,
    random: context.random,
    affinity,
    refusedParameter: refusedParameter(request),
    maxTokensCeiling,
  });
  return { route, policy, promptTokens, affinityKey };
}

/** Routes a request and reserves its worst case: the dearest candidate's price for the prompt and the most output. */
export async function beginGeneration(
  context: GatewayContext,
  principal: KeyPrincipal,
  request: ChatRequest,
  meta: ChatMeta,
  kind: "chat" | "embedding" = "chat",
): Promise<{ route: Route; tracker: GenerationTracker }> {
  context.retryBudget.onRequest(principal.organizationId);
  // Anthropic's max_tokens is mandatory and a ceiling: each endpoint is sent at most its maximum output.
  const routed = await routeRequest(context, principal, request, kind, meta.apiFormat === "anthropic");
  const worst = routed.route.candidates.reduce((max, candidate) => maxNano(max, candidate.worstCase), 0n);
  const id = newId("generation");
  const asked = request.max_completion_tokens ?? request.max_tokens ?? 0;
  // The most output any candidate may produce (a ceiling is lowered to each endpoint's maximum).
  const mostOutput = Math.max(0, ...routed.route.candidates.map((candidate) => candidate.maxTokens ?? asked));
  const estimatedTokens = routed.promptTokens + mostOutput;
  // Rate limits and credit in one Redis round trip (auto-pipelined); whichever refuses, the other is undone.
  const [taken, reserved] = await Promise.allSettled([
    context.limiter.take(
      {
        organizationId: principal.organizationId,
        org: principal.limits.org,
        keyId: principal.keyId,
        key: principal.limits.key,
      },
      estimatedTokens,
    ),
    context.credits.reserve(principal, worst, id),
  ]);
  if (taken.status === "rejected" || reserved.status === "rejected") {
    await Promise.allSettled([
      taken.status === "fulfilled" && context.limiter.release(taken.value, 0),
      reserved.status === "fulfilled" && context.credits.settle(reserved.value, 0n),
    ]);
    // A rate limit answers first (429 before 402), as when they were checked one after the other.
    throw taken.status === "rejected" ? taken.reason : (reserved as PromiseRejectedResult).reason;
  }
  const lease = taken.value;
  const reservation = reserved.value;
  const tracker = new GenerationTracker(
    generationContext(context, context.catalog().priceTableVersion, routed.affinityKey),
    principal,
    request,
    // Listed, not spread (see admit.ts).
    {
      apiFormat: meta.apiFormat,
      route: meta.route,
      stream: meta.stream,
      body: meta.body,
      promptTokens: routed.promptTokens,
    },
    reservation,
    routed.policy,
    id,
    lease,
  );
  return { route: routed.route, tracker };
}

export function generationContext(
  context: GatewayContext,
  priceTableVersion: number,
  affinityKey?: string,
): GenerationContext {
  return {
    writer: context.writer,
    credits: context.credits,
    limiter: context.limiter,
    byokFeeBps: context.env.BYOK_FEE_BPS,
    priceTableVersion,
    log: context.log,
    observe: (tracker, settled) => {
      observeGeneration(context.metrics, tracker, settled);
      recordHealth(context, tracker, settled, affinityKey);
    },
  };
}

/** Feeds the shared breaker and moving averages, and remembers the endpoint for prompt-cache affinity. */
function recordHealth(
  context: GatewayContext,
  tracker: GenerationTracker,
  settled: SettledGeneration,
  affinityKey: string | undefined,
): void {
  const endpoint = settled.endpoint;
  if (!endpoint) return;
  const ignore = (error: unknown) => context.log("health update failed", error);
  if (settled.httpStatus === 200 && tracker.upstreamStartedAt !== undefined) {
    const seconds = (Date.now() - tracker.upstreamStartedAt) / 1000;
    const firstToken = tracker.firstTokenAt ?? Date.now();
    context.health
      .recordSuccess(endpoint.id, {
        latencyMs: firstToken - tracker.upstreamStartedAt,
        tokensPerSecond: seconds > 0 ? settled.usage.completionTokens / seconds : 0,
      })
      .catch(ignore);
    if (affinityKey) context.affinity.remember(affinityKey, endpoint.id).catch(ignore);
  } else if (settled.status === "error" && settled.httpStatus >= 500) {
    // Failed after the first byte. A client that went away says nothing about the endpoint: users stop
    // generations all the time, and counting those would open the breaker on a healthy provider.
    context.health.recordFailure(endpoint.id).catch(ignore);
  } else {
    context.health.releaseProbe(endpoint.id).catch(ignore);
  }
}

/**
 * Tries the route's candidates in order. A retryable failure (`ProviderError.retryable`: connect, timeout, 5xx, 429,
 * 408, the provider refusing the upstream key with 401/403 or not knowing the model, an account out of funds, one
 * request over a key's allowance) moves on to the next candidate — while the retry budget allows — and feeds that
 * endpoint's breaker when `countsAgainstEndpoint` (429 with Retry-After opens it for exactly that long; an
 * organization's own key refused or rate limited does not, nor a request over a key's allowance). A half-open
 * endpoint is tried only by the request holding its probe. Anything else, or the last candidate failing, is thrown.
 * Every attempt is recorded.
 */
export async function attemptCandidates<T>(
  context: GatewayContext,
  route: Route,
  tracker: GenerationTracker,
  signal: AbortSignal,
  call: (
    adapter: ProviderAdapter,
    attempt: AttemptContext,
    candidate: Route["candidates"][number],
  ) => Promise<T>,
): Promise<T> {
  let lastError: ProviderError | undefined;
  let budgetSpent = false;
  let attempted = 0;
  let previous: Route["candidates"][number] | undefined;
  const probing: string[] = [];
  for (const candidate of route.candidates) {
    // A half-open endpoint is left to the one request probing it (a skip is no attempt, so no fallback budget).
    const endpointId = candidate.endpoint.id;
    if (context.health.halfOpen(endpointId) && !(await context.health.claimProbe(endpointId))) {
      probing.push(endpointId);
      continue;
    }
    // A fallback from or to the organization's own endpoint or key spends its own share of the budget.
    const own = candidate.isByok || previous?.isByok ? tracker.principal.organizationId : undefined;
    if (attempted++ > 0 && !context.retryBudget.trySpend(own)) {
      budgetSpent = true;
      await context.health.releaseProbe(endpointId);
      break;
    }
    previous = candidate;
    const adapter = context.adapters.get(candidate.endpoint.adapter) as ProviderAdapter;
    const startedAt = Date.now();
    try {
      const result = await call(
        adapter,
        {
          target: {
            providerId: candidate.endpoint.providerId,
            providerModelId: candidate.endpoint.providerModelId,
            reasons: candidate.endpoint.supportsReasoning,
            baseUrl: candidate.baseUrl,
            apiKey: candidate.apiKey,
            byok: candidate.isByok,
          },
          signal,
        },
        candidate,
      );
      tracker.recordAttempt(candidate.endpoint, "success", startedAt, undefined, candidate.isByok);
      return result;
    } catch (error) {
      const logHealth = (healthError: unknown) => context.log("health update failed", healthError);
      if (error instanceof JunctionError) {
        // The request is wrong for this provider, found while translating it: a 400, not the provider's failure.
        tracker.recordAttempt(candidate.endpoint, "error", startedAt, error.code);
        context.health.releaseProbe(endpointId).catch(logHealth);
        throw error;
      }
      const providerError =
        error instanceof ProviderError ? error : classifyUnknown(candidate.endpoint.providerId, error);
      tracker.recordAttempt(candidate.endpoint, "error", startedAt, providerError.errorClass);
      lastError = providerError;
      // An organization's own key refused or rate limited, or one request over a key's allowance, says nothing
      // about the endpoint for other tenants.
      if (!signal.aborted && providerError.countsAgainstEndpoint(candidate.isByok)) {
        // The platform's own account out of funds is the operator's to fix: say so as the breaker takes it out.
        if (providerError.outOfFunds && !candidate.isByok)
          context.log(`platform account out of funds at ${endpointId}: ${providerError.message}`);
        context.health.recordFailure(endpointId, providerError.breakerSeconds).catch(logHealth);
      } else {
        context.health.releaseProbe(endpointId).catch(logHealth);
      }
      if (!providerError.retryable || signal.aborted) break;
    }
  }
  if (attempted === 0) throw probedElsewhere(probing);
  throw withFallbackNote(lastError, route, budgetSpent, signal);
}

/** Every candidate was half-open with its probe in flight elsewhere: like an open breaker, a 503 to retry shortly. */
function probedElsewhere(endpointIds: string[]): JunctionError {
  return new JunctionError(
    "service_unavailable",
    `Every endpoint that could serve this request is recovering from failures, and another request is probing it: ${endpointIds.join(", ")}`,
    { param: "model", metadata: { retry_after_seconds: 1 } },
  );
}

/**
 * A failure another endpoint might have survived, when none was tried: the error says why (the caller's
 * allow_fallbacks, or the gateway's retry budget), so it is not mistaken for every provider being down.
 */
function withFallbackNote(
  error: ProviderError | undefined,
  route: Route,
  budgetSpent: boolean,
  signal: AbortSignal,
): unknown {
  if (!error?.retryable || signal.aborted) return error;
  const note = budgetSpent
    ? "not retried elsewhere: the gateway's retry budget for fallbacks is spent, try again shortly"
    : route.fallbacksDisabled
      ? "not retried elsewhere: provider.allow_fallbacks is false"
      : undefined;
  if (!note) return error;
  const junctionError = toJunctionError(error);
  return new JunctionError(junctionError.code, `${junctionError.message} (${note})`, {
    status: junctionError.status,
    metadata: { ...junctionError.metadata, fallback: note },
  });
}
