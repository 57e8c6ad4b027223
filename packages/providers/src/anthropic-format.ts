import { transformJSONSchema } from "@anthropic-ai/sdk/lib/transform-json-schema";
import { parseClientJson, pushAll } from "@junction/core";
import { inlineRefs } from "./json-schema.js";
import { reasoningBudget } from "./reasoning.js";
import {
  ANTHROPIC_REASONING_FORMAT,
  type CacheControl,
  type ChatMessage,
  type ChatRequest,
  type ClaudeCitation,
  type ContentPart,
  type DocumentSettings,
  type FinishReason,
  type JsonOutputFormat,
  type ReasoningDetail,
  replayedContent,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
  type Usage,
} from "./types.js";

/**
 * Anthropic Messages wire types (the subset Junction translates). A text block's `citations`: in Claude's answers,
 * what a run of text cites (it is then a block of its own).
 */
export type AnthropicContentBlock = (
  | { type: "text"; text: string; citations?: ClaudeCitation[] | null }
  | {
      type: "image";
      source: { type: "base64"; media_type: string; data: string } | { type: "url"; url: string };
    }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | {
      type: "tool_result";
      tool_use_id: string;
      content?: string | AnthropicContentBlock[];
      is_error?: boolean;
    }
  | { type: "thinking"; thinking: string; signature?: string }
  | { type: "redacted_thinking"; data: string }
  | {
      type: "document";
      source:
        | { type: "base64"; media_type: string; data: string }
        | { type: "text"; media_type: string; data: string };
      title?: string;
      context?: string;
      citations?: { enabled: boolean };
    }
) & { cache_control?: CacheControl };

type AnthropicTextBlock = { type: "text"; text: string; cache_control?: CacheControl };

export type AnthropicMessage = { role: "user" | "assistant"; content: string | AnthropicContentBlock[] };

export type AnthropicTool = {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  /** Structured outputs for tools: the input is decoded to validate against input_schema (Claude 4.5 on). */
  strict?: boolean;
  cache_control?: CacheControl;
};

export type AnthropicRequest = {
  model: string;
  messages: AnthropicMessage[];
  system?: string | AnthropicTextBlock[];
  max_tokens: number;
  stream?: boolean;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: AnthropicTool[];
  tool_choice?:
    | { type: "auto" | "any" | "none"; disable_parallel_tool_use?: boolean }
    | { type: "tool"; name: string; disable_parallel_tool_use?: boolean };
  metadata?: { user_id?: string };
  thinking?: { type: "enabled"; budget_tokens: number } | { type: "adaptive" } | { type: "disabled" };
  /** Automatic caching: Anthropic puts the breakpoint on the last cacheable block, moving with the conversation. */
  cache_control?: CacheControl;
  /** Structured outputs (a JSON schema the answer follows) and the effort a model puts in. */
  output_config?: AnthropicOutputConfig;
  /** The structured-outputs beta's name for `output_config.format`. */
  output_format?: AnthropicOutputConfig["format"];
  /** Junction's routing fields (fallback models, provider preferences), as on the OpenAI-format route. */
  models?: string[];
  provider?: unknown;
};

export type AnthropicOutputConfig = {
  format?: JsonOutputFormat | null;
  effort?: string | null;
};

export type AnthropicUsage = {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  /** The cache writes by how long they are kept (priced apart). */
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
};

export type AnthropicStopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "refusal"
  | "pause_turn";

const STOP_TO_FINISH: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

const FINISH_TO_STOP: Record<FinishReason, AnthropicStopReason> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "refusal",
  error: "end_turn",
};

export const finishFromAnthropic = (reason: string | null | undefined): FinishReason =>
  STOP_TO_FINISH[reason ?? "end_turn"] ?? "stop";
export const anthropicStopReason = (finish: FinishReason): AnthropicStopReason => FINISH_TO_STOP[finish];

/** Anthropic counts cache reads/writes outside input_tokens; OpenAI's prompt_tokens includes them. */
export function usageFromAnthropic(usage: AnthropicUsage): Usage {
  const cached = usage.cache_read_input_tokens ?? 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  const hourWrites = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  return {
    promptTokens: (usage.input_tokens ?? 0) + cached + written,
    completionTokens: usage.output_tokens ?? 0,
    cachedTokens: cached,
    cacheWriteTokens: written,
    ...(hourWrites > 0 && { cacheWrite1hTokens: hourWrites }),
    reasoningTokens: 0,
  };
}

