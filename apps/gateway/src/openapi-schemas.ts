import { z } from "zod";
import { anthropicSchema, chatSchema, embeddingSchema, responsesSchema } from "./validation.js";

/** The response and error schemas of GET /openapi.json: what the handlers send, checked against real responses. */
const string = { type: "string" };
const integer = { type: "integer" };
const number = { type: "number" };
const boolean = { type: "boolean" };
const nullable = (type: string) => ({ type: [type, "null"] });
const usd = { type: "string", pattern: "^-?\\d+(\\.\\d+)?$", description: "USD, exact decimal" };
/** An object whose listed fields are all present. */
const record = (properties: Record<string, unknown>, extra: object = {}) => ({
  type: "object",
  required: Object.keys(properties),
  properties,
  ...extra,
});

const prices = {
  type: "object",
  required: ["prompt", "completion", "request", "input_cache_read", "input_cache_write"],
  properties: {
    prompt: usd,
    completion: usd,
    request: usd,
    input_cache_read: usd,
    input_cache_write: usd,
    input_cache_write_1h: usd,
  },
};

/** GET /v1/models: one model's fields (its endpoints apart). */
const modelFields = {
  id: string,
  object: { const: "model" },
  created: integer,
  owned_by: string,
  name: string,
  description: string,
  context_length: nullable("integer"),
  architecture: record({
    modality: string,
    input_modalities: { type: "array", items: string },
    output_modalities: { type: "array", items: string },
  }),
  top_provider: record({
    context_length: nullable("integer"),
    max_completion_tokens: nullable("integer"),
    is_moderated: boolean,
  }),
  pricing: {
    ...prices,
    description:
      "USD per token as strings. `input_cache_write_1h`: a one-hour cache write, where priced apart. `long_context`: the prices every token of a prompt over `above_prompt_tokens` is charged at, where the endpoint has such a tier",
    properties: {
      ...prices.properties,
      long_context: {
        ...prices,
        required: ["above_prompt_tokens", ...prices.required.filter((field) => field !== "request")],
        properties: { above_prompt_tokens: integer, ...prices.properties },
      },
    },
  },
  supported_parameters: { type: "array", items: string },
};

/** One endpoint of a model in GET /v1/models. */
const endpointFields = {
  id: string,
  provider: string,
  provider_name: string,
  context_length: nullable("integer"),
  max_completion_tokens: nullable("integer"),
  pricing: prices,
  supported_parameters: { type: "array", items: string },
  quantization: nullable("string"),
  status: string,
  available: {
    type: "boolean",
    description: "Whether the caller can use it here (a configured provider, or its own key)",
  },
};

