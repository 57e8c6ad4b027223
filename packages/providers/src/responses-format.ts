import { pushAll } from "@junction/core";
import {
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  OPENAI_HINTS,
  type ReasoningDetail,
  type ResponseFormat,
  type ToolChoice,
} from "./types.js";

/**
 * OpenAI's Responses API, the stateless part (the request carries the whole conversation, as Codex sends it with
 * `store: false`): the wire types Junction reads and the translation to the internal (Chat Completions) shape.
 */
export type ResponsesContentPart =
  | { type: "input_text" | "output_text"; text: string }
  | { type: "refusal"; refusal: string }
  | { type: "input_image"; image_url: string; detail?: string }
  | { type: "input_file"; file_data: string; filename?: string };

export type ResponsesItem =
  | {
      type: "message";
      role: "user" | "assistant" | "system" | "developer";
      content: string | ResponsesContentPart[];
    }
  | { type: "function_call"; call_id: string; name: string; arguments: string }
  | { type: "function_call_output"; call_id: string; output: string | ResponsesContentPart[] }
  /**
   * The model's earlier reasoning. Junction's own `encrypted_content` (see `encodeReasoning`) carries Claude's signed
   * thinking back to the turn it led to; another provider's (OpenAI's ciphertext) cannot be read back and is not sent.
   */
  | { type: "reasoning"; encrypted_content?: string };

export type ResponsesTool = {
  type: "function";
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean;
};

export type ResponsesTextFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      name: string;
      description?: string;
      schema?: Record<string, unknown>;
      strict?: boolean;
    };

export type ResponsesRequest = {
  model: string;
  models?: string[];
  provider?: unknown;
  input: string | ResponsesItem[];
  instructions?: string;
  stream?: boolean;
  tools?: ResponsesTool[];
  tool_choice?: "auto" | "none" | "required" | { type: "function"; name: string };
  parallel_tool_calls?: boolean;
  max_output_tokens?: number;
  /** Alternatives per token, returned when `include` asks for `message.output_text.logprobs`. */
  top_logprobs?: number;
  temperature?: number;
  top_p?: number;
  user?: string;
  text?: { format?: ResponsesTextFormat; verbosity?: string };
  reasoning?: { effort?: string; summary?: string };
  /** `reasoning.encrypted_content` asks for reasoning items the client can send back (Codex, with `store: false`). */
  include?: string[];
  metadata?: Record<string, string>;
  prompt_cache_key?: string;
  safety_identifier?: string;
  service_tier?: string;
};

const REASONING_PREFIX = "junction.v1.";

/**
 * A model's reasoning details as a reasoning item's `encrypted_content`, for a stateless client to send back: Claude
 * needs its signed thinking again before the tool results it led to. Not encrypted (the client holds its own
 * conversation anyway), only packed: base64url JSON behind a prefix that tells it from OpenAI's ciphertext.
 */
export const encodeReasoning = (details: ReasoningDetail[]): string =>
  REASONING_PREFIX + Buffer.from(JSON.stringify(joinPieces(details))).toString("base64url");

/**
 * A streamed block's pieces (a detail per thinking delta, then its signature) as the one detail a buffered answer
 * has: the client sends every turn's reasoning back with each request, so pieces would multiply its size.
 */
function joinPieces(details: ReasoningDetail[]): ReasoningDetail[] {
  const joined: ReasoningDetail[] = [];
  for (const detail of details) {
    const last = joined[joined.length - 1];
    const sameBlock =
      last?.index === detail.index && last?.format === detail.format && last?.id === detail.id;
    if (sameBlock && last?.type === "reasoning.text" && detail.type === "reasoning.text" && !last.signature) {
      const text = (last.text ?? "") + (detail.text ?? "");
      joined[joined.length - 1] = {
        ...last,
        ...(text && { text }),
        ...(detail.signature && { signature: detail.signature }),
      };
    } else if (sameBlock && last?.type === "reasoning.summary" && detail.type === "reasoning.summary") {
      joined[joined.length - 1] = { ...last, summary: last.summary + detail.summary };
    } else joined.push(detail);
  }
  return joined;
}

/**
 * The details packed by `encodeReasoning`; none for anything else (another provider's ciphertext). The client could
 * have written anything there: only well-formed details are kept.
 */
export function decodeReasoning(text: string | undefined): ReasoningDetail[] {
  if (!text?.startsWith(REASONING_PREFIX)) return [];
  try {
    const packed = Buffer.from(text.slice(REASONING_PREFIX.length), "base64url").toString();
    const details: unknown = JSON.parse(packed);
    return Array.isArray(details) ? details.filter(isReasoningDetail) : [];
  } catch {
    return [];
  }
}

const optionalString = (value: unknown) => value === undefined || typeof value === "string";

/** A reasoning detail of one of OpenRouter's three kinds, every field of the type it must be. */
export function isReasoningDetail(value: unknown): value is ReasoningDetail {
  if (typeof value !== "object" || value === null) return false;
  const detail = value as Record<string, unknown>;
  if (!optionalString(detail.format) || !(detail.index === undefined || Number.isInteger(detail.index)))
    return false;
  if (detail.type === "reasoning.text")
    return optionalString(detail.text) && optionalString(detail.signature);
  if (detail.type === "reasoning.summary") return typeof detail.summary === "string";
  return detail.type === "reasoning.encrypted" && typeof detail.data === "string";
}