export function usageToAnthropic(usage: Usage): Required<AnthropicUsage> {
  const hourWrites = usage.cacheWrite1hTokens ?? 0;
  return {
    input_tokens: usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens,
    output_tokens: usage.completionTokens,
    cache_read_input_tokens: usage.cachedTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cacheWriteTokens - hourWrites,
      ephemeral_1h_input_tokens: hourWrites,
    },
  };
}

// ─── OpenAI request → Anthropic request (for Anthropic upstreams) ───

function textOf(content: string | ContentPart[] | null): string {
  if (content === null) return "";
  if (typeof content === "string") return content;
  return content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

/** A cache breakpoint carried over, or nothing (objects without one stay as they were). */
const cacheOf = (item: { cache_control?: CacheControl }) =>
  item.cache_control ? { cache_control: item.cache_control } : {};

/** The breakpoint on any of a message's parts, for one block that stands for all of them. */
function cacheOfParts(content: string | ContentPart[] | null): { cache_control?: CacheControl } {
  if (content === null || typeof content === "string") return {};
  const part = content.find((candidate) => candidate.cache_control);
  return part ? cacheOf(part) : {};
}

function imageBlock(url: string): AnthropicContentBlock {
  const match = /^data:([^;]+);base64,(.*)$/s.exec(url);
  if (match)
    return { type: "image", source: { type: "base64", media_type: match[1] ?? "", data: match[2] ?? "" } };
  return { type: "image", source: { type: "url", url } };
}

/** A file part's data URL as a document block (the edge admits only base64 data URLs), with its client's settings. */
function documentBlock(
  file: { file_data: string; filename?: string },
  settings: DocumentSettings | undefined,
): AnthropicContentBlock {
  const match = /^data:([^;]+);base64,(.*)$/s.exec(file.file_data);
  return {
    type: "document",
    source: { type: "base64", media_type: match?.[1] ?? "application/pdf", data: match?.[2] ?? "" },
    ...(file.filename && { title: file.filename }),
    ...settings,
  };
}

function blockOf(part: ContentPart): AnthropicContentBlock {
  if (part.type === "text" && part.document)
    return {
      type: "document",
      source: { type: "text", media_type: "text/plain", data: part.text },
      ...part.document,
    };
  if (part.type === "text") return { type: "text", text: part.text };
  return part.type === "file" ? documentBlock(part.file, part.document) : imageBlock(part.image_url.url);
}

function blocksOf(content: string | ContentPart[] | null): AnthropicContentBlock[] {
  if (content === null) return [];
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return content.map((part) => ({ ...blockOf(part), ...cacheOf(part) }) as AnthropicContentBlock);
}

/** Text stays one string (a breakpoint marks the whole result); images make it blocks, each with its own. */
function toolResultBlock(message: Extract<ChatMessage, { role: "tool" }>): AnthropicContentBlock {
  const { content, tool_call_id: toolUseId } = message;
  const withImages =
    typeof content !== "string" && content.some((part) => part.type !== "text" || part.document);
  const failed = message.is_error && { is_error: true };
  return withImages
    ? { type: "tool_result", tool_use_id: toolUseId, content: blocksOf(content), ...failed }
    : {
        type: "tool_result",
        tool_use_id: toolUseId,
        content: textOf(content),
        ...failed,
        ...cacheOfParts(content),
      };
}

/** A system message is one block, or one per part when the parts carry cache breakpoints. */
function systemBlocks(content: string | ContentPart[]): AnthropicTextBlock[] {
  if (typeof content === "string" || !content.some((part) => part.cache_control))
    return [{ type: "text", text: textOf(content) }];
  return content.flatMap((part) =>
    part.type === "text" ? [{ type: "text" as const, text: part.text, ...cacheOf(part) }] : [],
  );
}

function parseArguments(text: string): unknown {
  try {
    return text ? parseClientJson(text) : {};
  } catch {
    return { _raw: text };
  }
}

/**
 * OpenAI's tool choice in Anthropic's terms. `parallel_tool_calls: false` is Anthropic's `disable_parallel_tool_use`,
 * which lives inside tool_choice: alone, it comes with the default choice (auto). `none` takes no such flag.
 */
function toolChoiceToAnthropic(
  choice: ToolChoice | undefined,
  parallel: boolean | undefined,
): AnthropicRequest["tool_choice"] {
  if (choice === "none") return { type: "none" };
  const single = parallel === false && { disable_parallel_tool_use: true };
  if (choice === undefined) return single ? { type: "auto", ...single } : undefined;
  if (choice === "auto") return { type: "auto", ...single };
  if (choice === "required") return { type: "any", ...single };
  return { type: "tool", name: choice.function.name, ...single };
}

/**
 * Anthropic's thinking, within its rules: a budget of at least 1,024 tokens and below max_tokens (an effort's share
 * at most 32,000, as OpenRouter), no forced tool, and a tool loop's last assistant turn opening with its signed thinking. A request that
 * cannot meet them is sent without thinking rather than refused: the client asked for reasoning, not for a 400.
 */
function thinkingFromReasoning(
  request: ChatRequest,
  maxTokens: number,
  messages: AnthropicMessage[],
): AnthropicRequest["thinking"] {
  const forced = request.tool_choice === "required" || typeof request.tool_choice === "object";
  // Mid tool loop (the request ends with tool results), the assistant turn that called the tools must open with
  // its signed thinking; a new user turn starts afresh.
  const final = messages.at(-1);
  const inToolLoop =
    Array.isArray(final?.content) && final.content.some((block) => block.type === "tool_result");
  const last = messages.findLast((message) => message.role === "assistant");
  const opening = Array.isArray(last?.content) ? last.content[0] : undefined;
  const unsignedToolTurn =
    inToolLoop && opening?.type !== "thinking" && opening?.type !== "redacted_thinking";
  if (forced || unsignedToolTurn || maxTokens <= 1024) return undefined;
  if (request.reasoning?.adaptive) return { type: "adaptive" };
  // A budget asked for in tokens (Claude Code's budget_tokens) goes as asked, below max_tokens; only an effort's share
  // is capped at 32,000, as OpenRouter caps it.
  const explicit = request.reasoning?.max_tokens !== undefined;
  const max = explicit ? maxTokens - 1 : Math.min(32_000, maxTokens - 1);
  const budget = reasoningBudget(request, maxTokens, { min: 1024, max });
  return budget === undefined ? undefined : { type: "enabled", budget_tokens: budget };
}

/** Claude's own reasoning (or a client's that says nothing of whose): the only kind Anthropic takes back. */
export const isClaudeReasoning = (detail: ReasoningDetail) =>
  detail.format === undefined || detail.format === ANTHROPIC_REASONING_FORMAT;

/** The readable text of a piece of reasoning: its text, or its summary. */
export const reasoningText = (detail: ReasoningDetail): string | undefined =>
  detail.type === "reasoning.summary"
    ? detail.summary
    : detail.type === "reasoning.text"
      ? detail.text
      : undefined;

/**
 * Reasoning as Anthropic content blocks: the pieces of one block (one `index`) joined, each thinking block with its
 * signature. Unsigned text (another provider's reasoning) cannot go back to Anthropic and is left out.
 */
export function thinkingBlocks(
  details: ReasoningDetail[] | undefined,
  { signedOnly }: { signedOnly: boolean },
): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  const byIndex = new Map<number, { type: "thinking"; thinking: string; signature?: string }>();
  for (const detail of details ?? []) {
    // Going back to Anthropic: Claude's own reasoning only (another model's summary or ciphertext means nothing there).
    if (signedOnly && (!isClaudeReasoning(detail) || detail.type === "reasoning.summary")) continue;
    if (detail.type === "reasoning.encrypted") {
      blocks.push({ type: "redacted_thinking", data: detail.data });
      continue;
    }
    let block = byIndex.get(detail.index ?? 0);
    if (!block) {
      block = { type: "thinking", thinking: "" };
      byIndex.set(detail.index ?? 0, block);
      blocks.push(block);
    }
    block.thinking += reasoningText(detail) ?? "";
    if (detail.type === "reasoning.text" && detail.signature) block.signature = detail.signature;
  }
  return signedOnly ? blocks.filter((block) => block.type !== "thinking" || block.signature) : blocks;
}

