import type { ChatRequest } from "./types.js";

/** OpenRouter's rule for an effort: a share of max_tokens. */
const EFFORT_SHARE: Record<string, number> = { high: 0.8, medium: 0.5, low: 0.2, minimal: 0.1 };

/**
 * The thinking budget a request asks for, in tokens: `reasoning.max_tokens` as given, or an effort's share of the
 * output limit (`reasoning.effort`, OpenAI's `reasoning_effort`, or medium for `reasoning.enabled`) kept within
 * `min`–`max`; undefined when the request asks for no reasoning.
 */
export function reasoningBudget(
  request: ChatRequest,
  maxTokens: number,
  { min, max }: { min: number; max: number },
): number | undefined {
  const reasoning = request.reasoning;
  if (reasoning?.enabled === false) return undefined;
  if (reasoning?.max_tokens !== undefined) return reasoning.max_tokens;
  const effort = reasoning?.effort ?? request.reasoning_effort ?? (reasoning?.enabled ? "medium" : undefined);
  const share = effort === undefined ? undefined : EFFORT_SHARE[effort];
  return share === undefined ? undefined : Math.max(min, Math.min(max, Math.floor(maxTokens * share)));
}
