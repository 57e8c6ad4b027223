import type { ChatMessage, ChatRequest, ContentPart, ResponseFormat, ToolChoice } from "./types.js";

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
  /** The model's earlier reasoning: only the provider that wrote it could read it back, so it is not sent on. */
  | { type: "reasoning" };

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
  | { type: "json_schema"; name: string; schema?: Record<string, unknown>; strict?: boolean };

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
  temperature?: number;
  top_p?: number;
  user?: string;
  text?: { format?: ResponsesTextFormat };
  reasoning?: { effort?: string; summary?: string };
};

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

/** Text-only content is one string, as every host takes it. */
function contentOf(content: string | ResponsesContentPart[]): string | ContentPart[] {
  if (typeof content === "string") return content;
  const parts = content.map(partOf);
  return parts.every((part) => part.type === "text")
    ? parts.map((part) => (part as { text: string }).text).join("")
    : parts;
}

function messagesFromItems(items: ResponsesItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const item of items) {
    if (item.type === "message") {
      const content = contentOf(item.content);
      messages.push(
        item.role === "assistant"
          ? { role: "assistant", content: typeof content === "string" ? content : null }
          : ({ role: item.role, content } as ChatMessage),
      );
    } else if (item.type === "function_call") {
      // A turn's calls follow its text as items of their own; Chat Completions has them on one assistant message.
      const call = {
        id: item.call_id,
        type: "function" as const,
        function: { name: item.name, arguments: item.arguments },
      };
      const last = messages[messages.length - 1];
      if (last?.role === "assistant") last.tool_calls = [...(last.tool_calls ?? []), call];
      else messages.push({ role: "assistant", content: null, tool_calls: [call] });
    } else if (item.type === "function_call_output") {
      messages.push({ role: "tool", tool_call_id: item.call_id, content: contentOf(item.output) });
    }
  }
  return messages;
}

function responseFormatOf(format: ResponsesTextFormat | undefined): ResponseFormat | undefined {
  if (format?.type !== "json_schema") return format;
  const { name, schema, strict } = format;
  return {
    type: "json_schema",
    json_schema: { name, ...(schema && { schema }), ...(strict != null && { strict }) },
  };
}

function toolChoiceOf(choice: ResponsesRequest["tool_choice"]): ToolChoice | undefined {
  return typeof choice === "object" ? { type: "function", function: { name: choice.name } } : choice;
}

export function chatRequestFromResponses(request: ResponsesRequest): ChatRequest {
  const messages: ChatMessage[] = request.instructions
    ? [{ role: "system", content: request.instructions }]
    : [];
  messages.push(
    ...(typeof request.input === "string"
      ? [{ role: "user" as const, content: request.input }]
      : messagesFromItems(request.input)),
  );
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
  return chat;
}