/** Anthropic's thinking blocks as OpenRouter's reasoning details (one index per block). */
export function reasoningDetailsFromBlocks(blocks: AnthropicContentBlock[]): ReasoningDetail[] {
  const details: ReasoningDetail[] = [];
  for (const block of blocks) {
    const index = details.length;
    const format = ANTHROPIC_REASONING_FORMAT;
    if (block.type === "thinking")
      details.push({
        type: "reasoning.text",
        text: block.thinking,
        signature: block.signature,
        index,
        format,
      });
    else if (block.type === "redacted_thinking")
      details.push({ type: "reasoning.encrypted", data: block.data, index, format });
  }
  return details;
}

/** Claude models with structured outputs (constrained decoding): Opus, Sonnet and Haiku from 4.5 on. */
const STRUCTURED_OUTPUT_MODEL = /claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:-|@|$)/;

/**
 * A chat request's strict JSON schema (OpenAI's word for constrained decoding, what its SDKs' parse() asks for) as
 * Anthropic's structured output, for the models that have it: the schema in the subset Anthropic takes (what it
 * cannot enforce, such as `minimum`, moved into descriptions, as Anthropic's SDK does; references inlined). A schema
 * that is not strict (its objects may be open, which Anthropic's subset cannot say), is recursive (Anthropic refuses
 * those) or follows a prefilled answer (which Anthropic does not combine with structured output) stays an instruction.
 */