export const responseSchemas = {
  Error: record({
    error: {
      type: "object",
      required: ["code", "message", "type", "param", "metadata"],
      properties: {
        code: { type: "string", examples: ["bad_request", "payment_required", "method_not_allowed"] },
        message: string,
        type: string,
        param: nullable("string"),
        metadata: nullable("object"),
      },
    },
  }),
  AnthropicError: record({
    type: { const: "error" },
    error: record({ type: { type: "string", examples: ["invalid_request_error"] }, message: string }),
  }),
  Usage: {
    type: "object",
    required: ["prompt_tokens", "completion_tokens", "total_tokens", "cost", "is_byok", "cost_details"],
    properties: {
      prompt_tokens: integer,
      completion_tokens: integer,
      total_tokens: integer,
      prompt_tokens_details: {
        type: "object",
        properties: { cached_tokens: integer, cache_write_tokens: integer },
      },
      completion_tokens_details: { type: "object", properties: { reasoning_tokens: integer } },
      cost: { type: "number", description: "USD" },
      is_byok: boolean,
      estimated: { type: "boolean", description: "Counted here: the provider reported no usage" },
      cost_details: {
        type: "object",
        required: ["total_usd", "total_nano_usd"],
        properties: {
          upstream_inference_cost: nullable("number"),
          upstream_inference_prompt_cost: number,
          upstream_inference_completions_cost: number,
          total_usd: usd,
          total_nano_usd: { type: "string", pattern: "^\\d+$" },
        },
      },
    },
  },
  ChatCompletion: record({
    id: string,
    object: { const: "chat.completion" },
    created: integer,
    model: { type: "string", description: "The model that answered" },
    provider: { type: "string", description: "The provider that answered" },
    choices: {
      type: "array",
      items: {
        type: "object",
        required: ["index", "message", "finish_reason"],
        properties: {
          index: integer,
          message: { type: "object", required: ["role"], properties: { role: { const: "assistant" } } },
          finish_reason: nullable("string"),
          logprobs: nullable("object"),
        },
      },
    },
    usage: { $ref: "#/components/schemas/Usage" },
  }),
  Message: record({
    id: string,
    type: { const: "message" },
    role: { const: "assistant" },
    model: string,
    provider: string,
    content: { type: "array", items: { type: "object", required: ["type"] } },
    stop_reason: nullable("string"),
    stop_sequence: nullable("string"),
    usage: {
      type: "object",
      required: ["input_tokens", "output_tokens"],
      properties: { input_tokens: integer, output_tokens: integer, cost: number },
    },
  }),
  Embeddings: record({
    object: { const: "list" },
    id: string,
    model: string,
    provider: string,
    data: {
      type: "array",
      items: record({
        object: { const: "embedding" },
        index: integer,
        embedding: {
          oneOf: [
            { type: "array", items: number },
            { type: "string", description: "base64 float32" },
          ],
        },
      }),
    },
    usage: { $ref: "#/components/schemas/Usage" },
  }),
  Model: record(
    { ...modelFields, endpoints: { type: "array", items: record(endpointFields) } },
    { description: "OpenRouter's model shape" },
  ),
  ModelEndpoints: record({
    data: record({
      ...modelFields,
      endpoints: {
        type: "array",
        items: record({
          name: string,
          ...endpointFields,
          health: record(
            {
              breaker: { enum: ["closed", "open", "half_open"] },
              reopens_at: { ...nullable("string"), description: "When an open breaker lets a probe through" },
              latency_ms: { ...nullable("integer"), description: "Time to first token, moving average" },
              tokens_per_second: { ...nullable("number"), description: "Output speed, moving average" },
            },
            { description: "How the endpoint is doing now, as the router sees it (null: no traffic yet)" },
          ),
        }),
      },
    }),
  }),
  Generation: record({
    data: {
      type: "object",
      required: ["id", "model", "status", "created_at", "total_cost_usd", "total_cost_nano_usd", "attempts"],
      properties: {
        id: string,
        model: string,
        requested_model: string,
        provider: nullable("string"),
        endpoint: nullable("string"),
        api_format: string,
        streamed: boolean,
        status: { type: "string", examples: ["success", "error", "aborted"] },
        finish_reason: nullable("string"),
        error: { oneOf: [{ type: "null" }, record({ code: string, message: nullable("string") })] },
        created_at: { type: "string", format: "date-time" },
        completed_at: { type: ["string", "null"], format: "date-time" },
        latency_ms: nullable("integer"),
        time_to_first_token_ms: nullable("integer"),
        tokens_prompt: integer,
        tokens_completion: integer,
        tokens_cached: integer,
        tokens_cache_write: integer,
        tokens_cache_write_1h: integer,
        usage_estimated: boolean,
        total_cost: { type: "number", description: "USD" },
        total_cost_usd: usd,
        total_cost_nano_usd: { type: "string", pattern: "^\\d+$" },
        is_byok: boolean,
        attempts: { type: "array", items: { type: "object" } },
        price_table_version: nullable("integer"),
        policy_id: nullable("string"),
        policy_version_hash: nullable("string"),
        receipt: { type: ["object", "null"], description: "Canonical JSON, verified with the receipt key" },
        signature: nullable("string"),
      },
    },
  }),
  Credits: record({
    data: record({
      total_credits: number,
      total_usage: number,
      balance: number,
      balance_usd: usd,
      balance_nano_usd: { type: "string", pattern: "^-?\\d+$" },
      key: record({
        id: string,
        name: nullable("string"),
        limit: nullable("number"),
        limit_reset: string,
        limit_period_start: { type: ["string", "null"], format: "date-time" },
        usage: number,
        limit_remaining: nullable("number"),
      }),
    }),
  }),
  Key: record({
    data: record({
      label: nullable("string"),
      limit: nullable("number"),
      limit_reset: nullable("string"),
      limit_remaining: nullable("number"),
      usage: number,
      usage_daily: number,
      usage_weekly: number,
      usage_monthly: number,
      is_free_tier: boolean,
      is_provisioning_key: boolean,
      expires_at: { type: ["string", "null"], format: "date-time" },
    }),
  }),
  Health: (() => {
    const dependency = {
      type: "object",
      required: ["status", "latency_ms"],
      properties: {
        status: { enum: ["ok", "error"] },
        latency_ms: number,
        error: { type: "string", description: "Why the check failed: `timeout`, or the error's code" },
      },
    };
    return record({
      status: { enum: ["ok", "degraded"] },
      database: dependency,
      redis: dependency,
      catalog: record({ models: integer, price_table_version: nullable("integer"), loaded_at: string }),
      uptime_seconds: integer,
    });
  })(),
};

/**
 * The request bodies, from the validators themselves (zod's JSON Schema of what they accept), so the document cannot
 * drift from validation. Computed once, on first use.
 */
let requestSchemas: Record<string, unknown> | undefined;
export function requestBodySchemas(): Record<string, unknown> {
  if (requestSchemas) return requestSchemas;
  const toSchema = (schema: z.ZodType, description: string) => {
    const { $schema: _, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
    return { ...json, description };
  };
  const chat = toSchema(
    chatSchema,
    "OpenAI's chat request, plus OpenRouter's `models`, `reasoning` and samplers",
  );
  requestSchemas = {
    // `models` alone names the primary model too (OpenRouter's form).
    ChatCompletionRequest: {
      ...chat,
      required: ["messages"],
      anyOf: [{ required: ["model"] }, { required: ["models"] }],
    },
    MessagesRequest: toSchema(anthropicSchema, "Anthropic's Messages request"),
    CountTokensRequest: toSchema(
      anthropicSchema.omit({ max_tokens: true }),
      "A Messages request without `max_tokens`",
    ),
    ResponsesRequest: toSchema(responsesSchema, "OpenAI's Responses request, stateless"),
    EmbeddingsRequest: toSchema(embeddingSchema, "OpenAI's embeddings request"),
  };
  return requestSchemas;
}
