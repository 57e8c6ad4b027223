import { worstCaseCost } from "@junction/core";
import {
  type AttemptContext,
  type ChatRequest,
  countPromptTokens,
  type ProviderAdapter,
  ProviderError,
} from "@junction/providers";
import type { KeyPrincipal } from "./auth.js";
import type { GatewayContext } from "./context.js";
import { classifyUnknown } from "./errors.js";
import { type GenerationContext, GenerationTracker } from "./generation.js";
import { observeGeneration } from "./metrics.js";
import { type Plan, planChat } from "./plan.js";

const DEFAULT_MAX_OUTPUT = 4096;

export type ChatMeta = GenerationTracker["meta"];

/**
 * Plans a chat request and reserves its worst-case cost: every candidate's dearest price for the prompt plus the
 * most output it may produce. Throws 404/400/402 before any provider is called.
 */
export async function beginGeneration(
  context: GatewayContext,
  principal: KeyPrincipal,
  request: ChatRequest,
  meta: ChatMeta,
): Promise<{ plan: Plan; tracker: GenerationTracker; promptTokens: number }> {
  const catalog = context.catalog();
  const plan = planChat(
    catalog,
    request,
    context.providerEnv,
    (adapter) => context.adapters.get(adapter) !== undefined,
  );
  const promptTokens = countPromptTokens(request);
  const requestedMax = request.max_completion_tokens ?? request.max_tokens;
  let worst = 0n;
  for (const { endpoint } of plan.candidates) {
    const maxOutput = requestedMax ?? endpoint.maxOutputTokens ?? DEFAULT_MAX_OUTPUT;
    const cost = worstCaseCost(promptTokens, maxOutput, endpoint.prices);
    if (cost > worst) worst = cost;
  }
  const reservation = await context.credits.reserve(principal, worst);
  const tracker = new GenerationTracker(
    generationContext(context, catalog.priceTableVersion),
    principal,
    request,
    meta,
    reservation,
  );
  return { plan, tracker, promptTokens };
}

export function generationContext(context: GatewayContext, priceTableVersion: number): GenerationContext {
  return {
    db: context.db,
    producers: context.producers,
    credits: context.credits,
    priceTableVersion,
    log: context.log,
    observe: (tracker, settled) => observeGeneration(context.metrics, tracker, settled),
  };
}

/**
 * Tries the plan's candidates in order. A retryable failure (connect, timeout, 5xx, 429) moves on to the next
 * candidate; anything else, or the last candidate failing, is thrown. Every attempt is recorded.
 */
export async function attemptCandidates<T>(
  context: GatewayContext,
  plan: Plan,
  tracker: GenerationTracker,
  signal: AbortSignal,
  call: (adapter: ProviderAdapter, attempt: AttemptContext) => Promise<T>,
): Promise<T> {
  let lastError: unknown;
  for (const candidate of plan.candidates) {
    const adapter = context.adapters.get(candidate.endpoint.adapter) as ProviderAdapter;
    const startedAt = Date.now();
    try {
      const result = await call(adapter, {
        target: {
          providerId: candidate.endpoint.providerId,
          providerModelId: candidate.endpoint.providerModelId,
          baseUrl: candidate.baseUrl,
          apiKey: candidate.apiKey,
        },
        signal,
      });
      tracker.recordAttempt(candidate.endpoint, "success", startedAt);
      return result;
    } catch (error) {
      const providerError =
        error instanceof ProviderError ? error : classifyUnknown(candidate.endpoint.providerId, error);
      tracker.recordAttempt(candidate.endpoint, "error", startedAt, providerError.errorClass);
      lastError = providerError;
      if (!providerError.retryable || signal.aborted) break;
    }
  }
  throw lastError;
}
