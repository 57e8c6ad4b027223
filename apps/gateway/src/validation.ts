import { JunctionError } from "@junction/core";
import type { AnthropicRequest, ChatRequest, EmbeddingRequest, ResponsesRequest } from "@junction/providers";
import { z } from "zod";
import { functionsAsTools, type LegacyChatRequest } from "./formats/legacy-functions.js";

/** The gateway's edge: request bodies are validated here and trusted inside. Unknown fields pass through. */
const text = z.string();
// A prompt-cache breakpoint, in Anthropic's shape (OpenAI-format requests carry it as OpenRouter's do).
const cacheControl = z
  .object({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() })
  .optional();
// A document inline; uploaded files (file_id) live at one provider and are not carried.
const dataUrl = z
  .string({ error: "is required: the file as a base64 data URL (file_id is not supported)" })
  .regex(/^data:[\w.+-]+\/[\w.+-]+;base64,/, "must be a base64 data URL, like data:application/pdf;base64,…");
const contentPart = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text"), text, cache_control: cacheControl }),
  z.looseObject({
    type: z.literal("image_url"),
    image_url: z.looseObject({ url: z.string().min(1), detail: z.string().optional() }),
    cache_control: cacheControl,
  }),
  // A document (a PDF) as OpenAI takes it inline; uploaded files (file_id) live at one provider and are not carried.
  z.looseObject({
    type: z.literal("file"),
    file: z.looseObject({ file_data: dataUrl, filename: z.string().optional() }),
    cache_control: cacheControl,
  }),
]);
const content = z.union([text, z.array(contentPart)]);
const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
  cache_control: cacheControl,
});
// Earlier turns' reasoning, as OpenRouter carries it (Claude's signed thinking goes back to Anthropic from these).
const reasoningDetail = z.discriminatedUnion(
  "type",
  [
    z.looseObject({
      type: z.literal("reasoning.text"),
      text: z.string().optional(),
      signature: z.string().optional(),
    }),
    z.looseObject({ type: z.literal("reasoning.summary"), summary: z.string() }),
    z.looseObject({ type: z.literal("reasoning.encrypted"), data: z.string() }),
  ],
  { error: "must be reasoning.text, reasoning.summary or reasoning.encrypted" },
);
const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.enum(["system", "developer"]), content, name: z.string().optional() }),
  z.looseObject({ role: z.literal("user"), content, name: z.string().optional() }),
  z.looseObject({
    role: z.literal("assistant"),
    content: content
      .nullable()
      .optional()
      .transform((value) => value ?? null),
    tool_calls: z.array(toolCall).optional(),
    // OpenAI's legacy function calling: an earlier answer's call (carried as a tool call).
    function_call: z.looseObject({ name: z.string(), arguments: z.string() }).nullish(),
    name: z.string().optional(),
    reasoning_details: z.array(reasoningDetail).optional(),
  }),
  // `is_error`: Anthropic's flag for a failed tool, which this route carries too.
  z.looseObject({
    role: z.literal("tool"),
    content,
    tool_call_id: z.string(),
    is_error: z.boolean().optional(),
  }),
  // A legacy function's result (carried as the result of the call before it).
  z.looseObject({ role: z.literal("function"), name: z.string(), content: text.nullable() }),
]);
const toolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
// Anthropic's limit is longer (MCP tools in Claude Code are named mcp__<server>__<tool>).
const anthropicToolName = z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, "must be 1-128 letters, digits, _ or -");
const tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: toolName,
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
  cache_control: cacheControl,
});
const positiveInt = z.number().int().positive();
// OpenAI's priority and flex tiers cost other than the catalog's prices, which are what Junction bills.
const serviceTier = z
  .enum(["auto", "default"], { error: "must be auto or default: Junction bills the standard tier's prices" })
  .nullish();
/**
 * Features the providers price apart from tokens (audio tokens, per-search fees, OpenRouter's paid plugins): Junction
 * bills tokens at the catalog's prices, so forwarding them would serve them unbilled. Refused by name instead.
 */
const unbilled = (what: string) =>
  z
    .null({ error: `${what} is priced apart from tokens, which Junction does not bill; not supported` })
    .optional();
