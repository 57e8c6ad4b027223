import { countTokens } from "gpt-tokenizer";
import type { ChatMessage, ChatRequest } from "./types.js";

/** Flat per-image charge when counting locally (OpenAI's low-detail image cost). */
const IMAGE_TOKENS = 85;

export const countTextTokens = (text: string): number => (text ? countTokens(text) : 0);

/**
 * Remembers the token counts of long texts — the system prompt, tool definitions and conversation history that
 * clients resend with every turn — so a long prompt is tokenized once rather than on every request (15,000 tokens
 * take ~5 ms, all of it before the first byte). Entries are scoped (the gateway scopes them by organization: whether
 * a text was seen before must not show in another tenant's latency); past `maxChars` of remembered text the least
 * recently used go.
 */
export class TokenCountMemo {
  private readonly counts = new Map<string, number>();
  private chars = 0;

  constructor(
    private readonly maxChars = 8_000_000,
    /** Shorter texts are counted every time: cheaper than remembering them. */
    private readonly minChars = 2_000,
  ) {}

  get size(): number {
    return this.counts.size;
  }

  has(scope: string, text: string): boolean {
    return this.counts.has(`${scope}\u0000${text}`);
  }

  count(scope: string, text: string): number {
    if (text.length < this.minChars) return countTextTokens(text);
    const key = `${scope}\u0000${text}`;
    const known = this.counts.get(key);
    if (known !== undefined) {
      this.counts.delete(key); // most recently used last
      this.counts.set(key, known);
      return known;
    }
    const count = countTokens(text);
    this.counts.set(key, count);
    this.chars += key.length;
    for (const [oldest] of this.counts) {
      if (this.chars <= this.maxChars) break;
      this.counts.delete(oldest);
      this.chars -= oldest.length;
    }
    return count;
  }
}

type CountText = (text: string) => number;

function messageTokens(message: ChatMessage, count: CountText): number {
  // OpenAI's documented framing: every message costs 3 tokens plus its content (and 1 for a name).
  let total = 3 + ("name" in message && message.name ? 1 : 0);
  const content = message.content;
  if (typeof content === "string") total += count(content);
  else if (Array.isArray(content)) {
    for (const part of content) total += part.type === "text" ? count(part.text) : IMAGE_TOKENS;
  }
  if (message.role === "assistant") {
    for (const call of message.tool_calls ?? []) {
      total += count(call.function.name) + count(call.function.arguments) + 3;
    }
  }
  return total;
}

/** Prompt tokens of a chat request, counted locally with the o200k tokenizer (`count`: e.g. through a memo). */
export function countPromptTokens(
  request: Pick<ChatRequest, "messages" | "tools">,
  count: CountText = countTextTokens,
): number {
  let total = 3; // the assistant reply's priming
  for (const message of request.messages) total += messageTokens(message, count);
  if (request.tools?.length) total += count(JSON.stringify(request.tools));
  return total;
}

/** Tokens of a completion (text plus tool-call names and arguments). */
export function countCompletionTokens(
  text: string,
  toolCalls: { name: string; arguments: string }[] = [],
): number {
  let total = countTextTokens(text);
  for (const call of toolCalls) total += countTextTokens(call.name) + countTextTokens(call.arguments);
  return total;
}
