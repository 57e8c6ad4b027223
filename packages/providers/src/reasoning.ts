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
  const reasoning = request.reasoning;
  if (reasoning?.enabled === false) return undefined;
  const effort = reasoning?.effort ?? request.reasoning_effort ?? (reasoning?.enabled ? "medium" : undefined);
  const share = effort === undefined ? undefined : EFFORT_SHARE[effort];
  const budget = reasoning?.max_tokens ?? (share === undefined ? undefined : Math.floor(maxTokens * share));
  return budget === undefined ? undefined : Math.max(min, Math.min(max, budget));
}