// Output formats: plain text, any JSON object, or JSON of a schema.
const plainFormats = [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
] as const;
const jsonSchema = {
  name: z.string(),
  schema: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullish(),
};
/**
 * A model name (`provider/model`, with an optional `:variant`). Real ones are under 100 characters; the cap keeps a
 * megabyte of "model" from being echoed back in the 404 and its routing detail. No control characters: the name is
 * stored and signed with the request's record, and Postgres refuses a NUL in text.
 */
const modelName = z
  .string()
  .min(1)
  .max(256)
  .refine(
    (name) => name.isWellFormed() && !/\p{Cc}/u.test(name),
    "must be well-formed text without control characters",
  );
const fallbackModels = z.array(modelName).min(1).max(10).optional();
const penalty = z.number().min(-2).max(2).nullish();

export const chatSchema = z.looseObject({
  model: modelName,
  models: fallbackModels,
  messages: z.array(message).min(1, "must contain at least one message"),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(tool).optional(),
  tool_choice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.looseObject({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().optional(),
  // OpenAI's legacy function calling, sent on as tools (formats/legacy-functions.ts).
  functions: z
    .array(
      z.looseObject({
        name: toolName,
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  function_call: z.union([z.enum(["none", "auto"]), z.looseObject({ name: z.string() })]).optional(),
  response_format: z
    .discriminatedUnion("type", [
      ...plainFormats,
      z.looseObject({ type: z.literal("json_schema"), json_schema: z.looseObject(jsonSchema) }),
    ])
    .optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4, "takes at most 4 sequences")]).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: positiveInt.nullish(),
  min_p: z.number().min(0).max(1).nullish(),
  top_a: z.number().min(0).max(1).nullish(),
  repetition_penalty: z.number().gt(0).max(2).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: penalty,
  frequency_penalty: penalty,
  // What no endpoint here can honour is refused by name rather than silently dropped.
  n: z.literal(1, "only 1 choice per request is supported").nullish(),
  // Returned by the hosts that take them (`provider.require_parameters` routes only to those).
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  user: z.string().optional(),
  // OpenRouter's reasoning request (Anthropic's thinking budget); `reasoning_effort` is OpenAI's own.
  reasoning: z
    .looseObject({
      effort: z.string().optional(),
      max_tokens: positiveInt.optional(),
      enabled: z.boolean().optional(),
      exclude: z.boolean().optional(),
    })
    .nullish(),
  // OpenRouter's older switch: false is `reasoning.exclude`, true asks for reasoning (folded into `reasoning`).
  include_reasoning: z.boolean().nullish(),
  reasoning_effort: z.string().nullish(),
  // Anthropic's automatic caching, as OpenRouter takes it on this route.
  cache_control: cacheControl,
  service_tier: serviceTier,
  web_search_options: unbilled("Web search"),
  plugins: z
    .array(z.unknown())
    .max(
      0,
      "plugins (web search, file parsing) are priced apart from tokens, which Junction does not bill; not supported",
    )
    .nullish(),
  audio: unbilled("Audio output"),
  modalities: z.array(z.literal("text", { error: "only text output is supported" })).nullish(),
});

// The blocks Junction carries across formats. Any other (a search result, a server tool's result) is refused by
// name rather than dropped.
const anthropicMedia = z.looseObject({
  type: z.literal("image"),
  source: z.looseObject({ type: z.enum(["base64", "url"]) }),
  cache_control: cacheControl,
});
const anthropicText = z.looseObject({
  type: z.literal("text"),
  text: z.string(),
  cache_control: cacheControl,
});
const anthropicDocument = z.looseObject({
  type: z.literal("document"),
  source: z.discriminatedUnion(
    "type",
    [
      z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
      z.looseObject({ type: z.literal("text"), data: z.string() }),
    ],
    { error: "must be a base64 or text source (url and file sources are not carried)" },
  ),
  title: z.string().optional(),
  cache_control: cacheControl,
});
const anthropicBlock = z.discriminatedUnion(
  "type",
  [
    anthropicText,
    anthropicMedia,
    anthropicDocument,
    z.looseObject({
      type: z.literal("tool_use"),
      id: z.string(),
      name: z.string(),
      cache_control: cacheControl,
    }),
    z.looseObject({
      type: z.literal("tool_result"),
      tool_use_id: z.string(),
      content: z
        .union([
          z.string(),
          z.array(
            z.discriminatedUnion("type", [anthropicText, anthropicMedia, anthropicDocument], {
              error: "must be text, image or document (other blocks are not carried)",
            }),
          ),
        ])
        .optional(),
      is_error: z.boolean().optional(),
      cache_control: cacheControl,
    }),
    z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() }),
    z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() }),
  ],
  {
    error: "must be text, image, document, tool_use, tool_result or thinking (other blocks are not carried)",
  },
);
// Structured outputs: the answer follows this JSON schema (Anthropic's own `output_config`, or the beta's name for it).
const anthropicOutputFormat = z.looseObject({
  type: z.literal("json_schema", "must be json_schema"),
  schema: z.record(z.string(), z.unknown()),
});