function nativeOutputFormat(
  request: ChatRequest,
  model: string,
  messages: AnthropicMessage[],
): ChatRequest["anthropic_output_config"] {
  const format = request.response_format;
  if (format?.type !== "json_schema" || format.json_schema.strict !== true || !format.json_schema.schema)
    return undefined;
  if (messages.at(-1)?.role === "assistant") return undefined;
  const schema = structuredSchema(format.json_schema.schema, model);
  return schema && { format: { type: "json_schema", schema } };
}

/**
 * A strict schema in the subset Claude's structured outputs take, for the models that have them; undefined for older
 * models and for a schema the subset cannot express (recursive, or without a type), which then goes unconstrained.
 */
function structuredSchema(
  schema: Record<string, unknown>,
  model: string,
): Record<string, unknown> | undefined {
  const version = STRUCTURED_OUTPUT_MODEL.exec(model);
  const [major, minor] = [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0)];
  if (major < 4 || (major === 4 && minor < 5)) return undefined;
  // Nested models come as references (pydantic's `$defs`, zod's `definitions`): inlined, unless recursive.
  const inlined = inlineRefs(schema);
  if (!inlined) return undefined;
  try {
    return transformJSONSchema(inlined);
  } catch {
    return undefined;
  }
}

/**
 * A tool as Claude takes it. OpenAI's strict function (what its SDKs' `zodFunction` sends) becomes Claude's strict
 * tool where the model has structured outputs, so its arguments are as sure to validate as at OpenAI.
 */
function toolToAnthropic(tool: ToolDefinition, model: string): AnthropicTool {
  const { name, description, parameters, strict } = tool.function;
  const constrained = strict === true && parameters ? structuredSchema(parameters, model) : undefined;
  return {
    name,
    ...(description && { description }),
    input_schema: constrained ?? parameters ?? { type: "object", properties: {} },
    ...(constrained && { strict: true }),
    ...cacheOf(tool),
  };
}

