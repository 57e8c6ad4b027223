import { countTokens } from "gpt-tokenizer";
import type { ChatMessage, ChatRequest } from "./types.js";

/** Flat per-image charge when counting locally (OpenAI's low-detail image cost). */
const IMAGE_TOKENS = 85;

export const countTextTokens = (text: string): number => (text ? countTokens(text) : 0);

function messageTokens(message: ChatMessage): number {
  // OpenAI's documented framing: every message costs 3 tokens plus its content (and 1 for a name).
  let total = 3 + ("name" in message && message.name ? 1 : 0);
  const content = message.content;
  if (typeof content === "string") total += countTextTokens(content);
  else if (Array.isArray(content)) {
    for (const part of content) total += part.type === "text" ? countTextTokens(part.text) : IMAGE_TOKENS;
  }
  if (message.role === "assistant") {
    for (const call of message.tool_calls ?? []) {
      total += countTextTokens(call.function.name) + countTextTokens(call.function.arguments) + 3;
    }
  }
  return total;
}

/** Prompt tokens of a chat request, counted locally with the o200k tokenizer. */
export function countPromptTokens(request: Pick<ChatRequest, "messages" | "tools">): number {
  let total = 3; // the assistant reply's priming
  for (const message of request.messages) total += messageTokens(message);
  if (request.tools?.length) total += countTextTokens(JSON.stringify(request.tools));
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