export const anthropicSchema = z.looseObject({
  model: modelName,
  models: fallbackModels,
  max_tokens: positiveInt,
  messages: z
    .array(
      z.looseObject({
        role: z.enum(["user", "assistant"]),
        content: z.union([z.string(), z.array(anthropicBlock)]),
      }),
    )
    .min(1, "must contain at least one message"),
  system: z.union([z.string(), z.array(anthropicText)]).optional(),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: positiveInt.optional(),
  tools: z
    .array(
      z.looseObject({
        // Server tools (web search, code execution, bash, …) run at Anthropic, and other models have none.
        type: z
          .literal("custom", {
            error: "must be custom: server tools such as web search run at Anthropic and are not carried",
          })
          .optional(),
        name: anthropicToolName,
        input_schema: z.record(z.string(), z.unknown()),
        strict: z.boolean().optional(),
        cache_control: cacheControl,
      }),
    )
    .optional(),
  tool_choice: z
    .looseObject({ type: z.enum(["auto", "any", "none", "tool"]), name: z.string().optional() })
    .optional(),
  output_config: z
    .looseObject({
      format: anthropicOutputFormat.nullish(),
      effort: z.enum(["low", "medium", "high", "xhigh", "max"]).nullish(),
    })
    .nullish(),
  output_format: anthropicOutputFormat.nullish(),
  cache_control: cacheControl,
  thinking: z
    .discriminatedUnion("type", [
      z.looseObject({ type: z.literal("enabled"), budget_tokens: positiveInt }),
      z.looseObject({ type: z.literal("adaptive") }),
      z.looseObject({ type: z.literal("disabled") }),
    ])
    .optional(),
});

