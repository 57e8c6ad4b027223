import { requestBodySchemas, responseSchemas } from "./openapi-schemas.js";

/** OpenAPI 3.1 description of the gateway (GET /openapi.json; the dashboard's docs page renders it). */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const failure = (description: string, schema = "Error") => ({ description, content: json(ref(schema)) });
const INVALID = "Invalid request (the field is named in `error.param`)";
const UNAUTHORIZED = "Missing, unknown, revoked or expired API key";
const unauthorized = failure(UNAUTHORIZED);
const notFound = failure("Unknown model or id, or a model no provider configured here can serve");
const invalid = failure(INVALID);
/** What every generating route may answer besides 200, in the route's error shape. */
const generationErrors = (schema: "Error" | "AnthropicError") => ({
  "400": failure(INVALID, schema),
  "401": failure(UNAUTHORIZED, schema),
  "402": failure("Insufficient credits or key limit (`error.metadata.limit_source`)", schema),
  "403": failure("Refused by a policy, or a BYOK credential that cannot be used", schema),
  "404": failure("Unknown model, or a model no provider configured here can serve", schema),
  "413": failure("Body over the size limit", schema),
  "415": failure("A `Content-Encoding` other than identity (bodies are read as plain JSON)", schema),
  "429": failure("Rate limited (the key's limits, or the upstream's); see Retry-After", schema),
  "500": failure("Internal error", schema),
  "502": failure("Upstream failed", schema),
  "503": failure("Every endpoint that could serve the request has its circuit open; see Retry-After", schema),
  "504": failure("Upstream timed out", schema),
});
const errors = generationErrors("Error");
const anthropicErrors = generationErrors("AnthropicError");
const generationHeader = {
  "x-junction-generation-id": {
    description: "The generation id (GET /v1/generations/{id})",
    schema: { type: "string" },
  },
};
const eventStream = { "text/event-stream": { schema: { type: "string" } } };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Junction API",
      version: "1.0.0",
      description:
        "One OpenAI- and Anthropic-compatible API over many models and providers, with exact costs in every response. Authenticate with `Authorization: Bearer jk_live_…` (or `x-api-key`). Every GET route also answers HEAD (headers only) and every route OPTIONS (204 with `Allow`; CORS preflights on `/v1/…`). POST bodies are read as JSON whatever their `Content-Type`. An unknown path is a 404 (a trailing slash is not stripped), a known path with another method a 405 with `Allow`.",
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
              content: { ...json(ref("ChatCompletion")), ...eventStream },
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
          requestBody: { required: true, content: json(ref("MessagesRequest")) },
          responses: {
            "200": {
              description: "A message, or the Anthropic event stream",
              headers: generationHeader,
              content: { ...json(ref("Message")), ...eventStream },
            },
            ...anthropicErrors,
          },
        },
      },
      "/v1/embeddings": {
        post: {
          summary: "Create embeddings",
          requestBody: { required: true, content: json(ref("EmbeddingsRequest")) },
          responses: {
            "200": {
              description: "Embeddings with usage and cost",
              headers: generationHeader,
              content: json(ref("Embeddings")),
            },
            ...errors,
          },
        },
      },
      "/v1/responses": {
        post: {
          summary: "Create a response (OpenAI Responses format, any model; stateless)",
          description:
            "The conversation travels in `input` (messages, `function_call` and `function_call_output` items), as Codex sends it with `store: false`: `previous_response_id`, stored items and server tools (web_search, file_search, …) are refused with a 400 naming them. Stream with `stream: true`: response.created … response.completed (or response.incomplete / response.failed), each event with its `sequence_number`. `usage` carries `cost` and `cost_details` as on every route.",
          requestBody: { required: true, content: json(ref("ResponsesRequest")) },
          responses: {
            "200": {
              description: "A response object, or its event stream",
              headers: generationHeader,
              content: {
                ...json({
                  type: "object",
                  required: ["id", "object"],
                  properties: { id: { type: "string" }, object: { const: "response" } },
                }),
                ...eventStream,
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
          requestBody: { required: true, content: json(ref("CountTokensRequest")) },
          responses: {
            "200": {
              description: "The input tokens",
              content: json({
                type: "object",
                required: ["input_tokens"],
                properties: { input_tokens: { type: "integer" } },
              }),
            },
            "400": anthropicErrors["400"],
            "401": anthropicErrors["401"],
            "404": anthropicErrors["404"],
            "413": anthropicErrors["413"],
            "415": anthropicErrors["415"],
          },
        },
      },
      "/v1/models": {
        get: {
          summary:
            "List models with per-token prices (USD strings), context length, parameters and endpoints",
          description:
            "By default the models this server can serve: endpoints with a configured provider, plus (with a valid key) those the organization's own provider keys serve. `?all=true` lists the whole catalog, each endpoint marked `available` or not. Ordered by id. Public: no key needed.",
          security: [],
          parameters: [
            {
              name: "all",
              in: "query",
              required: false,
              schema: { type: "string", enum: ["true", "1", "false", "0"] },
            },
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
              content: json({
                type: "object",
                required: ["object", "data"],
                properties: { object: { const: "list" }, data: { type: "array", items: ref("Model") } },
              }),
            },
            "400": failure("A query parameter with a value it does not take (named in `error.param`)"),
          },
        },
      },
      "/v1/models/{author}/{slug}": {
        get: {
          summary: "One model, every endpoint of it marked `available` or not",
          security: [],
          parameters: [
            { name: "author", in: "path", required: true, schema: { type: "string" } },
            { name: "slug", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: { "200": { description: "The model", content: json(ref("Model")) }, "404": notFound },
        },
      },
      "/v1/models/{author}/{slug}/endpoints": {
        get: {
          summary:
            "One model's endpoints (OpenRouter's shape), each with its breaker and moving averages now",
          security: [],
          parameters: [
            { name: "author", in: "path", required: true, schema: { type: "string" } },
            { name: "slug", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            "200": { description: "The model and its endpoints", content: json(ref("ModelEndpoints")) },
            "404": notFound,
          },
        },
      },
      "/v1/generations/{id}": {
        get: {
          summary:
            "A generation: model and provider that answered, tokens, exact cost, every attempt, receipt",
          description:
            "Visible only to the key that made it: another key (of this organization or another) gets 404, as for an id that does not exist. `msg_…` ids from /v1/messages are taken too.",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The generation", content: json(ref("Generation")) },
            "401": unauthorized,
            "404": notFound,
          },
        },
      },
      "/v1/generation": {
        get: {
          summary: "A generation, by `?id=` (OpenRouter's form of GET /v1/generations/{id})",
          parameters: [{ name: "id", in: "query", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The generation", content: json(ref("Generation")) },
            "400": failure("No `id` given"),
            "401": unauthorized,
            "404": notFound,
          },
        },
      },
      "/v1/routing/explain": {
        post: {
          summary:
            "How a chat request would be routed: the candidates in order with their worst-case cost, and why each other endpoint was excluded (nothing is called or billed)",
          requestBody: { required: true, content: json(ref("ChatCompletionRequest")) },
          responses: {
            "200": { description: "The routing plan", content: json({ type: "object" }) },
            "400": invalid,
            "401": unauthorized,
            "403": errors["403"],
            "404": errors["404"],
            "413": errors["413"],
            "415": errors["415"],
          },
        },
      },
      "/.well-known/junction-receipt-key": {
        get: {
          summary: "The public key that verifies generation receipts (Ed25519)",
          security: [],
          responses: { "200": { description: "The key (JWK and PEM)", content: json({ type: "object" }) } },
        },
      },
      "/v1/credits": {
        get: {
          summary: "Credits, usage and this key's limit",
          responses: {
            "200": {
              description: "Balance in USD (number) and exact strings",
              content: json(ref("Credits")),
            },
            "401": unauthorized,
          },
        },
      },
      "/v1/key": {
        get: {
          summary:
            "This key as OpenRouter's GET /api/v1/key shows it: limit, what remains, usage (all time, day, week, month)",
          responses: {
            "200": { description: "Amounts in USD (numbers)", content: json(ref("Key")) },
            "401": unauthorized,
          },
        },
      },
      "/health": {
        get: {
          summary: "Liveness with database and Redis status (each check bounded in time)",
          security: [],
          responses: {
            "200": { description: "Healthy", content: json(ref("Health")) },
            "503": {
              description: "Degraded: the database or Redis failed its check",
              content: json(ref("Health")),
            },
          },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics",
          security: [],
          responses: {
            "200": {
              description: "Text exposition format",
              content: { "text/plain": { schema: { type: "string" } } },
            },
          },
        },
      },
      "/openapi.json": {
        get: {
          summary: "This document",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1", content: json({ type: "object" }) } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
      },
      schemas: { ...responseSchemas, ...requestBodySchemas() },
    },
  };
}
