import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

/**
 * GET /openapi.json against the server it describes: a valid OpenAPI 3.1 document whose schemas accept the bodies
 * the validators accept and describe the responses the routes really send, error statuses included.
 */
type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

let harness: Harness;
let spec: Document;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const pointer = (...parts: string[]) =>
  `openapi#/${parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

beforeAll(async () => {
  harness = await startHarness();
  spec = (await (await fetch(`${harness.gateway.url}/openapi.json`)).json()) as Document;
  ajv.addSchema(spec, "openapi");
});
afterAll(() => harness.close());

/** Calls the gateway and checks the answer against the document's schema for this operation and status. */
async function conforms(
  method: string,
  path: string,
  operation: string,
  init: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const key = init.key === undefined ? harness.tenant.apiKey : init.key;
  const response = await fetch(`${harness.gateway.url}${path}`, {
    method,
    headers: {
      ...(key && { authorization: `Bearer ${key}` }),
      ...(init.body !== undefined && { "content-type": "application/json" }),
      ...init.headers,
    },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const status = String(response.status);
  const documented = spec.paths[operation]?.[method.toLowerCase()]?.responses[status];
  expect(documented, `${method} ${path}: status ${status} is documented`).toBeDefined();
  const type = (response.headers.get("content-type") ?? "").split(";")[0] as string;
  const body = type === "application/json" ? await response.json() : await response.text();
  expect(documented?.content?.[type], `${method} ${path} ${status}: ${type} is documented`).toBeDefined();
  const validate = ajv.getSchema(
    pointer("paths", operation, method.toLowerCase(), "responses", status, "content", type, "schema"),
  );
  expect(validate?.(body), `${method} ${path} ${status}: ${ajv.errorsText(validate?.errors)}`).toBe(true);
  if (init.body !== undefined && (status === "200" || status === "400")) {
    const request = ajv.getSchema(
      pointer(
        "paths",
        operation,
        method.toLowerCase(),
        "requestBody",
        "content",
        "application/json",
        "schema",
      ),
    );
    // What the server took, the document takes; what it refused for a missing field, the document refuses too.
    expect(request?.(init.body), `${method} ${path} request: ${ajv.errorsText(request?.errors)}`).toBe(
      status === "200",
    );
  }
  return { status: response.status, body };
}

describe("GET /openapi.json", () => {
  it("is OpenAPI 3.1 whose schemas compile, references resolve and path templates declare their parameters", () => {
    expect(spec.openapi).toBe("3.1.0");
    for (const name of Object.keys(spec.components.schemas))
      expect(() => ajv.getSchema(pointer("components", "schemas", name)), name).not.toThrow();
    const refs = [...JSON.stringify(spec).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)];
    for (const [, name] of refs)
      expect(spec.components.schemas, `$ref ${name}`).toHaveProperty(name as string);
    for (const [path, methods] of Object.entries(spec.paths)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      for (const [method, operation] of Object.entries(methods)) {
        expect(["get", "post"]).toContain(method);
        expect(Object.keys(operation.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        const declared = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual(templated);
      }
    }
  });

  it("documents the request fields the validators take, and their required fields", async () => {
    const properties = (name: string) =>
      Object.keys((spec.components.schemas[name] as { properties: object }).properties);
    expect(properties("EmbeddingsRequest")).toEqual(
      expect.arrayContaining(["model", "input", "encoding_format", "dimensions", "user"]),
    );
    expect(properties("ChatCompletionRequest")).toEqual(
      expect.arrayContaining(["models", "presence_penalty", "frequency_penalty", "parallel_tool_calls"]),
    );
    expect(properties("MessagesRequest")).toEqual(
      expect.arrayContaining(["system", "tools", "thinking", "stop_sequences"]),
    );
    // `models` alone is a chat request (OpenRouter's form); Messages needs max_tokens, count_tokens does not.
    await conforms("POST", "/v1/chat/completions", "/v1/chat/completions", {
      body: { models: ["sandbox/junction-small"], messages: [{ role: "user", content: "hi" }] },
    });
    await conforms("POST", "/v1/messages", "/v1/messages", {
      body: { model: "sandbox/junction-small", messages: [{ role: "user", content: "hi" }] },
    });
    await conforms("POST", "/v1/messages/count_tokens", "/v1/messages/count_tokens", {
      body: { model: "sandbox/junction-small", messages: [{ role: "user", content: "hi" }] },
    });
    await conforms("POST", "/v1/embeddings", "/v1/embeddings", {
      body: { model: "sandbox/junction-embed", input: [] },
    });
  });

  it("describes what every route really answers, errors included", async () => {
    const hello = [{ role: "user", content: "Hello" }];
    const chat = await conforms("POST", "/v1/chat/completions", "/v1/chat/completions", {
      body: { model: "sandbox/junction-small", messages: hello },
    });
    const generation = (chat.body as { id: string }).id;
    const message = await conforms("POST", "/v1/messages", "/v1/messages", {
      body: { model: "sandbox/junction-small", max_tokens: 50, messages: hello },
    });
    await conforms("POST", "/v1/responses", "/v1/responses", {
      body: { model: "sandbox/junction-small", input: "Hello" },
    });
    for (const encoding_format of ["float", "base64"])
      await conforms("POST", "/v1/embeddings", "/v1/embeddings", {
        body: { model: "sandbox/junction-embed", input: ["a", "b"], encoding_format },
      });
    await conforms("POST", "/v1/routing/explain", "/v1/routing/explain", {
      body: { model: "sandbox/junction-small", messages: hello },
    });
    for (const query of ["", "?all=true", "?supported_parameters=tools"])
      await conforms("GET", `/v1/models${query}`, "/v1/models", { key: null });
    await conforms("GET", "/v1/models/anthropic/claude-sonnet-4-5", "/v1/models/{author}/{slug}", {
      key: null,
    });
    await conforms(
      "GET",
      "/v1/models/sandbox/junction-small/endpoints",
      "/v1/models/{author}/{slug}/endpoints",
      { key: null },
    );
    await conforms("GET", `/v1/generations/${generation}`, "/v1/generations/{id}");
    await conforms("GET", `/v1/generations/${(message.body as { id: string }).id}`, "/v1/generations/{id}");
    await conforms("GET", `/v1/generation?id=${generation}`, "/v1/generation");
    await conforms("GET", "/v1/credits", "/v1/credits");
    await conforms("GET", "/v1/key", "/v1/key");
    await conforms("GET", "/health", "/health", { key: null });
    await conforms("GET", "/metrics", "/metrics", { key: null });
    await conforms("GET", "/.well-known/junction-receipt-key", "/.well-known/junction-receipt-key");
    // Errors, in the route's shape and with a documented status.
    const errors: [string, string, string, Parameters<typeof conforms>[3], number][] = [
      ["POST", "/v1/chat/completions", "/v1/chat/completions", { body: { messages: [] } }, 400],
      ["POST", "/v1/chat/completions", "/v1/chat/completions", { key: null, body: { x: 1 } }, 401],
      [
        "POST",
        "/v1/chat/completions",
        "/v1/chat/completions",
        { body: { model: "no/such", messages: hello } },
        404,
      ],
      [
        "POST",
        "/v1/messages",
        "/v1/messages",
        { body: { model: "sandbox/junction-small", messages: hello } },
        400,
      ],
      ["POST", "/v1/messages", "/v1/messages", { key: "jk_live_nope", body: {} }, 401],
      ["POST", "/v1/embeddings", "/v1/embeddings", { body: { model: "no/such", input: "x" } }, 404],
      [
        "POST",
        "/v1/embeddings",
        "/v1/embeddings",
        { body: { input: "x" }, headers: { "content-encoding": "gzip" } },
        415,
      ],
      ["GET", "/v1/models?all=yes", "/v1/models", { key: null }, 400],
      ["GET", "/v1/models/no/such", "/v1/models/{author}/{slug}", { key: null }, 404],
      ["GET", "/v1/models/no/such/endpoints", "/v1/models/{author}/{slug}/endpoints", { key: null }, 404],
      ["GET", "/v1/generations/gen_nosuch", "/v1/generations/{id}", {}, 404],
      ["GET", "/v1/generation", "/v1/generation", {}, 400],
      ["GET", "/v1/credits", "/v1/credits", { key: null }, 401],
      ["GET", "/v1/key", "/v1/key", { key: "jk_live_nope" }, 401],
    ];
    for (const [method, path, operation, init, status] of errors)
      expect((await conforms(method, path, operation, init)).status, `${method} ${path}`).toBe(status);
  });
});