// OpenAI's Responses API, stateless: the whole conversation is in `input`. What needs stored state or a server-side
// tool is refused by name.
const responsesPart = z.discriminatedUnion(
  "type",
  [
    z.looseObject({ type: z.enum(["input_text", "output_text"]), text }),
    z.looseObject({ type: z.literal("refusal"), refusal: text }),
    z.looseObject({
      type: z.literal("input_image"),
      image_url: z
        .string({ error: "is required: an image URL or data URL (file_id is not supported)" })
        .min(1),
      detail: z.string().optional(),
    }),
    z.looseObject({ type: z.literal("input_file"), file_data: dataUrl, filename: z.string().optional() }),
  ],
  { error: "must be input_text, input_image, input_file, output_text or refusal" },
);
const responsesContent = z.union([text, z.array(responsesPart)]);
const responsesItem = z.preprocess(
  // A message may leave out its type (OpenAI's "easy input message").
  (item) => (item && typeof item === "object" && !("type" in item) ? { ...item, type: "message" } : item),
  z.discriminatedUnion(
    "type",
    [
      z.looseObject({
        type: z.literal("message"),
        role: z.enum(["user", "assistant", "system", "developer"]),
        content: responsesContent,
      }),
      z.looseObject({
        type: z.literal("function_call"),
        call_id: z.string(),
        name: z.string(),
        arguments: z.string(),
      }),
      z.looseObject({
        type: z.literal("function_call_output"),
        call_id: z.string(),
        output: responsesContent,
      }),
      z.looseObject({ type: z.literal("reasoning"), encrypted_content: z.string().nullish() }),
    ],
    {
      error:
        "must be a message, function_call, function_call_output or reasoning item (stored items and server tools' calls are not carried)",
    },
  ),
);
const notStored = "is not supported: Junction stores no responses, so send the whole conversation in `input`";
export const responsesSchema = z.looseObject({
  model: modelName,
  models: fallbackModels,
  input: z.union([text, z.array(responsesItem).min(1, "must contain at least one item")]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  tools: z
    .array(
      z.discriminatedUnion(
        "type",
        [
          z.looseObject({
            type: z.literal("function"),
            name: toolName,
            description: z.string().nullish(),
            parameters: z.record(z.string(), z.unknown()).nullish(),
            strict: z.boolean().nullish(),
          }),
        ],
        { error: "must be a function tool (server tools such as web_search are not carried)" },
      ),
    )
    .nullish(),
  tool_choice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.looseObject({ type: z.literal("function"), name: z.string() }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: positiveInt.nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  user: z.string().nullish(),
  text: z
    .looseObject({
      // The Responses API puts the schema's fields beside its type.
      format: z
        .discriminatedUnion("type", [
          ...plainFormats,
          z.looseObject({ type: z.literal("json_schema"), ...jsonSchema }),
        ])
        .optional(),
    })
    .nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  include: z.array(z.string()).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  service_tier: serviceTier,
  previous_response_id: z.null({ error: notStored }).optional(),
  conversation: z.null({ error: notStored }).optional(),
  prompt: z
    .null({ error: "is not supported: Junction stores no prompt templates, so send the prompt in `input`" })
    .optional(),
  background: z.literal(false, "is not supported").nullish(),
});

const MAX_EMBEDDING_INPUTS = 2048;
const tokenId = z.number().int().nonnegative();
export const embeddingSchema = z.looseObject({
  model: modelName,
  // As OpenAI: no empty input, at most 2,048 inputs per request. The count is checked apart from the union: inside
  // it, a batch one too long would be reported by the branch it is not ("`input.0` expected number").
  input: z
    .union(
      [
        z.string().min(1),
        z.array(z.string().min(1)).min(1),
        z.array(tokenId).min(1),
        z.array(z.array(tokenId).min(1)).min(1),
      ],
      {
        error: "must be a non-empty string, array of strings or array of token arrays (at most 2048 inputs)",
      },
    )
    .refine(
      (input) =>
        typeof input === "string" || typeof input[0] === "number" || input.length <= MAX_EMBEDDING_INPUTS,
      `must hold at most ${MAX_EMBEDDING_INPUTS} inputs`,
    ),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: positiveInt.max(4096).optional(),
  user: z.string().optional(),
});

function parse<T>(schema: z.ZodType, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return stripNulls(result.data) as T;
  const first = result.error.issues[0];
  const issue = first && deepestIssue(first);
  const param = issue?.path.join(".") ?? "";
  throw new JunctionError(
    "bad_request",
    `Invalid request: ${param ? `\`${param}\` ` : ""}${issue?.message ?? "is invalid"}`,
    {
      ...(param && { param }),
    },
  );
}

/**
 * A union's own issue says only "Invalid input" about the whole value; the branch that got furthest into it says
 * what is wrong (`content` is a string or parts: a bad part's field is the news, not "not a string").
 */
function deepestIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union" || !issue.errors.length) return issue;
  let best: z.core.$ZodIssue = issue;
  for (const inner of issue.errors.flat()) {
    const deepest = deepestIssue(inner);
    const candidate: z.core.$ZodIssue = { ...deepest, path: [...issue.path, ...deepest.path] };
    // At one depth, what is wrong with the value of the right type (too many items) beats "expected a string".
    const deeper = candidate.path.length - best.path.length;
    const likelier = deeper === 0 && best.code === "invalid_type" && candidate.code !== "invalid_type";
    if (best === issue || deeper > 0 || likelier) best = candidate;
  }
  return best;
}

/** OpenAI SDKs send explicit nulls for unset options; internally unset means absent. */
function stripNulls(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (record[key] === null && key !== "content") {
      return Object.fromEntries(
        Object.entries(record).filter(([name, v]) => v !== null || name === "content"),
      );
    }
  }
  return record; // no nulls (the usual case): nothing to copy
}

export function parseChatRequest(body: unknown): ChatRequest {
  // `models` alone (OpenRouter style) names the primary model too.
  const withModel =
    body &&
    typeof body === "object" &&
    !("model" in body) &&
    Array.isArray((body as { models?: unknown }).models)
      ? { ...body, model: (body as { models: unknown[] }).models[0] }
      : body;
  const chat = functionsAsTools(
    parse<LegacyChatRequest & { include_reasoning?: boolean }>(chatSchema, withModel),
  );
  foldIncludeReasoning(chat);
  delete chat.anthropic_output_config; // the /v1/messages route's own, never a client's on this route
  if (chat.top_logprobs !== undefined && chat.logprobs !== true) {
    if (chat.top_logprobs > 0) throw invalid("top_logprobs", "requires `logprobs: true`");
    delete chat.top_logprobs; // 0 without logprobs asks for nothing
  }
  const names = (chat.tools ?? []).map((tool) => tool.function.name);
  const choice = chat.tool_choice;
  if (choice !== undefined && choice !== "auto" && choice !== "none") {
    checkToolChoice(names, choice === "required" ? undefined : choice.function.name);
  }
  return chat;
}

/**
 * `include_reasoning` as OpenRouter reads it: false withholds the reasoning from the answer (`reasoning.exclude`),
 * true asks for reasoning when nothing else does. It is never sent on: OpenAI refuses a field it does not know.
 */
function foldIncludeReasoning(chat: ChatRequest & { include_reasoning?: boolean }): void {
  const include = chat.include_reasoning;
  if (include === undefined) return;
  delete chat.include_reasoning;
  if (!include) chat.reasoning = { ...chat.reasoning, exclude: true };
  else if (!chat.reasoning && chat.reasoning_effort === undefined) chat.reasoning = { enabled: true };
}

export function parseAnthropicRequest(body: unknown): AnthropicRequest {
  const request = parse<AnthropicRequest>(anthropicSchema, body);
  const names = (request.tools ?? []).map((tool) => tool.name);
  checkUniqueNames(names, (index) => `tools.${index}.name`);
  const choice = request.tool_choice;
  if (choice?.type === "any" || choice?.type === "tool") {
    const name = choice.type === "tool" ? choice.name : undefined;
    if (choice.type === "tool" && !name) throw invalid("tool_choice.name", "is required when type is tool");
    checkToolChoice(names, name);
  }
  return request;
}

export function parseResponsesRequest(body: unknown): ResponsesRequest {
  const request = parse<ResponsesRequest>(responsesSchema, body);
  const names = (request.tools ?? []).map((tool) => tool.name);
  checkUniqueNames(names, (index) => `tools.${index}.name`);
  const choice = request.tool_choice;
  if (choice !== undefined && choice !== "auto" && choice !== "none") {
    checkToolChoice(names, choice === "required" ? undefined : choice.name);
  }
  return request;
}

/** Two tools of one name could not be told apart in the model's calls (Anthropic refuses them). */
function checkUniqueNames(names: string[], param: (index: number) => string): void {
  const seen = new Set<string>();
  for (const [index, name] of names.entries()) {
    if (seen.has(name)) throw invalid(param(index), `repeats the tool name "${name}"`);
    seen.add(name);
  }
}

/** A forced tool call needs tools, and a named one a tool of that name (as OpenAI and Anthropic answer 400). */
function checkToolChoice(tools: string[], name: string | undefined): void {
  if (!tools.length) throw invalid("tool_choice", "requires `tools`: there is no tool to call");
  if (name !== undefined && !tools.includes(name)) {
    throw invalid("tool_choice", `names the tool "${name}", which is not in \`tools\``);
  }
}

const invalid = (param: string, message: string) =>
  new JunctionError("bad_request", `Invalid request: \`${param}\` ${message}`, { param });
export const parseEmbeddingRequest = (body: unknown): EmbeddingRequest =>
  parse<EmbeddingRequest>(embeddingSchema, body);
