import { createHash } from "node:crypto";
import { nanoToUsdString } from "@junction/core";
import { servedProviders } from "@junction/queue";
import { createTestKey, createTestTenant } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { routeTable } from "../src/app.js";
import { generationRow, type Harness, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const hello = [{ role: "user" as const, content: "Hello" }];

describe("GET /v1/models", () => {
  it("lists the models this server can serve; ?all=true the whole catalog, each endpoint marked", async () => {
    type Listed = { id: string; endpoints: { provider: string; available: boolean }[] };
    const list = async (query = "") =>
      ((await (await fetch(`${harness.gateway.url}/v1/models${query}`)).json()) as { data: Listed[] }).data;
    const served = await list();
    const ids = new Set(served.map((model) => model.id));
    // The harness configures the sandbox, OpenAI and Anthropic; Groq and the other hosts have no key here.
    expect(ids).toContain("sandbox/junction-small");
    expect(ids).toContain("openai/gpt-4o-mini");
    expect(served.every((model) => model.endpoints.length > 0)).toBe(true);
    expect(served.flatMap((model) => model.endpoints).every((endpoint) => endpoint.available)).toBe(true);
    const all = await list("?all=true");
    expect(all.length).toBeGreaterThan(served.length);
    expect((await list("?all=1")).length).toBe(all.length);
    // The same providers are announced for the dashboard, which cannot see the gateway's environment.
    const announced = await servedProviders(harness.gateway.context.redis, harness.env.JUNCTION_REDIS_PREFIX);
    expect([...(announced ?? [])].sort()).toEqual(["anthropic", "openai", "sandbox"]);
    const llama = all.find((model) => model.id === "meta-llama/llama-3.3-70b-instruct");
    expect(llama?.endpoints.some((endpoint) => !endpoint.available)).toBe(true);
    // A model no endpoint here can call is not listed, and asking for it says what is missing.
    const unserved = all.find((model) => !ids.has(model.id) && model.id.startsWith("meta-llama/")) as Listed;
    const call = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: unserved.id, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(call.status).toBe(404);
    expect(((await call.json()) as { error: { message: string } }).error.message).toMatch(
      /is not available here: .*has no credentials configured/,
    );
  });

  it("?supported_parameters= keeps the models that take every parameter named, as OpenRouter filters", async () => {
    type Listed = { id: string; supported_parameters: string[] };
    const list = async (query: string) =>
      ((await (await fetch(`${harness.gateway.url}/v1/models${query}`)).json()) as { data: Listed[] }).data;
    const everything = await list("?all=true");
    const withTools = await list("?all=true&supported_parameters=tools");
    expect(withTools.length).toBeGreaterThan(0);
    expect(withTools.length).toBeLessThan(everything.length); // embedding models take no tools
    expect(withTools.every((model) => model.supported_parameters.includes("tools"))).toBe(true);
    const both = await list("?all=true&supported_parameters=tools,%20logprobs");
    expect(both.length).toBeGreaterThan(0);
    expect(both.length).toBeLessThan(withTools.length);
    expect(both.every((model) => model.supported_parameters.includes("logprobs"))).toBe(true);
    expect(await list("?supported_parameters=no_such_parameter")).toEqual([]);
    // A value `all` does not take is a 400 naming it, not a quiet default list.
    for (const value of ["yes", "TRUE", "2"]) {
      const refused = await fetch(`${harness.gateway.url}/v1/models?all=${value}`);
      expect(refused.status, value).toBe(400);
      expect(((await refused.json()) as { error: { param: string } }).error.param).toBe("all");
    }
    expect((await list("?all=false")).length).toBe((await list("")).length);
  });

  it("lists models OpenRouter-style, with every endpoint serving them", async () => {
    const models = await harness.openai().models.list({ query: { all: "true" } });
    const all: Record<string, unknown>[] = [];
    for await (const model of models) all.push(model as unknown as Record<string, unknown>);
    expect(all.length).toBeGreaterThan(300);
    const llama = all.find((model) => model.id === "meta-llama/llama-3.3-70b-instruct") as {
      context_length: number;
      pricing: { prompt: string; completion: string };
      endpoints: { provider: string; pricing: { prompt: string } }[];
      supported_parameters: string[];
    };
    expect(new Set(llama.endpoints.map((endpoint) => endpoint.provider))).toEqual(
      new Set(["groq", "together_ai", "fireworks_ai", "deepinfra", "cerebras"]),
    );
    expect(llama.context_length).toBeGreaterThan(8000);
    const mini = all.find((model) => model.id === "openai/gpt-4o-mini") as {
      pricing: { prompt: string; completion: string };
    };
    expect(mini.pricing).toMatchObject({ prompt: "0.00000015", completion: "0.0000006" });
    // OpenRouter's top_provider: the endpoint whose prices the model shows.
    expect(mini).toMatchObject({
      top_provider: { context_length: 128_000, max_completion_tokens: 16_384, is_moderated: false },
    });
    expect(mini.pricing).not.toHaveProperty("long_context");
    // Long-context tiers and one-hour cache writes are listed where an endpoint has them.
    const sonnet = all.find((model) => model.id === "anthropic/claude-sonnet-4-5") as { pricing: unknown };
    expect(sonnet.pricing).toMatchObject({
      input_cache_write: "0.00000375",
      input_cache_write_1h: "0.000006",
      long_context: { above_prompt_tokens: 200_000, prompt: "0.000006", completion: "0.0000225" },
    });
    const embed = all.find((model) => model.id === "sandbox/junction-embed") as {
      architecture: { modality: string };
      supported_parameters: string[];
    };
    expect(embed.architecture.modality).toBe("text->embeddings");
    expect(embed.supported_parameters).toEqual(["dimensions", "encoding_format"]);
    // Models that reason say so, as OpenRouter lists them (clients filter on it).
    const parametersOf = (id: string) =>
      (all.find((model) => model.id === id) as { supported_parameters: string[] }).supported_parameters;
    expect(parametersOf("anthropic/claude-sonnet-4-5")).toContain("reasoning");
    expect(parametersOf("sandbox/junction-small")).toContain("reasoning");
    expect(parametersOf("openai/gpt-4o-mini")).not.toContain("reasoning");
    const one = await fetch(`${harness.gateway.url}/v1/models/sandbox/junction-small`);
    expect(((await one.json()) as { id: string }).id).toBe("sandbox/junction-small");
    // The openai SDK's models.retrieve with the maker's own name finds it too.
    expect((await harness.openai().models.retrieve("gpt-4o-mini")).id).toBe("openai/gpt-4o-mini");
  });
});

describe("POST /v1/embeddings", () => {
  it("embeds through OpenAI and the sandbox, with cost", async () => {
    const upstream = await harness
      .openai()
      .embeddings.create({ model: "openai/text-embedding-3-small", input: ["a", "b"] });
    expect(upstream.data).toHaveLength(2);
    expect(upstream.usage.prompt_tokens).toBe(10);
    const sandbox = await harness
      .openai()
      .embeddings.create({ model: "sandbox/junction-embed", input: "hello world", encoding_format: "float" });
    expect(sandbox.data[0]?.embedding).toHaveLength(16);
    expect((sandbox.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
  });

  it("takes each input on its own: a batch longer than the context in total, a token array as one input", async () => {
    const client = harness.openai();
    // Each input is 5,000 tokens, within the model's 8,192; together they are more.
    const long = "lorem ".repeat(5000);
    const batch = await client.embeddings.create({ model: "sandbox/junction-embed", input: [long, long] });
    expect(batch.data).toHaveLength(2);
    expect(batch.usage.prompt_tokens).toBeGreaterThan(8192);
    const tokens = await client.embeddings.create({ model: "sandbox/junction-embed", input: [1, 2, 3] });
    expect(tokens.data).toHaveLength(1);
    // The receipt's response hash covers the vectors the client received.
    const response = await fetch(`${harness.gateway.url}/v1/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sandbox/junction-embed", input: ["a", "b"] }),
    });
    const body = (await response.json()) as { data: unknown[] };
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect((row.receipt as { bodies: { responseSha256: string } }).bodies.responseSha256).toBe(
      createHash("sha256").update(JSON.stringify(body.data)).digest("hex"),
    );
    await expect(
      client.embeddings.create({ model: "sandbox/junction-embed", input: "x", dimensions: 5000 }),
    ).rejects.toMatchObject({ status: 400, error: { param: "dimensions" } });
  });

  it("400 for a batch over 2,048 inputs saying so, and for token ids that are not token ids", async () => {
    const client = harness.openai();
    const refused = (input: unknown) =>
      client.embeddings.create({ model: "sandbox/junction-embed", input: input as string[] });
    await expect(refused(Array.from({ length: 2049 }, () => "x"))).rejects.toMatchObject({
      status: 400,
      error: { param: "input", message: "Invalid request: `input` must hold at most 2048 inputs" },
    });
    await expect(refused(Array.from({ length: 2049 }, () => [1]))).rejects.toMatchObject({
      status: 400,
      error: { param: "input" },
    });
    for (const input of [[1.5, 2], [-1], [[3], [0.5]]])
      await expect(refused(input)).rejects.toMatchObject({ status: 400 });
    const tokens = Array.from({ length: 3000 }, (_, index) => index); // one token array is one input, however long
    await expect(refused(tokens)).resolves.toMatchObject({ data: [{ index: 0 }] });
  });

  it("answers in the encoding asked for, whatever the upstream sent (the SDKs ask for base64 by default)", async () => {
    const close = (actual: number[] | undefined, expected: number[]) => {
      expect(actual).toHaveLength(expected.length);
      for (const [index, value] of expected.entries()) expect(actual?.[index]).toBeCloseTo(value, 6);
    };
    // The SDK's default: base64 on the wire, decoded by the SDK. OpenAI's upstream sends base64 itself, the sandbox
    // floats; both reach the SDK as the right vector.
    const viaOpenAi = await harness
      .openai()
      .embeddings.create({ model: "openai/text-embedding-3-small", input: "a" });
    close(viaOpenAi.data[0]?.embedding, [0.1, 0.2, 0.3]);
    const floats = await harness
      .openai()
      .embeddings.create({ model: "sandbox/junction-embed", input: "hello world", encoding_format: "float" });
    const decoded = await harness
      .openai()
      .embeddings.create({ model: "sandbox/junction-embed", input: "hello world" });
    close(decoded.data[0]?.embedding, floats.data[0]?.embedding as number[]);
    // On the wire: a base64 string of little-endian float32 values, or a JSON array.
    const raw = async (body: object) => {
      const response = await fetch(`${harness.gateway.url}/v1/embeddings`, {
        method: "POST",
        headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { data: { embedding: number[] | string }[] }).data[0]?.embedding;
    };
    const base64 = await raw({
      model: "sandbox/junction-embed",
      input: "hello world",
      encoding_format: "base64",
    });
    expect(typeof base64).toBe("string");
    const bytes = Buffer.from(base64 as string, "base64");
    expect(bytes.length).toBe(16 * 4);
    close(
      Array.from({ length: 16 }, (_, index) => bytes.readFloatLE(index * 4)),
      floats.data[0]?.embedding as number[],
    );
    close((await raw({ model: "openai/text-embedding-3-small", input: "a" })) as number[], [0.1, 0.2, 0.3]);
    // A model of the other kind exists (GET /v1/models lists it): 400 saying where it is served, not 404.
    await expect(
      harness.openai().embeddings.create({ model: "sandbox/junction-small", input: "x" }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("sandbox/junction-small: a chat model: use POST /v1/chat/completions"),
    });
    await expect(
      harness.openai().chat.completions.create({
        model: "sandbox/junction-embed",
        messages: [{ role: "user", content: "x" }],
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("sandbox/junction-embed: an embedding model: use POST /v1/embeddings"),
    });
  });
});

describe("GET /v1/generations/:id and GET /v1/credits", () => {
  it("shows a generation to its key only, and credits reflect settled usage at once", async () => {
    const before = (await (
      await fetch(`${harness.gateway.url}/v1/credits`, {
        headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
      })
    ).json()) as {
      data: { balance_nano_usd: string };
    };
    const { response } = await harness
      .openai()
      .chat.completions.create({ model: "sandbox/junction-small", messages: hello })
      .withResponse();
    const id = response.headers.get("x-junction-generation-id") as string;
    const mine = await fetch(`${harness.gateway.url}/v1/generations/${id}`, {
      headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
    });
    const body = (await mine.json()) as {
      data: { model: string; total_cost_nano_usd: string; attempts: unknown[]; status: string };
    };
    expect(body.data).toMatchObject({ model: "sandbox/junction-small", status: "success" });
    expect(body.data.attempts).toHaveLength(1);

    const other = await createTestTenant(harness.database.db, { name: "Other Org", creditNano: 1_000_000n });
    const theirs = await fetch(`${harness.gateway.url}/v1/generations/${id}`, {
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    expect(theirs.status).toBe(404);
    // OpenRouter's ?id= form needs the id: without it, a 400 naming it. Ids that cannot be ids are simply unknown.
    const byQuery = (query: string) =>
      fetch(`${harness.gateway.url}/v1/generation${query}`, {
        headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
      });
    for (const query of ["", "?id="]) {
      const missing = await byQuery(query);
      expect(missing.status, query).toBe(400);
      expect(((await missing.json()) as { error: { param: string } }).error.param).toBe("id");
    }
    expect((await byQuery(`?id=${id}`)).status).toBe(200);
    for (const malformed of ["%00", "x".repeat(300), "gen_%27%20OR%201%3D1", "..%2F..%2Fetc"])
      expect((await byQuery(`?id=${malformed}`)).status, malformed).toBe(404);

    const after = (await (
      await fetch(`${harness.gateway.url}/v1/credits`, {
        headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
      })
    ).json()) as {
      data: { balance_nano_usd: string; key: { usage: number } };
    };
    expect(BigInt(before.data.balance_nano_usd) - BigInt(after.data.balance_nano_usd)).toBe(
      BigInt(body.data.total_cost_nano_usd),
    );
    const otherCredits = await fetch(`${harness.gateway.url}/v1/credits`, {
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    expect(
      ((await otherCredits.json()) as { data: { balance_nano_usd: string } }).data.balance_nano_usd,
    ).toBe("1000000");
  });
});

describe("GET /v1/key", () => {
  it("shows this key as OpenRouter does: its usage (all time, today, this week and month), limit and what remains", async () => {
    const tenant = await createTestTenant(harness.database.db, {
      name: "Key Org",
      creditNano: 1_000_000_000n,
    });
    const limited = await createTestKey(harness.database.db, tenant.organizationId, {
      keyLimitNano: 2_000_000_000n,
      limitReset: "monthly",
    });
    const costs: bigint[] = [];
    for (let index = 0; index < 2; index++) {
      const { response } = await harness
        .openai(limited.apiKey)
        .chat.completions.create({ model: "sandbox/junction-small", messages: hello })
        .withResponse();
      const id = response.headers.get("x-junction-generation-id") as string;
      await harness.gateway.idle();
      costs.push((await generationRow(harness, id)).cost);
    }
    // Another key of the same organization: its usage is its own.
    await harness
      .openai(tenant.apiKey)
      .chat.completions.create({ model: "sandbox/junction-small", messages: hello });
    const read = async (key: string) =>
      (
        (await (
          await fetch(`${harness.gateway.url}/v1/key`, { headers: { authorization: `Bearer ${key}` } })
        ).json()) as { data: Record<string, unknown> }
      ).data;
    const spent = Number(nanoToUsdString((costs[0] ?? 0n) + (costs[1] ?? 0n)));
    expect(spent).toBeGreaterThan(0);
    expect(await read(limited.apiKey)).toMatchObject({
      limit: 2,
      limit_reset: "monthly",
      limit_remaining: expect.closeTo(2 - spent, 12),
      usage: spent,
      usage_daily: spent,
      usage_weekly: spent,
      usage_monthly: spent,
      is_free_tier: false,
    });
    expect(await read(tenant.apiKey)).toMatchObject({
      limit: null,
      limit_reset: null,
      limit_remaining: null,
    });
    expect((await fetch(`${harness.gateway.url}/v1/key`)).status).toBe(401);
  });
});

describe("operations", () => {
  it("GET /health reports database and Redis", async () => {
    const health = (await (await fetch(`${harness.gateway.url}/health`)).json()) as Record<
      string,
      { status: string }
    >;
    expect(health.database?.status).toBe("ok");
    expect(health.redis?.status).toBe("ok");
  });

  it("GET /health answers within its bound and says which dependency failed, and how", async () => {
    const { context } = harness.gateway;
    const hang = vi
      .spyOn(context.redis, "ping")
      .mockImplementation(() => new Promise<"PONG">(() => undefined));
    const refused = Object.assign(new Error("Can't reach database server at db.internal:5432"), {
      code: "P1001",
    });
    const down = vi.spyOn(context.db, "$queryRaw").mockRejectedValue(refused);
    try {
      const started = Date.now();
      const response = await fetch(`${harness.gateway.url}/health`);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).not.toContain("db.internal"); // the message can name hosts; the code says enough
      expect(JSON.parse(text)).toMatchObject({
        status: "degraded",
        database: { status: "error", error: "P1001" },
        redis: { status: "error", error: "timeout after 2000 ms" },
      });
    } finally {
      hang.mockRestore();
      down.mockRestore();
    }
    expect((await fetch(`${harness.gateway.url}/health`)).status).toBe(200);
  });

  it("GET /metrics exposes requests, latency histograms, tokens and cost", async () => {
    const stream = await harness
      .openai()
      .chat.completions.create({ model: "sandbox/junction-small", messages: hello, stream: true });
    for await (const _chunk of stream) {
      // consume the whole stream
    }
    const text = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    expect(text).toMatch(
      /junction_requests_total\{route="chat",status="200",model="sandbox\/junction-small",provider="sandbox"\} \d+/,
    );
    // Each histogram in Prometheus' form: cumulative buckets, the +Inf bucket equal to the count, and a sum.
    const histograms = [
      // The gateway's own time is whole milliseconds apart and can sum to 0 for one fast request.
      { name: "junction_gateway_overhead_seconds", label: 'route="chat"', minSum: 0 },
      { name: "junction_upstream_latency_seconds", label: 'provider="sandbox"', minSum: Number.MIN_VALUE },
      { name: "junction_time_to_first_token_seconds", label: 'provider="sandbox"', minSum: Number.MIN_VALUE },
    ];
    for (const { name, label, minSum } of histograms) {
      const series = (suffix: string) =>
        [
          ...text.matchAll(new RegExp(`^${name}_${suffix}\\{(?:le="([^"]+)",)?${label}\\} (\\S+)$`, "gm")),
        ].map((match) => ({ le: match[1], value: Number(match[2]) }));
      const buckets = series("bucket");
      expect(
        buckets.map((bucket) => bucket.le),
        name,
      ).toEqual("0.0005 0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 30 60 +Inf".split(" "));
      const values = buckets.map((bucket) => bucket.value);
      expect(values, name).toEqual([...values].sort((x, y) => x - y));
      const [count] = series("count");
      expect(count?.value, name).toBeGreaterThanOrEqual(1);
      expect(buckets.at(-1)?.value, name).toBe(count?.value);
      expect(series("sum")[0]?.value, name).toBeGreaterThanOrEqual(minSum);
    }
    expect(text).toMatch(/junction_tokens_total\{kind="completion"/);
    expect(text).toMatch(
      /junction_cost_nano_usd_total\{model="sandbox\/junction-small",provider="sandbox"\} \d+/,
    );
    // The process's own health, as operators expect of any Node service.
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it("GET /openapi.json describes every route in OpenAPI 3.1", async () => {
    const spec = (await (await fetch(`${harness.gateway.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe("3.1.0");
    // One operation per route the gateway serves (a route added without its description fails here).
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      routeTable()
        .map(({ method, path }) => {
          const documented: Record<string, string> = {
            [String(/^\/v1\/models\/(.+)$/)]: "/v1/models/{author}/{slug}",
            [String(/^\/v1\/models\/(.+)\/endpoints$/)]: "/v1/models/{author}/{slug}/endpoints",
            [String(/^\/v1\/generations\/([^/]+)$/)]: "/v1/generations/{id}",
          };
          return `${method} ${documented[path] ?? path}`;
        })
        .sort(),
    );
  });

  it("lets browsers call the API: preflights answered, CORS headers on requests that carry an Origin", async () => {
    const origin = { origin: "https://app.example.com" };
    const preflight = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "OPTIONS",
      headers: { ...origin, "access-control-request-headers": "authorization, content-type, x-stainless-os" },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "authorization, content-type, x-stainless-os",
    });
    const call = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        ...origin,
        authorization: `Bearer ${harness.tenant.apiKey}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ model: "sandbox/junction-small", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(call.status).toBe(200);
    expect(call.headers.get("access-control-allow-origin")).toBe("*");
    expect(call.headers.get("access-control-expose-headers")).toContain("x-junction-generation-id");
    const sameOrigin = await fetch(`${harness.gateway.url}/v1/models`);
    expect(sameOrigin.headers.get("access-control-allow-origin")).toBeNull();
    // The operator's endpoints stay unreadable to other sites' pages.
    const metrics = await fetch(`${harness.gateway.url}/metrics`, { headers: origin });
    expect(metrics.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("unknown routes answer 404 and wrong methods 405, in the error shape", async () => {
    const missing = await fetch(`${harness.gateway.url}/v2/nothing`);
    expect(missing.status).toBe(404);
    // A malformed escape in a path parameter is a 404 like any unknown path (it used to end the process).
    const malformed = await fetch(`${harness.gateway.url}/v1/models/%E0`);
    expect(malformed.status).toBe(404);
    expect((await fetch(`${harness.gateway.url}/health`)).status).toBe(200);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const wrong = await fetch(`${harness.gateway.url}/v1/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(((await wrong.json()) as { error: object }).error).toMatchObject({
      code: "method_not_allowed",
      type: "invalid_request_error",
    });
    expect((await fetch(`${harness.gateway.url}/v1/models`, { method: "DELETE" })).headers.get("allow")).toBe(
      "GET, HEAD",
    );
    // A trailing slash is another path (as at OpenAI): 404, not a redirect or a silent match.
    expect((await fetch(`${harness.gateway.url}/v1/models/`)).status).toBe(404);
  });

  it("HEAD answers every GET route (uptime checks use it), OPTIONS says what a path takes", async () => {
    for (const path of ["/health", "/v1/models", "/metrics"]) {
      const head = await fetch(`${harness.gateway.url}${path}`, { method: "HEAD" });
      expect(head.status, path).toBe(200);
      expect(await head.text(), path).toBe("");
    }
    const options = await fetch(`${harness.gateway.url}/v1/chat/completions`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("POST, OPTIONS");
    expect((await fetch(`${harness.gateway.url}/v2/nothing`, { method: "OPTIONS" })).status).toBe(404);
  });

  it("POST bodies: JSON whatever the Content-Type, a compressed body 415, a form body 400 saying why", async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${harness.gateway.url}/v1/chat/completions?trace=1`, {
        method: "POST",
        headers: { authorization: `Bearer ${harness.tenant.apiKey}`, ...headers },
        body,
      });
    const chat = JSON.stringify({ model: "sandbox/junction-small", messages: hello });
    expect((await post({ "content-type": "text/plain" }, chat)).status).toBe(200); // a query string changes nothing
    const gzip = await post({ "content-type": "application/json", "content-encoding": "gzip" }, chat);
    expect(gzip.status).toBe(415);
    expect(((await gzip.json()) as { error: { param: string } }).error.param).toBe("content-encoding");
    const form = await post({ "content-type": "application/x-www-form-urlencoded" }, "model=x&messages=y");
    expect(form.status).toBe(400);
    expect(((await form.json()) as { error: { message: string } }).error.message).toContain(
      "sent as application/x-www-form-urlencoded; send JSON with Content-Type: application/json",
    );
  });
});
