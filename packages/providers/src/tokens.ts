import { hash } from "node:crypto";
import { countTokens } from "gpt-tokenizer";
import { LRUCache } from "lru-cache";
import type { ChatMessage, ChatRequest } from "./types.js";

/** Flat per-image charge when counting locally (OpenAI's low-detail image cost). */
const IMAGE_TOKENS = 85;
/**
 * A document's tokens cannot be known before the provider reads it (a PDF page is text plus an image of the page):
 * a page's worth is counted for routing and the credit hold, and the provider's own count is billed.
 */
const FILE_TOKENS = 1_500;

/** Special-token text in a prompt (`<|endoftext|>`) is counted as the text it is; the tokenizer's default throws. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * A run of one kind of character (letters, punctuation, whitespace) at least this long is estimated rather than
 * tokenized: the tokenizer's merges are quadratic in a piece's length (40,000 letters in a row took 0.7 s; a
 * megabyte, minutes of a blocked event loop), so the longest run allowed bounds the work per character. Words have
 * no such runs; DNA, "=====" rules, padding and unpunctuated CJK do.
 */
const LONG_RUN = 64;
// Kinds of character for finding runs, as the tokenizer's pre-splitting sees them. Digits (split three at a time)
// are never part of a run.
const WHITESPACE = 0;
const LETTER = 1;
const PUNCTUATION = 2;
const BREAKS = 3;
// Beyond ASCII, tested in place (sticky).
const UNICODE_LETTER = /[\p{L}\p{M}]/uy;
const UNICODE_SPACE = /\s/uy;
const UNICODE_DIGIT = /\p{N}/uy;

const testAt = (pattern: RegExp, text: string, index: number) => {
  pattern.lastIndex = index;
  return pattern.test(text);
};

function kindAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code === 32 || (code >= 9 && code <= 13)) return WHITESPACE;
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return LETTER;
  if (code >= 48 && code <= 57) return BREAKS;
  if (code < 128) return PUNCTUATION;
  if (testAt(UNICODE_LETTER, text, index)) return LETTER;
  if (testAt(UNICODE_SPACE, text, index)) return WHITESPACE;
  return testAt(UNICODE_DIGIT, text, index) ? BREAKS : PUNCTUATION;
}

/**
 * Tokens of a text with the o200k tokenizer; a run of LONG_RUN characters of one kind (see above) counts its UTF-8
 * bytes instead: a byte-level tokenizer never makes more tokens than bytes, so the estimate can only over-count (a
 * request's worst case is reserved in full; o200k packs a repeated letter ~8 bytes to a token).
 */
export function countTextTokens(text: string): number {
  if (!text) return 0;
  if (text.length < LONG_RUN) return countTokens(text, AS_TEXT);
  let total = 0;
  let counted = 0; // the text before this index is in `total`
  let runStart = 0;
  let runKind = kindAt(text, 0);
  for (let index = 1; index <= text.length; index++) {
    const kind = index < text.length ? kindAt(text, index) : BREAKS;
    if (kind === runKind && kind !== BREAKS) continue;
    if (runKind !== BREAKS && index - runStart >= LONG_RUN) {
      total += countTokens(text.slice(counted, runStart), AS_TEXT);
      total += Buffer.byteLength(text.slice(runStart, index));
      counted = index;
    }
    runStart = index;
    runKind = kind;
  }
  return counted === 0 ? countTokens(text, AS_TEXT) : total + countTokens(text.slice(counted), AS_TEXT);
}

/**
 * Remembers the token counts of the texts clients resend with every turn — the system prompt, tool definitions,
 * conversation history — so a prompt is tokenized once rather than on every request (15,000 tokens take ~5 ms,
 * all of it before the first byte; even two short messages cost more to tokenize than to look up). A short text is
 * its own key; a longer one is keyed by its SHA-256 (hashing 50 KB takes tens of µs; the text itself is not kept).
 * Entries are scoped — the gateway scopes them by organization: whether a text was seen before must not show in
 * another tenant's latency. Past `maxEntries` the least recently used go (lru-cache: a Map kept in recency order by
 * deleting and re-adding keys leaves deleted slots that every eviction then scanned, ~10 µs a new text once full).
 */
export class TokenCountMemo {
  private readonly counts: LRUCache<string, number>;

  constructor(maxEntries = 50_000) {
    this.counts = new LRUCache({ max: maxEntries });
  }

  get size(): number {
    return this.counts.size;
  }

  has(scope: string, text: string): boolean {
    return this.counts.has(memoKey(scope, text));
  }

  count(scope: string, text: string): number {
    if (!text) return 0;
    const key = memoKey(scope, text);
    const known = this.counts.get(key);
    if (known !== undefined) return known;
    const count = countTextTokens(text);
    this.counts.set(key, count);
    return count;
  }

  /** `countPromptTokens` with every text counted through this memo, within `scope`. */
  countPrompt(scope: string, request: Pick<ChatRequest, "messages" | "tools">): number {
    return countPromptTokens(request, (text) => this.count(scope, text));
  }
}

/** Texts up to this length are their own key (at most ~15–30 MB over 50,000 entries); longer ones, their hash. */
const SHORT_TEXT_CHARS = 256;

const memoKey = (scope: string, text: string) =>
  text.length <= SHORT_TEXT_CHARS ? `${scope}\n${text}` : `${scope} ${hash("sha256", text, "base64")}`;

type CountText = (text: string) => number;

function messageTokens(message: ChatMessage, count: CountText): number {
  // OpenAI's documented framing: every message costs 3 tokens plus its content (and 1 for a name).
  let total = 3 + ("name" in message && message.name ? 1 : 0);
  const content = message.content;
  if (typeof content === "string") total += count(content);
  else if (Array.isArray(content)) {
    for (const part of content)
      total += part.type === "text" ? count(part.text) : part.type === "file" ? FILE_TOKENS : IMAGE_TOKENS;
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
