/**
 * How deep JSON from a client may nest (serde_json's default limit): far more than any real request. Deeper values
 * only serve to overflow the stack of whatever walks them later — serializing an upstream body, counting tokens —
 * which would answer 500, or blame the provider and open its breaker.
 */
export const MAX_JSON_DEPTH = 128;

/** Whether objects and arrays nest more than `levels` deep in `value` (it never recurses deeper than that). */
export function nestedDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestedDeeperThan(item, levels - 1)) return true;
    return false;
  }
  for (const key in value)
    if (nestedDeeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}

/**
 * JSON.parse for JSON a client wrote inside a string (tool-call arguments, tool results): a SyntaxError, as for
 * text that is not JSON, when it nests deeper than MAX_JSON_DEPTH.
 */
export function parseClientJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (nestedDeeperThan(value, MAX_JSON_DEPTH))
    throw new SyntaxError(`JSON nested more than ${MAX_JSON_DEPTH} levels deep`);
  return value;
}