export function anthropicRequestFromChat(
  request: ChatRequest,
  model: string,
  defaultMaxTokens: number,
): AnthropicRequest {
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessage[] = [];
  const push = (role: "user" | "assistant", blocks: AnthropicContentBlock[]): void => {
    const last = messages[messages.length - 1];
    // Anthropic requires alternating roles; consecutive same-role turns (e.g. several tool results) merge.
    if (last && last.role === role && Array.isArray(last.content)) pushAll(last.content, blocks);
    else messages.push({ role, content: blocks });
  };
  for (const message of request.messages) {
    if (message.role === "system" || message.role === "developer")
      pushAll(system, systemBlocks(message.content));
    else if (message.role === "user") push("user", blocksOf(message.content));
    else if (message.role === "tool") {
      push("user", [toolResultBlock(message)]);
    } else if (message.role === "assistant") {
      // A refusal is the turn's words: without them the turn would be empty, which Anthropic refuses.
      const said = replayedContent(message);
      const blocks = [...thinkingBlocks(message.reasoning_details, { signedOnly: true }), ...blocksOf(said)];
      for (const call of message.tool_calls ?? []) {
        blocks.push({
          type: "tool_use",
          id: call.id,
          name: call.function.name,
          input: parseArguments(call.function.arguments),
          ...cacheOf(call),
        });
      }
      push("assistant", blocks);
    }
  }
  // An Anthropic client's own output config goes to Anthropic as it is. A JSON schema goes as Anthropic's structured
  // output where the model has it; other formats become an instruction.
  const output = request.anthropic_output_config ?? nativeOutputFormat(request, model, messages);
  const format = output?.format ? undefined : request.response_format;
  const instruct = (text: string) => system.push({ type: "text", text });
  if (format?.type === "json_object") instruct("Respond with a single valid JSON object and nothing else.");
  if (format?.type === "json_schema") {
    instruct(
      `Respond with a single JSON value that validates against this JSON schema, and nothing else: ${JSON.stringify(format.json_schema.schema ?? {})}`,
    );
  }
  const stop =
    request.stop === undefined ? undefined : Array.isArray(request.stop) ? request.stop : [request.stop];
  const out: AnthropicRequest = {
    model,
    messages,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens,
  };
  // Blocks only where a breakpoint needs them; otherwise the one string Anthropic's own examples send.
  if (system.length) {
    out.system = system.some((block) => block.cache_control)
      ? system
      : system.map((block) => block.text).join("\n\n");
  }
  const thinking = thinkingFromReasoning(request, out.max_tokens, messages);
  if (thinking) out.thinking = thinking;
  if (stop) out.stop_sequences = stop;
  // Thinking takes no temperature but 1, and a top_p of at least 0.95.
  if (request.temperature !== undefined && !thinking) out.temperature = Math.min(1, request.temperature);
  if (request.top_p !== undefined) out.top_p = thinking ? Math.max(0.95, request.top_p) : request.top_p;
  // Thinking takes no top_k either.
  if (typeof request.top_k === "number" && !thinking) out.top_k = request.top_k;
  // With `tool_choice: "none"` the tools still go (as Anthropic's `none`): a conversation with tool calls in it needs
  // their definitions, and leaving them out would change the prompt's cached prefix.
  if (request.tools?.length) {
    out.tools = request.tools.map((tool) => toolToAnthropic(tool, model));
    const choice = toolChoiceToAnthropic(request.tool_choice, request.parallel_tool_calls);
    if (choice) out.tool_choice = choice;
  }
  if (request.user) out.metadata = { user_id: request.user };
  if (request.cache_control) out.cache_control = request.cache_control;
  if (output) out.output_config = output;
  return out;
}

// ─── Anthropic request → OpenAI request (the /v1/messages route, for any model) ───

/**
 * A document's settings that only Claude reads (a text document's title, the context, citations switched on), for
 * the part that carries it; nothing when it has none (a text document is then plain text, as for any model).
 */
function documentSettings(
  block: Extract<AnthropicContentBlock, { type: "document" }>,
  title: string | undefined,
): { document?: DocumentSettings } {
  if (title === undefined && block.context === undefined && block.citations === undefined) return {};
  return {
    document: {
      ...(title !== undefined && { title }),
      ...(block.context !== undefined && { context: block.context }),
      ...(block.citations !== undefined && { citations: block.citations }),
    },
  };
}

function contentPartsFromBlocks(blocks: AnthropicContentBlock[]): ContentPart[] {
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    if (block.type === "text") parts.push({ type: "text", text: block.text, ...cacheOf(block) });
    else if (block.type === "image") {
      const url =
        block.source.type === "url"
          ? block.source.url
          : `data:${block.source.media_type};base64,${block.source.data}`;
      parts.push({ type: "image_url", image_url: { url }, ...cacheOf(block) });
    } else if (block.type === "document" && block.source.type === "text") {
      const settings = documentSettings(block, block.title);
      parts.push({ type: "text", text: block.source.data, ...settings, ...cacheOf(block) });
    } else if (block.type === "document") {
      const file_data = `data:${block.source.media_type};base64,${block.source.data}`;
      parts.push({
        type: "file",
        file: { file_data, ...(block.title && { filename: block.title }) },
        ...documentSettings(block, undefined),
        ...cacheOf(block),
      });
    }
  }
  return parts;
}

/**
 * A tool result's blocks as parts (images and documents stay parts of their own), the result's own breakpoint on its
 * last part; plain text without a breakpoint is one string, as OpenAI's tool messages take it.
 */
