import { createHash } from "node:crypto";
import type { ChatMessage, ReasoningDetail, ToolCall } from "./types.js";

/** An assistant message as clients replay it: Junction's answer carries `reasoning`, DeepSeek's `reasoning_content`. */
type Replayed = Record<string, unknown> & {
  role: string;
  reasoning?: unknown;
  reasoning_content?: unknown;
  reasoning_details?: ReasoningDetail[];
  tool_calls?: ToolCall[];
  tool_call_id?: string;
};

/**
 * The fields Mistral takes on each message: it refuses any other (422 `extra_forbidden`), such as a user's `name` or
 * the `refusal: null` of an answer a client sends back.
 */
const MISTRAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  system: ["role", "content"],
  user: ["role", "content"],
  assistant: ["role", "content", "tool_calls", "prefix"],
  tool: ["role", "content", "tool_call_id", "name"],
};

/** Mistral's tool call ids: exactly 9 letters or digits (it refuses OpenAI's `call_…` and Anthropic's `toolu_…`). */
const MISTRAL_TOOL_CALL_ID = /^[a-zA-Z0-9]{9}$/;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An id Mistral takes for another: the same for a call and its result, and distinct for distinct ids. */
function mistralToolCallId(id: string): string {
  if (MISTRAL_TOOL_CALL_ID.test(id)) return id;
  const digest = createHash("sha256").update(id).digest();
  let out = "";
  for (let index = 0; index < 9; index++) out += BASE62[(digest[index] ?? 0) % 62];
  return out;
}

const isReplayedReasoning = (message: Replayed) =>
  message.role === "assistant" &&
  (message.reasoning !== undefined ||
    message.reasoning_content !== undefined ||
    message.reasoning_details !== undefined);

/** The text of an earlier turn's reasoning, however the client sent it back. */
function reasoningText(message: Replayed): string {
  if (typeof message.reasoning_content === "string" && message.reasoning_content)
    return message.reasoning_content;
  if (typeof message.reasoning === "string" && message.reasoning) return message.reasoning;
  return (message.reasoning_details ?? [])
    .map((detail) => (detail.type === "reasoning.text" ? (detail.text ?? "") : ""))
    .join("");
}

/**
 * The messages as an OpenAI-compatible host other than OpenAI and OpenRouter takes them (the same array when nothing
 * needs changing). OpenAI's `developer` role goes as `system`, which every host takes (Cerebras and Mistral refuse
 * `developer`). Earlier reasoning goes back only to DeepSeek, as its `reasoning_content` (in thinking mode it refuses
 * a tool-call turn without it); other hosts refuse it (Groq: "property 'reasoning' is unsupported"). Mistral gets only
 * the fields it takes, and tool call ids it accepts. Groq answers 400 for `messages[].name` (its documented
 * unsupported fields).
 */
export function messagesForCompatibleHost(messages: ChatMessage[], providerId: string): ChatMessage[] {
  const mistral = providerId === "mistral";
  const replayed = messages as Replayed[];
  const unnamed = providerId === "groq";
  const changes = (message: Replayed) =>
    message.role === "developer" ||
    isReplayedReasoning(message) ||
    (unnamed && message.name !== undefined) ||
    (mistral && needsMistralChange(message));
  if (!replayed.some(changes)) return messages;
  return replayed.map((message) => {
    if (!changes(message)) return message;
    let out: Replayed = message.role === "developer" ? { ...message, role: "system" } : message;
    if (isReplayedReasoning(out)) {
      const { reasoning: _, reasoning_content: _content, reasoning_details: _details, ...rest } = out;
      const text = providerId === "deepseek" ? reasoningText(out) : "";
      out = text ? { ...rest, reasoning_content: text } : rest;
    }
    if (unnamed && out.name !== undefined) {
      const { name: _, ...rest } = out;
      out = rest as Replayed;
    }
    return (mistral ? forMistral(out) : out) as ChatMessage;
  }) as ChatMessage[];
}

function needsMistralChange(message: Replayed): boolean {
  const fields = MISTRAL_FIELDS[message.role];
  return (
    !fields ||
    Object.keys(message).some((field) => !fields.includes(field)) ||
    (message.tool_call_id !== undefined && !MISTRAL_TOOL_CALL_ID.test(message.tool_call_id)) ||
    (message.tool_calls ?? []).some((call) => !MISTRAL_TOOL_CALL_ID.test(call.id))
  );
}

function forMistral(message: Replayed): Replayed {
  const fields = MISTRAL_FIELDS[message.role] ?? [];
  const out = Object.fromEntries(
    Object.entries(message).filter(([field]) => fields.includes(field)),
  ) as Replayed;
  if (out.tool_calls)
    out.tool_calls = out.tool_calls.map((call) => ({ ...call, id: mistralToolCallId(call.id) }));
  if (out.tool_call_id !== undefined) out.tool_call_id = mistralToolCallId(out.tool_call_id);
  return out;
}
