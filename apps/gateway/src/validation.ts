import { JunctionError } from "@junction/core";
import type { AnthropicRequest, ChatRequest, EmbeddingRequest } from "@junction/providers";
import { z } from "zod";

/** The gateway's edge: request bodies are validated here and trusted inside. Unknown fields pass through. */
const text = z.string();
const contentPart = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text"), text }),
  z.looseObject({
    type: z.literal("image_url"),
    image_url: z.looseObject({ url: z.string().min(1), detail: z.string().optional() }),
  }),
]);
const content = z.union([text, z.array(contentPart)]);
const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
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
    name: z.string().optional(),
  }),
  z.looseObject({ role: z.literal("tool"), content, tool_call_id: z.string() }),
]);
const tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});
const positiveInt = z.number().int().positive();

const chatSchema = z.looseObject({
  model: z.string().min(1),
  models: z.array(z.string().min(1)).min(1).max(10).optional(),
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
  response_format: z
    .discriminatedUnion("type", [
      z.looseObject({ type: z.literal("text") }),
      z.looseObject({ type: z.literal("json_object") }),
      z.looseObject({
        type: z.literal("json_schema"),
        json_schema: z.looseObject({
          name: z.string(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    ])
    .optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  user: z.string().optional(),
});

const anthropicBlock = z.looseObject({ type: z.string() });
const anthropicSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: positiveInt,
  messages: z
    .array(
      z.looseObject({
        role: z.enum(["user", "assistant"]),
        content: z.union([z.string(), z.array(anthropicBlock)]),
      }),
    )
    .min(1, "must contain at least one message"),
  system: z
    .union([z.string(), z.array(z.looseObject({ type: z.literal("text"), text: z.string() }))])
    .optional(),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  tools: z
    .array(z.looseObject({ name: z.string(), input_schema: z.record(z.string(), z.unknown()) }))
    .optional(),
  tool_choice: z
    .looseObject({ type: z.enum(["auto", "any", "none", "tool"]), name: z.string().optional() })
    .optional(),
});

const embeddingSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number()), z.array(z.array(z.number()))]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: positiveInt.optional(),
  user: z.string().optional(),
});

function parse<T>(schema: z.ZodType, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return stripNulls(result.data) as T;
  const issue = result.error.issues[0];
  const param = issue?.path.join(".") ?? "";
  throw new JunctionError(
    "bad_request",
    `Invalid request: ${param ? `\`${param}\` ` : ""}${issue?.message ?? "is invalid"}`,
    {
      ...(param && { param }),
    },
  );
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
  return parse<ChatRequest>(chatSchema, withModel);
}
export const parseAnthropicRequest = (body: unknown): AnthropicRequest =>
  parse<AnthropicRequest>(anthropicSchema, body);
export const parseEmbeddingRequest = (body: unknown): EmbeddingRequest =>
  parse<EmbeddingRequest>(embeddingSchema, body);
