import type { ChatRequest } from "./types.js";

/** OpenRouter's rule for an effort: a share of max_tokens ("none" asks for no reasoning). */
const EFFORT_SHARE: Record<string, number> = { xhigh: 0.95, high: 0.8, medium: 0.5, low: 0.2, minimal: 0.1 };

/**
 * The thinking budget a request asks for, in tokens, within `min`–`max`: `reasoning.max_tokens`, or an effort's
 * share of the output limit (`reasoning.effort`, OpenAI's `reasoning_effort`, or medium for `reasoning.enabled`);
 * undefined when the request asks for no reasoning.
 */
export function reasoningBudget(
  request: ChatRequest,
  maxTokens: number,
  { min, max }: { min: number; max: number },
): number | undefined {
  if (request.reasoning?.enabled === false) return undefined;
  const share = effortShare(request);
  const budget =
    request.reasoning?.max_tokens ?? (share === undefined ? undefined : Math.floor(maxTokens * share));
  return budget === undefined ? undefined : Math.max(min, Math.min(max, budget));
}

/** Whether a request asks for reasoning at all: a budget, an effort other than none, or adaptive thinking. */
export function asksForReasoning(request: ChatRequest): boolean {
  const reasoning = request.reasoning;
  if (reasoning?.enabled === false) return false;
  return (
    reasoning?.adaptive === true || reasoning?.max_tokens !== undefined || effortShare(request) !== undefined
  );
}

/** The share of max_tokens the request's effort asks for (medium for a bare `enabled`). */
function effortShare(request: ChatRequest): number | undefined {
  const reasoning = request.reasoning;
  const effort = reasoning?.effort ?? request.reasoning_effort ?? (reasoning?.enabled ? "medium" : undefined);
  return effort === undefined ? undefined : EFFORT_SHARE[effort];
}
