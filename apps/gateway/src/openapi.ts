/** OpenAPI 3.1 description of the gateway (GET /openapi.json; the dashboard's docs page renders it). */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const errors = {
  "400": {
    description: "Invalid request (the field is named in `error.param`)",
    content: json(ref("Error")),
  },
  "401": { description: "Missing, unknown, revoked or expired API key", content: json(ref("Error")) },
  "402": {
    description: "Insufficient credits or key limit (`error.metadata.limit_source`)",
    content: json(ref("Error")),
  },
  "404": {
    description: "Unknown model or id, or a model no provider configured here can serve",
    content: json(ref("Error")),
  },
  "413": { description: "Body over the size limit", content: json(ref("Error")) },
  "429": { description: "Upstream rate limited; see Retry-After", content: json(ref("Error")) },
  "502": { description: "Upstream failed", content: json(ref("Error")) },
  "503": {
    description: "Every endpoint that could serve the request has its circuit open; see Retry-After",
    content: json(ref("Error")),
  },
  "504": { description: "Upstream timed out", content: json(ref("Error")) },
};
const generationHeader = {
  "x-junction-generation-id": {
    description: "The generation id (GET /v1/generations/{id})",
    schema: { type: "string" },
  },
};

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Junction API",
      version: "1.0.0",
      description:
        "One OpenAI- and Anthropic-compatible API over many models and providers, with exact costs in every response. Authenticate with `Authorization: Bearer jk_live_…` (or `x-api-key`).",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      "/v1/chat/completions": {
        post: {
          summary: "Create a chat completion (OpenAI format, any model)",
          description:
            "Stream with `stream: true` (SSE; with `stream_options.include_usage` the last chunk before `[DONE]` carries usage). Models are `author/model` slugs from GET /v1/models.",
          requestBody: { required: true, content: json(ref("ChatCompletionRequest")) },
          responses: {
            "200": {
              description: "A chat completion, or an SSE stream of chunks",
              headers: generationHeader,
              content: {
                ...json(ref("ChatCompletion")),
                "text/event-stream": { schema: { type: "string" } },
              },
            },
            ...errors,
          },
        },
      },
      "/v1/messages": {
        post: {
          summary: "Create a message (Anthropic Messages format, any model)",
          description:
            "Errors on this route use Anthropic's error shape: `{type: \"error\", error: {type, message}}`. The `anthropic-beta` header's features that Junction carries (interleaved-thinking-2025-05-14, fine-grained-tool-streaming-2025-05-14, context-1m-2025-08-07, token-efficient-tools-2025-02-19, extended-cache-ttl-2025-04-11) are passed on to Anthropic; others are not sent.",
          requestBody: {
            required: true,
            content: json({ type: "object", required: ["model", "max_tokens", "messages"] }),
          },
          responses: {
            "200": { description: "A message, or the Anthropic event stream", headers: generationHeader },
            ...errors,
          },
        },
      },
      "/v1/embeddings": {
        post: {
          summary: "Create embeddings",
          requestBody: {
            required: true,
            content: json({
              type: "object",
              required: ["model", "input"],
              properties: {
                model: { type: "string" },
                input: { oneOf: [{ type: "string" }, { type: "array" }] },
              },
            }),
          },
          responses: {
            "200": { description: "Embeddings with usage and cost", headers: generationHeader },
            ...errors,
          },
        },
      },
      "/v1/responses": {
        post: {
          summary: "Create a response (OpenAI Responses format, any model; stateless)",
          description:
            "The conversation travels in `input` (messages, `function_call` and `function_call_output` items), as Codex sends it with `store: false`: `previous_response_id`, stored items and server tools (web_search, file_search, …) are refused with a 400 naming them. Stream with `stream: true`: response.created … response.completed (or response.incomplete / response.failed), each event with its `sequence_number`. `usage` carries `cost` and `cost_details` as on every route.",
          requestBody: {
            required: true,
            content: json({
              type: "object",
              required: ["model", "input"],
              properties: {
                model: { type: "string" },
                input: {
                  description:
                    "A string, or items: messages (input_text, input_image, input_file, output_text parts), function_call, function_call_output and reasoning items",
                  oneOf: [{ type: "string" }, { type: "array", items: { type: "object" } }],
                },
                instructions: { type: "string" },
                tools: { type: "array", items: { type: "object", description: "Function tools" } },
                tool_choice: {},
                parallel_tool_calls: { type: "boolean" },
                max_output_tokens: { type: "integer" },
                temperature: { type: "number" },
                top_p: { type: "number" },
                text: {
                  type: "object",
                  description: "`format` (text, json_object, json_schema) and `verbosity`",
                },
                reasoning: {
                  type: "object",
                  description: "`effort`, as Anthropic and Gemini thinking budgets too",
                },
                include: {
                  type: "array",
                  items: { type: "string" },
                  description:
                    "`reasoning.encrypted_content`: reasoning items carry what the client sends back next turn (Claude's signed thinking)",
                },
                stream: { type: "boolean" },
              },
            }),
          },
          responses: {
            "200": {
              description: "A response object, or its event stream",
              headers: generationHeader,
              content: {
                ...json({
                  type: "object",
                  properties: { id: { type: "string" }, object: { const: "response" } },
                }),
                "text/event-stream": { schema: { type: "string" } },
              },
            },
            ...errors,
          },
        },
      },
      "/v1/messages/count_tokens": {
        post: {
          summary:
            "Count the input tokens of a Messages request (Anthropic format, any model), as Claude Code asks",
          requestBody: { required: true, content: json({ type: "object", required: ["model", "messages"] }) },
          responses: {
            "200": {
              description: "The input tokens",
              content: json({ type: "object", properties: { input_tokens: { type: "integer" } } }),
            },
            ...errors,
          },
        },
      },
      "/v1/models": {
        get: {
          summary:
            "List models with per-token prices (USD strings), context length, parameters and endpoints",
          description:
            "By default the models this server can serve: endpoints with a configured provider, plus (with a valid key) those the organization's own provider keys serve. `?all=true` lists the whole catalog, each endpoint marked `available` or not. Public: no key needed.",
          security: [],
          parameters: [
            { name: "all", in: "query", required: false, schema: { type: "string", enum: ["true", "1"] } },
            {
              name: "supported_parameters",
              in: "query",
              required: false,
              description:
                "Comma-separated: only models that take every parameter named (e.g. `tools,response_format`)",
              schema: { type: "string" },
            },
          ],
          responses: {
            "200": {
              description: "Models",
              content: json({ type: "object", properties: { data: { type: "array", items: ref("Model") } } }),
            },
          },
        },
      },
      "/v1/models/{author}/{slug}": {
        get: {
          summary: "One model",
          security: [],
          parameters: [
            { name: "author", in: "path", required: true, schema: { type: "string" } },
            { name: "slug", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            "200": { description: "The model", content: json(ref("Model")) },
            "404": errors["404"],
          },
        },
      },
      "/v1/generations/{id}": {
        get: {
          summary:
            "A generation: model and provider that answered, tokens, exact cost, every attempt, receipt",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The generation" }, "401": errors["401"], "404": errors["404"] },
        },
      },
      "/v1/generation": {
        get: {
          summary: "A generation, by `?id=` (OpenRouter's form of GET /v1/generations/{id})",
          parameters: [{ name: "id", in: "query", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The generation" }, "401": errors["401"], "404": errors["404"] },
        },
      },
      "/v1/routing/explain": {
        post: {
          summary:
            "How a chat request would be routed: the candidates in order with their worst-case cost, and why each other endpoint was excluded (nothing is called or billed)",
          requestBody: { required: true, content: json(ref("ChatCompletionRequest")) },
          responses: { "200": { description: "The routing plan" }, ...errors },
        },
      },
      "/.well-known/junction-receipt-key": {
        get: {
          summary: "The public key that verifies generation receipts (Ed25519)",
          security: [],
          responses: { "200": { description: "The key (JWK and PEM)" } },
        },
      },
      "/v1/credits": {
        get: {
          summary: "Credits, usage and this key's limit",
          responses: {
            "200": { description: "Balance in USD (number) and exact strings" },
            "401": errors["401"],
          },
        },
      },
      "/v1/key": {
        get: {
          summary:
            "This key as OpenRouter's GET /api/v1/key shows it: limit, what remains, usage (all time, day, week, month)",
          responses: {
            "200": { description: "Amounts in USD (numbers)" },
            "401": errors["401"],
          },
        },
      },
      "/health": {
        get: {
          summary: "Liveness with database and Redis status",
          security: [],
          responses: { "200": { description: "Healthy" }, "503": { description: "Degraded" } },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics",
          security: [],
          responses: { "200": { description: "Text exposition format" } },
        },
      },
      "/openapi.json": {
        get: {
          summary: "This document",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1" } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", examples: ["bad_request", "payment_required", "method_not_allowed"] },
                message: { type: "string" },
                type: { type: "string" },
                param: { type: ["string", "null"] },
                metadata: { type: ["object", "null"] },
              },
            },
          },
        },
        ChatCompletionRequest: {
          type: "object",
          required: ["model", "messages"],
          properties: {
            model: { type: "string", examples: ["sandbox/junction-small", "openai/gpt-4o-mini"] },
            messages: { type: "array", items: { type: "object", required: ["role"] } },
            stream: { type: "boolean" },
            stream_options: { type: "object", properties: { include_usage: { type: "boolean" } } },
            tools: { type: "array", items: { type: "object" } },
            tool_choice: {},
            response_format: { type: "object" },
            max_tokens: { type: "integer", minimum: 1 },
            max_completion_tokens: { type: "integer", minimum: 1 },
            temperature: { type: "number", minimum: 0, maximum: 2 },
            top_p: { type: "number" },
            top_k: {
              type: "integer",
              minimum: 1,
              description: "Sent only to the hosts that take it (see a model's supported_parameters)",
            },
            min_p: { type: "number", minimum: 0, maximum: 1, description: "As top_k" },
            repetition_penalty: { type: "number", exclusiveMinimum: 0, maximum: 2, description: "As top_k" },
            top_a: { type: "number", minimum: 0, maximum: 1, description: "OpenRouter's; sent only to it" },
            logprobs: {
              type: "boolean",
              description:
                "Token log probabilities, from the hosts that return them (see supported_parameters)",
            },
            top_logprobs: { type: "integer", minimum: 0, maximum: 20, description: "With logprobs: true" },
            stop: {},
            seed: { type: "integer" },
            user: { type: "string" },
            reasoning: {
              type: "object",
              description:
                "OpenRouter's reasoning request; Anthropic models think with this budget (or this share of max_tokens)",
              properties: {
                effort: { enum: ["xhigh", "high", "medium", "low", "minimal", "none"] },
                max_tokens: { type: "integer", minimum: 1 },
                enabled: { type: "boolean" },
                exclude: {
                  type: "boolean",
                  description: "The model reasons (billed as output) but the answer leaves the reasoning out",
                },
              },
            },
            include_reasoning: {
              type: "boolean",
              description: "OpenRouter's older switch: false is `reasoning.exclude`, true asks for reasoning",
            },
            reasoning_effort: {
              type: "string",
              description: "OpenAI's; also sets an Anthropic model's budget",
            },
          },
        },
        Usage: {
          type: "object",
          properties: {
            prompt_tokens: { type: "integer" },
            completion_tokens: { type: "integer" },
            total_tokens: { type: "integer" },
            prompt_tokens_details: { type: "object", properties: { cached_tokens: { type: "integer" } } },
            cost: { type: "number", description: "USD" },
            is_byok: { type: "boolean" },
            cost_details: {
              type: "object",
              properties: { total_usd: { type: "string" }, total_nano_usd: { type: "string" } },
            },
          },
        },
        ChatCompletion: {
          type: "object",
          properties: {
            id: { type: "string" },
            object: { const: "chat.completion" },
            model: { type: "string", description: "The model that answered" },
            provider: { type: "string", description: "The provider that answered" },
            choices: { type: "array", items: { type: "object" } },
            usage: ref("Usage"),
          },
        },
        Model: {
          type: "object",
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            context_length: { type: ["integer", "null"] },
            pricing: {
              type: "object",
              description:
                "USD per token as strings. `input_cache_write_1h`: a one-hour cache write, where priced apart. `long_context`: the prices every token of a prompt over `above_prompt_tokens` is charged at, where the endpoint has such a tier",
              properties: {
                prompt: { type: "string" },
                completion: { type: "string" },
                request: { type: "string" },
                input_cache_read: { type: "string" },
                input_cache_write: { type: "string" },
                input_cache_write_1h: { type: "string" },
                long_context: {
                  type: "object",
                  properties: {
                    above_prompt_tokens: { type: "integer" },
                    prompt: { type: "string" },
                    completion: { type: "string" },
                    input_cache_read: { type: "string" },
                    input_cache_write: { type: "string" },
                    input_cache_write_1h: { type: "string" },
                  },
                },
              },
            },
            supported_parameters: { type: "array", items: { type: "string" } },
            endpoints: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  id: { type: "string" },
                  provider: { type: "string" },
                  available: {
                    type: "boolean",
                    description: "Whether the caller can use it here (a configured provider, or its own key)",
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