function partOf(part: ResponsesContentPart): ContentPart {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: part.text };
    case "refusal":
      return { type: "text", text: part.refusal };
    case "input_image":
      return {
        type: "image_url",
        image_url: { url: part.image_url, ...(part.detail && { detail: part.detail }) },
      };
    case "input_file":
      return {
        type: "file",
        file: { file_data: part.file_data, ...(part.filename && { filename: part.filename }) },
      };
  }
}

const textsOf = (parts: ContentPart[]): string[] =>
  parts.flatMap((part) => (part.type === "text" ? [part.text] : []));

/** Text-only content is one string, as every host takes it. */
function contentOf(content: string | ResponsesContentPart[]): string | ContentPart[] {
  if (typeof content === "string") return content;
  const parts = content.map(partOf);
  const texts = textsOf(parts);
  return texts.length === parts.length ? texts.join("") : parts;
}

/**
 * The items as Chat Completions messages. A model's turn is a run of items (its reasoning, text and calls); they
 * belong on one assistant message, the reasoning as its details.
 */
function messagesFromItems(items: ResponsesItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  let reasoning: ReasoningDetail[] = [];
  const turn = (): Extract<ChatMessage, { role: "assistant" }> => {
    let last = messages[messages.length - 1];
    if (last?.role !== "assistant") {
      last = { role: "assistant", content: null };
      messages.push(last);
    }
    if (reasoning.length) {
      last.reasoning_details ??= [];
      pushAll(last.reasoning_details, reasoning);
    }
    reasoning = [];
    return last;
  };
  for (const item of items) {
    if (item.type === "reasoning") pushAll(reasoning, decodeReasoning(item.encrypted_content));
    else if (item.type === "function_call") {
      const call = {
        id: item.call_id,
        type: "function" as const,
        function: { name: item.name, arguments: item.arguments },
      };
      const assistant = turn();
      assistant.tool_calls ??= [];
      assistant.tool_calls.push(call);
    } else if (item.type === "function_call_output") {
      reasoning = []; // reasoning with no turn of its own (an answer cut short) belongs to none
      messages.push({ role: "tool", tool_call_id: item.call_id, content: contentOf(item.output) });
    } else if (item.role === "assistant") {
      const content = item.content;
      const text = typeof content === "string" ? content : textsOf(content.map(partOf)).join("");
      const assistant = turn();
      if (text) assistant.content = `${assistant.content ?? ""}${text}`;
    } else {
      reasoning = [];
      messages.push({ role: item.role, content: contentOf(item.content) } as ChatMessage);
    }
  }
  return messages;
}

function responseFormatOf(format: ResponsesTextFormat | undefined): ResponseFormat | undefined {
  if (format?.type !== "json_schema") return format;
  const { name, description, schema, strict } = format;
  return {
    type: "json_schema",
    json_schema: {
      name,
      ...(description && { description }),
      ...(schema && { schema }),
      ...(strict != null && { strict }),
    },
  };
}

function toolChoiceOf(choice: ResponsesRequest["tool_choice"]): ToolChoice | undefined {
  return typeof choice === "object" ? { type: "function", function: { name: choice.name } } : choice;
}

export function chatRequestFromResponses(request: ResponsesRequest): ChatRequest {
  const messages: ChatMessage[] = request.instructions
    ? [{ role: "system", content: request.instructions }]
    : [];
  if (typeof request.input === "string") messages.push({ role: "user", content: request.input });
  else pushAll(messages, messagesFromItems(request.input));
  const chat: ChatRequest = { model: request.model, messages };
  if (request.models) chat.models = request.models;
  if (request.provider !== undefined) chat.provider = request.provider;
  if (request.stream) chat.stream = true;
  if (request.tools?.length) {
    chat.tools = request.tools.map(({ name, description, parameters, strict }) => ({
      type: "function",
      function: {
        name,
        ...(description && { description }),
        ...(parameters && { parameters }),
        ...(strict != null && { strict }),
      },
    }));
  }
  const choice = toolChoiceOf(request.tool_choice);
  if (choice !== undefined) chat.tool_choice = choice;
  if (request.parallel_tool_calls !== undefined) chat.parallel_tool_calls = request.parallel_tool_calls;
  if (request.max_output_tokens !== undefined) chat.max_tokens = request.max_output_tokens;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.user !== undefined) chat.user = request.user;
  const format = responseFormatOf(request.text?.format);
  if (format) chat.response_format = format;
  if (request.reasoning?.effort) chat.reasoning_effort = request.reasoning.effort;
  // Token logprobs only when `include` asks for them: OpenAI answers none for `top_logprobs` alone.
  if (request.include?.includes("message.output_text.logprobs")) {
    chat.logprobs = true;
    if (request.top_logprobs !== undefined) chat.top_logprobs = request.top_logprobs;
  }
  // Hints Chat Completions takes too (OPENAI_HINTS: the OpenAI adapter leaves them out for other hosts).
  for (const hint of OPENAI_HINTS) {
    const value = hint === "verbosity" ? request.text?.verbosity : request[hint];
    if (value != null) chat[hint] = value;
  }
  return chat;
}