function toolResultContent(
  block: Extract<AnthropicContentBlock, { type: "tool_result" }>,
): string | ContentPart[] {
  const content = block.content ?? "";
  const parts = contentPartsFromBlocks(
    typeof content === "string" ? [{ type: "text", text: content }] : content,
  );
  const last = parts[parts.length - 1];
  if (block.cache_control && last) last.cache_control = block.cache_control;
  return simplify(parts);
}

/** Text-only parts become one string, unless a part carries a cache breakpoint (which only a part can). */
function simplify(parts: ContentPart[]): string | ContentPart[] {
  return parts.every((part) => part.type === "text" && !part.cache_control && !part.document)
    ? parts.map((part) => (part as { text: string }).text).join("")
    : parts;
}

/** The request's output config, the beta's `output_format` moved into it (as the generally available API takes it). */
function outputConfigOf(request: AnthropicRequest): ChatRequest["anthropic_output_config"] {
  const { output_config: config, output_format: legacy } = request;
  const format = config?.format ?? legacy;
  if (!format && !config?.effort) return undefined;
  return {
    ...(format && { format }),
    ...(config?.effort && { effort: config.effort }),
  };
}

export function chatRequestFromAnthropic(request: AnthropicRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = request.system;
  if (typeof system === "string") messages.push({ role: "system", content: system });
  else if (system?.some((block) => block.cache_control))
    messages.push({ role: "system", content: contentPartsFromBlocks(system) });
  else if (system) messages.push({ role: "system", content: system.map((block) => block.text).join("\n") });
  for (const message of request.messages) {
    const blocks: AnthropicContentBlock[] =
      typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
    if (message.role === "assistant") {
      const toolCalls: ToolCall[] = blocks.flatMap((block) =>
        block.type === "tool_use"
          ? [
              {
                id: block.id,
                type: "function" as const,
                function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
                ...cacheOf(block),
              },
            ]
          : [],
      );
      const texts = blocks.filter((block) => block.type === "text");
      const reasoning = reasoningDetailsFromBlocks(blocks);
      messages.push({
        role: "assistant",
        content: simplify(contentPartsFromBlocks(texts)) || null,
        ...(toolCalls.length && { tool_calls: toolCalls }),
        ...(reasoning.length && { reasoning_details: reasoning }),
      });
      continue;
    }
    // Tool results become tool messages (in order), the rest of the user's blocks one user message.
    for (const block of blocks) {
      if (block.type === "tool_result") {
        messages.push({
          role: "tool",
          tool_call_id: block.tool_use_id,
          content: toolResultContent(block),
          ...(block.is_error && { is_error: true }),
        });
      }
    }
    const parts = contentPartsFromBlocks(blocks);
    if (parts.length) messages.push({ role: "user", content: simplify(parts) });
  }
  const chat: ChatRequest = { model: request.model, messages, max_tokens: request.max_tokens };
  if (request.thinking?.type === "enabled") chat.reasoning = { max_tokens: request.thinking.budget_tokens };
  if (request.thinking?.type === "adaptive") chat.reasoning = { enabled: true, adaptive: true };
  if (request.models) chat.models = request.models;
  if (request.provider !== undefined) chat.provider = request.provider;
  if (request.stream) chat.stream = true;
  if (request.cache_control) chat.cache_control = request.cache_control;
  if (request.stop_sequences?.length) chat.stop = request.stop_sequences;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.top_k !== undefined) chat.top_k = request.top_k;
  if (request.metadata?.user_id) chat.user = request.metadata.user_id;
  const output = outputConfigOf(request);
  if (output) {
    chat.anthropic_output_config = output;
    // Other models get the schema as OpenAI's structured output.
    if (output.format) {
      chat.response_format = {
        type: "json_schema",
        json_schema: { name: "output", schema: output.format.schema },
      };
    }
  }
  if (request.tools?.length) {
    chat.tools = request.tools.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description && { description: tool.description }),
        parameters: tool.input_schema,
        ...(tool.strict !== undefined && { strict: tool.strict }),
      },
      ...cacheOf(tool),
    }));
  }
  const choice = request.tool_choice;
  if (choice) {
    chat.tool_choice =
      choice.type === "tool"
        ? { type: "function", function: { name: choice.name } }
        : { auto: "auto" as const, any: "required" as const, none: "none" as const }[choice.type];
    if (choice.disable_parallel_tool_use) chat.parallel_tool_calls = false;
  }
  return chat;
}
