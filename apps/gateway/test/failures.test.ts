import { once } from "node:events";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { hashApiKey } from "@junction/core";
import { publishKeyRevoked } from "@junction/queue";
import { createTestKey, createTestTenant } from "@junction/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationRow, type Harness, startHarness, startSecondGateway } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness((fakes) => ({
    GATEWAY_MAX_BODY_BYTES: "50000",
    UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "2000",
    GATEWAY_PROCESSING_COMMENT_MS: "100",
    // Groq (cheapest for Llama 3.3 70B here) and Together both point at the fake OpenAI-compatible upstream.
    GROQ_API_KEY: "gsk-upstream",
    GROQ_BASE_URL: `${fakes.openai}/v1`,
    TOGETHER_API_KEY: "together-upstream",
    TOGETHER_BASE_URL: `${fakes.openai}/v1`,
    // Fireworks points at a closed port: connection refused.
    FIREWORKS_API_KEY: "fw-upstream",
    FIREWORKS_BASE_URL: "http://127.0.0.1:9/v1",
  }));
});
afterAll(() => harness.close());
beforeEach(async () => {
  harness.openaiUpstream.reset();
  await harness.gateway.context.health.resetAll();
});

const hello = [{ role: "user" as const, content: "Hello" }];
/** The endpoint `openai/gpt-4o-mini` is served by here. */
const endpointId = "openai:gpt-4o-mini";

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${harness.gateway.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${harness.tenant.apiKey}`,
      "content-type": "application/json",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Streams a chat answer (one event every 100 ms) and cancels it, as a user would, after `deltas` content deltas. */
async function streamThenCancel(deltas: number, text: string): Promise<{ id: string; received: number }> {
  harness.openaiUpstream.queue.push({ kind: "ok", eventDelayMs: 100, text });
  const controller = new AbortController();
  const { data: stream, response } = await harness
    .openai()
    .chat.completions.create(
      { model: "openai/gpt-4o-mini", messages: hello, stream: true },
      { signal: controller.signal },
    )
    .withResponse();
  let received = 0;
  try {
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === deltas) {
        controller.abort();
        break; // events that came in the same read must not be counted
      }
    }
  } catch {
    // The SDK may end quietly or throw an abort error; either way the client is gone.
  }
  return { id: response.headers.get("x-junction-generation-id") as string, received };
}

describe("bad input", () => {
  it("400 names the invalid field and reaches no provider", async () => {
    const result = await post("/v1/chat/completions", {
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user" }],
    });
    expect(result.status).toBe(400);
    const body = JSON.parse(result.text);
    expect(body.error).toMatchObject({
      code: "bad_request",
      type: "invalid_request_error",
      param: "messages.0.content",
    });
    expect((await post("/v1/chat/completions", "{not json")).status).toBe(400);
    expect(
      (await post("/v1/chat/completions", { model: "openai/gpt-4o-mini", messages: hello, temperature: 9 }))
        .text,
    ).toContain('"param":"temperature"');
    // A name no model has, too long to echo back in a 404.
    const long = await post("/v1/chat/completions", { model: "x".repeat(10_000), messages: hello });
    expect([long.status, long.text.length < 1_000]).toEqual([400, true]);
    expect(JSON.parse(long.text).error.param).toBe("model");
    // A NUL in a model name (Postgres refuses it in the request's record), first or as a fallback.
    for (const [body, param] of [
      [{ model: "\u0000", messages: hello }, "model"],
      [
        { model: "openai/gpt-4o-mini", models: ["openai/gpt-4o-mini", "x\ud800"], messages: hello },
        "models.1",
      ],
    ] as const) {
      const refused = await post("/v1/chat/completions", body);
      expect([refused.status, JSON.parse(refused.text).error.param]).toEqual([400, param]);
      // The refusal is in the request log too (its NUL or lone surrogate stored as U+FFFD).
      const row = await generationRow(harness, refused.headers.get("x-junction-generation-id") as string);
      expect(row).toMatchObject({ status: "error", httpStatus: 400 });
    }
    const generation = await fetch(`${harness.gateway.url}/v1/generations/%00`, {
      headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
    });
    expect(generation.status).toBe(404);
    // Features priced apart from tokens (Junction bills tokens): refused by name, never served unbilled.
    for (const [field, value] of [
      ["web_search_options", {}],
      ["plugins", [{ id: "web" }]],
      ["audio", { voice: "alloy", format: "mp3" }],
      ["modalities", ["text", "audio"]],
    ] as const) {
      const refused = await post("/v1/chat/completions", {
        model: "openai/gpt-4o-mini",
        messages: hello,
        [field]: value,
      });
      expect([refused.status, JSON.parse(refused.text).error.param], field).toEqual([
        400,
        expect.stringMatching(new RegExp(`^${field}`)),
      ]);
    }
    expect(harness.openaiUpstream.requests).toHaveLength(0);
    // A refusal after authentication is still in the request log, free.
    const id = result.headers.get("x-junction-generation-id") as string;
    const row = await generationRow(harness, id);
    expect(row).toMatchObject({ status: "error", httpStatus: 400, cost: 0n });
    expect(row.completedAt).toEqual(row.createdAt);
    // Ingested as a failed request, like any other: it counts in the rollups (the overview) as an error.
    expect(row.ingestedAt).toBeNull();
    const job = await harness.gateway.context.producers.queue("usage").getJob(id);
    expect(job?.data).toEqual({ generationIds: [id] });
  });

  it("400 for what OpenAI and Anthropic refuse, naming the field, instead of silently dropping it", async () => {
    const weather = { type: "function", function: { name: "get_weather", parameters: { type: "object" } } };
    const chat = { model: "sandbox/junction-small", messages: hello };
    const message = { model: "sandbox/junction-small", max_tokens: 32, messages: hello };
    const anthropicTool = { name: "get_weather", input_schema: { type: "object" } };
    const cases: [string, object, string][] = [
      ["/v1/chat/completions", { ...chat, n: 2 }, "n"],
      ["/v1/chat/completions", { ...chat, top_logprobs: 2 }, "top_logprobs"],
      ["/v1/chat/completions", { ...chat, logprobs: true, top_logprobs: 21 }, "top_logprobs"],
      ["/v1/chat/completions", { ...chat, presence_penalty: 5 }, "presence_penalty"],
      ["/v1/chat/completions", { ...chat, tool_choice: "required" }, "tool_choice"],
      [
        "/v1/chat/completions",
        { ...chat, tools: [weather], tool_choice: { type: "function", function: { name: "nope" } } },
        "tool_choice",
      ],
      ["/v1/messages", { ...message, tools: [{ ...anthropicTool, name: "bad name!" }] }, "tools.0.name"],
      ["/v1/messages", { ...message, tool_choice: { type: "any" } }, "tool_choice"],
      [
        "/v1/messages",
        { ...message, tools: [anthropicTool], tool_choice: { type: "tool", name: "nope" } },
        "tool_choice",
      ],
      ["/v1/messages", { ...message, tools: [anthropicTool, anthropicTool] }, "tools.1.name"],
      [
        "/v1/chat/completions",
        { ...chat, messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-abc" } }] }] },
        "messages.0.content.0.file.file_data",
      ],
      [
        "/v1/messages",
        {
          ...message,
          messages: [
            {
              role: "user",
              content: [{ type: "document", source: { type: "url", url: "https://x/a.pdf" } }],
            },
          ],
        },
        "messages.0.content.0.source.type",
      ],
      ["/v1/embeddings", { model: "sandbox/junction-embed", input: "" }, "input"],
      ["/v1/embeddings", { model: "sandbox/junction-embed", input: [] }, "input"],
    ];
    for (const [path, body, param] of cases) {
      const result = await post(path, body);
      expect({ path, body, status: result.status }).toEqual({ path, body, status: 400 });
      const error = JSON.parse(result.text).error;
      expect(error.message).toContain(`\`${param}\``);
      if (path !== "/v1/messages") expect(error.param).toBe(param);
    }
    // The harmless forms are still fine.
    const fine = await post("/v1/chat/completions", {
      ...chat,
      n: 1,
      logprobs: false,
      top_logprobs: 0,
      presence_penalty: 0.5,
      tools: [weather],
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    expect(fine.status).toBe(200);
    expect(JSON.parse(fine.text).choices[0].message.tool_calls[0].function.name).toBe("get_weather");
  });

  it("400s say what is wrong with the value given, not with another form the field could take", async () => {
    const cases: [string, object, string, string][] = [
      [
        "/v1/chat/completions",
        { model: "sandbox/junction-small", messages: hello, stop: ["a", "b", "c", "d", "e"] },
        "stop",
        "takes at most 4 sequences",
      ],
      [
        "/v1/messages",
        {
          model: "sandbox/junction-small",
          max_tokens: 32,
          messages: hello,
          tools: [{ type: "web_search_20250305", name: "web_search" }],
        },
        "tools.0.type",
        "must be custom: server tools such as web search run at Anthropic and are not carried",
      ],
    ];
    for (const [path, body, param, says] of cases) {
      const result = await post(path, body);
      expect(result.status).toBe(400);
      expect(JSON.parse(result.text).error.message).toBe(`Invalid request: \`${param}\` ${says}`);
    }
  });

  it("400 for JSON nested deeper than any request, on both APIs, before any provider is called (or blamed)", async () => {
    const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    const openai = await post(
      "/v1/chat/completions",
      `{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"metadata":${deep}}`,
    );
    expect(openai.status).toBe(400);
    expect(JSON.parse(openai.text).error).toMatchObject({
      code: "bad_request",
      message: "Request body nests JSON more than 128 levels deep",
    });
    const anthropic = await post(
      "/v1/messages",
      `{"model":"openai/gpt-4o-mini","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],"metadata":${deep}}`,
      { "anthropic-version": "2023-06-01" },
    );
    expect(anthropic.status).toBe(400);
    expect(JSON.parse(anthropic.text)).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: "Request body nests JSON more than 128 levels deep" },
    });
    expect(harness.openaiUpstream.requests).toHaveLength(0);
  });

  it("tool-call arguments nested too deep to pass on reach Claude as their text, not as a 502", async () => {
    harness.anthropicUpstream.queue.push({ kind: "ok", text: "Done." });
    const deepArguments = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    const answer = await harness.openai().chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      messages: [
        { role: "user", content: "Call f" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: deepArguments } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "ok" },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe("Done.");
    const sent = harness.anthropicUpstream.requests.at(-1)?.body as {
      messages: { content: { type: string; input?: unknown }[] }[];
    };
    const toolUse = sent.messages[1]?.content.find((block) => block.type === "tool_use");
    expect(toolUse?.input).toEqual({ _raw: deepArguments });
  });

  it("404 for an unknown model, via the SDK", async () => {
    await expect(
      harness.openai().chat.completions.create({ model: "nope/nothing", messages: hello }),
    ).rejects.toMatchObject({
      status: 404,
      error: { code: "not_found", param: "model" },
    });
  });

  it("413 for a body over the limit, and the server keeps serving", async () => {
    const result = await post("/v1/chat/completions", {
      model: "sandbox/junction-small",
      messages: [{ role: "user", content: "x".repeat(60_000) }],
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.text).error.code).toBe("payload_too_large");
    const ok = await harness
      .openai()
      .chat.completions.create({ model: "sandbox/junction-small", messages: hello });
    expect(ok.choices[0]?.message.content).toContain("Hello");
  });
});

describe("authentication", () => {
  it("401 for missing, malformed, unknown and expired keys", async () => {
    const noKey = await fetch(`${harness.gateway.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { message: string } }).error.message).toMatch(/Missing API key/);
    await expect(harness.openai("sk-wrong").models.list()).resolves.toBeDefined(); // /v1/models is public
    await expect(
      harness.openai("jk_live_wrong").chat.completions.create({ model: "x", messages: hello }),
    ).rejects.toMatchObject({ status: 401 });
    const unknown = "jk_live_0000000000000000000000000000000000000000";
    await expect(
      harness.openai(unknown).chat.completions.create({ model: "x", messages: hello }),
    ).rejects.toMatchObject({ status: 401 });
    const expired = await createTestKey(harness.database.db, harness.tenant.organizationId, {
      expiresAt: new Date(Date.now() - 1000),
    });
    await expect(
      harness
        .openai(expired.apiKey)
        .chat.completions.create({ model: "sandbox/junction-small", messages: hello }),
    ).rejects.toMatchObject({
      status: 401,
      error: { message: "API key has expired" },
    });
  });

  it("takes the header forms clients send, refuses the ambiguous and the unsupported, and never echoes a key", async () => {
    const key = harness.tenant.apiKey;
    const other = (await createTestKey(harness.database.db, harness.tenant.organizationId)).apiKey;
    const chat = { model: "sandbox/junction-small", messages: hello };
    const withHeaders = (headers: Record<string, string>, path = "/v1/chat/completions") =>
      post(path, chat, { authorization: "", ...headers });
    for (const authorization of [`bearer ${key}`, `Bearer    ${key}   `, `Bearer\t${key}`])
      expect((await withHeaders({ authorization })).status).toBe(200);
    expect((await withHeaders({ authorization: `Bearer ${key}`, "x-api-key": key })).status).toBe(200);
    expect((await withHeaders({ authorization: "Bearer", "x-api-key": key })).status).toBe(200);
    // Claude Code on ANTHROPIC_AUTH_TOKEN with a leftover ANTHROPIC_API_KEY (or the reverse): the Junction key is used.
    const leftover = "sk-ant-api03-leftover-anthropic-key";
    for (const headers of [
      { authorization: `Bearer ${key}`, "x-api-key": leftover },
      { authorization: `Bearer ${leftover}`, "x-api-key": key },
    ]) {
      const served = await withHeaders(headers);
      expect(served.status).toBe(200);
      expect(served.text).not.toContain("leftover");
    }
    const refusals: [Record<string, string>, string][] = [
      [{ authorization: `Bearer ${key}`, "x-api-key": other }, "carry different keys"],
      [{ authorization: `Bearer ${other}`, "x-api-key": key }, "carry different keys"],
      [
        { authorization: `Basic ${Buffer.from(`user:${key}`).toString("base64")}` },
        "Unsupported Authorization scheme",
      ],
      [{ authorization: `Basic ${key}` }, "Unsupported Authorization scheme"],
      // One character changed, so the checksum fails.
      [{ authorization: `Bearer ${key.slice(0, -1)}${key.endsWith("x") ? "y" : "x"}` }, "Invalid API key"],
    ];
    for (const [headers, message] of refusals) {
      const refused = await withHeaders(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(refused.text).error).toMatchObject({
        code: "unauthorized",
        type: "authentication_error",
      });
      expect(refused.text).toContain(message);
      expect(refused.text).not.toContain(key.slice(8, 20));
      expect(refused.text).not.toContain(other.slice(8, 20));
    }
    // Two different Junction keys: which organization pays must not hang on a precedence rule. In Anthropic's shape
    // on its route.
    const both = await withHeaders({ authorization: `Bearer ${other}`, "x-api-key": key }, "/v1/messages");
    expect(both.status).toBe(401);
    expect(JSON.parse(both.text)).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    // A key in the query string is not a credential (URLs end up in logs), and is not echoed either.
    const queried = await post(`/v1/chat/completions?key=${key}`, chat, { authorization: "" });
    expect(queried.status).toBe(401);
    expect(queried.text).not.toContain(key.slice(8));
    // Headers over Node's 16 KB limit: refused before any route, still in the error shape.
    const huge = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}${"x".repeat(20_000)}` },
      body: JSON.stringify(chat),
    });
    expect(huge.status).toBe(431);
    const hugeText = await huge.text();
    expect(JSON.parse(hugeText)).toEqual({
      error: {
        code: "bad_request",
        message: "Request headers are too large",
        type: "invalid_request_error",
        param: null,
        metadata: null,
      },
    });
    expect(hugeText).not.toContain(key.slice(8));
    expect((await withHeaders({ authorization: `Bearer ${key}` })).status).toBe(200); // and it keeps serving
  });

  it("a revoked key stops working on every gateway instance (pub/sub; the time taken is reported against the 1 s promise)", async ({
    annotate,
  }) => {
    const key = await createTestKey(harness.database.db, harness.tenant.organizationId);
    const second = await startSecondGateway(harness);
    try {
      const request = { model: "sandbox/junction-small", messages: hello };
      const clients = [
        harness.openai(key.apiKey),
        new (harness.openai().constructor as typeof import("openai").default)({
          apiKey: key.apiKey,
          baseURL: `${second.url}/v1`,
          maxRetries: 0,
        }),
      ];
      for (const client of clients) await client.chat.completions.create(request); // both instances cache the key
      await harness.database.db.apiKey.update({ where: { id: key.keyId }, data: { revokedAt: new Date() } });
      const revokedAt = Date.now();
      await publishKeyRevoked(
        harness.gateway.context.redis,
        harness.env.JUNCTION_REDIS_PREFIX,
        hashApiKey(key.apiKey),
      );
      // The promise is one second; a loaded CI machine gets 5 s to show it, and the time it took is reported.
      for (const client of clients) {
        await expect
          .poll(
            () =>
              client.chat.completions.create(request).then(
                () => 200,
                (error: { status?: number }) => error.status,
              ),
            { timeout: 5_000, interval: 50 },
          )
          .toBe(401);
      }
      await annotate(
        `the revoked key was refused by both instances ${Date.now() - revokedAt} ms after revocation`,
      );
    } finally {
      await second.close();
    }
  });
});

describe("upstream failures", () => {
  it("429 passes through with Retry-After when no other endpoint can serve", async () => {
    harness.openaiUpstream.queue.push({ kind: "status", status: 429, headers: { "retry-after": "7" } });
    const result = await post("/v1/chat/completions", { model: "openai/gpt-4o-mini", messages: hello });
    expect(result.status).toBe(429);
    expect(result.headers.get("retry-after")).toBe("7");
    expect(JSON.parse(result.text).error).toMatchObject({
      code: "rate_limited",
      metadata: { provider: "openai", upstream_status: 429 },
    });
  });

  it("5xx becomes 502 with the provider's detail redacted", async () => {
    harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
    const result = await post("/v1/chat/completions", { model: "openai/gpt-4o-mini", messages: hello });
    expect(result.status).toBe(502);
    expect(result.text).toContain("fake 500");
    expect(result.text).not.toContain("sk-secretkey");
    expect(result.text).not.toContain("sk-upstream-openai-secret");
  });

  it("a refused connection becomes 502 and a silent upstream 504", async () => {
    const refused = await post("/v1/chat/completions", {
      model: "deepseek/deepseek-coder-33b-instruct",
      messages: hello,
    });
    expect(refused.status).toBe(502);
    expect(JSON.parse(refused.text).error.metadata.error_class).toBe("connect");
    harness.openaiUpstream.queue.push({ kind: "hang" });
    const silent = await post("/v1/chat/completions", { model: "openai/gpt-4o-mini", messages: hello });
    expect(silent.status).toBe(504);
    expect(JSON.parse(silent.text).error).toMatchObject({
      code: "upstream_timeout",
      metadata: { error_class: "timeout_first_byte" },
    });
  });

  it("falls back to the next endpoint before the first byte and reports who answered", async () => {
    harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
    const { data, response } = await harness
      .openai()
      .chat.completions.create({ model: "meta-llama/llama-3.3-70b-instruct", messages: hello })
      .withResponse();
    expect((data as unknown as { provider: string }).provider).toBe("Together AI");
    expect(harness.openaiUpstream.requests.map((request) => request.headers.authorization)).toEqual([
      "Bearer gsk-upstream",
      "Bearer together-upstream",
    ]);
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row.attempts).toMatchObject([
      { provider: "groq", status: "error", errorClass: "http_500" },
      { provider: "together_ai", status: "success" },
    ]);
  });

  it("a failure after the first byte ends the stream with an error chunk, never a fake success, and bills what streamed", async () => {
    harness.openaiUpstream.queue.push({ kind: "drop-mid-stream", afterEvents: 3 });
    const result = await post("/v1/chat/completions", {
      model: "openai/gpt-4o-mini",
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(result.status).toBe(200);
    const chunks = result.text
      .split("\n\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)));
    const last = chunks.at(-1);
    expect(last.choices[0].finish_reason).toBe("error");
    expect(last.error.code).toBe("upstream_error");
    expect(chunks.filter((chunk) => chunk.choices[0]?.finish_reason === "stop")).toHaveLength(0);
    expect(result.text.trim().endsWith("data: [DONE]")).toBe(true);
    const row = await generationRow(harness, result.headers.get("x-junction-generation-id") as string);
    expect(row.status).toBe("error");
    expect(row.usageEstimated).toBe(true);
    expect(row.completionTokens).toBeGreaterThan(0);
    expect(row.cost).toBeGreaterThan(0n);
    // The SDK surfaces it as an error too.
    harness.openaiUpstream.queue.push({ kind: "drop-mid-stream", afterEvents: 3 });
    const stream = await harness
      .openai()
      .chat.completions.create({ model: "openai/gpt-4o-mini", messages: hello, stream: true });
    await expect(async () => {
      for await (const _chunk of stream) {
        // drain
      }
    }).rejects.toThrow();
  });

  it("respects backpressure: a client that stops reading stops the gateway reading upstream", async () => {
    const words = 20_000; // 2 KB each: ~40 MB of events, far more than the socket buffers on the way hold
    harness.openaiUpstream.queue.push({ kind: "ok", text: `${"x".repeat(2_000)} `.repeat(words) });
    const request = httpRequest(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
    });
    request.end(JSON.stringify({ model: "openai/gpt-4o-mini", messages: hello, stream: true }));
    const [response] = (await once(request, "response")) as [IncomingMessage];
    response.pause();
    // The headers can leave with a processing comment before the fake upstream has recorded the request.
    await expect.poll(() => harness.openaiUpstream.requests.length, { timeout: 10_000 }).toBe(1);
    const upstream = harness.openaiUpstream.requests[0];
    // The buffers fill at the machine's pace: wait until the upstream has written something and then stopped.
    let previous = -1;
    await expect
      .poll(
        () => {
          const [before, now] = [previous, upstream?.eventsWritten ?? 0];
          previous = now;
          return now > 0 && now === before;
        },
        { interval: 500, timeout: 20_000 },
      )
      .toBe(true);
    const stalled = upstream?.eventsWritten ?? 0;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(1_000);
    expect(stalled).toBeGreaterThan(0);
    expect(stalled).toBeLessThan(words);
    expect(upstream?.eventsWritten).toBe(stalled); // nothing more was pulled from upstream while nobody read
    response.destroy();
    await expect.poll(() => upstream?.closedEarly, { timeout: 5_000 }).toBe(true);
  }, 60_000);

  it("keeps the connection alive with processing comments while waiting for the first token", async () => {
    harness.openaiUpstream.queue.push({ kind: "slow-first-byte", delayMs: 350 });
    const result = await post("/v1/chat/completions", {
      model: "openai/gpt-4o-mini",
      messages: hello,
      stream: true,
    });
    expect(result.text.startsWith(": JUNCTION PROCESSING\n\n")).toBe(true);
    expect(result.text).toContain("Hello from the fake OpenAI upstream.".split(" ")[0]);
  });

  it("keeps sending processing comments while the model reasons in secret (reasoning.exclude)", async () => {
    harness.openaiUpstream.queue.push({
      kind: "ok",
      reasoning: "one two three four five",
      text: "Hi there",
      eventDelayMs: 60,
    });
    const result = await post("/v1/chat/completions", {
      model: "openai/gpt-4o-mini",
      messages: hello,
      stream: true,
      reasoning: { exclude: true },
    });
    expect(result.text).toContain(": JUNCTION PROCESSING\n\n");
    expect(result.text).not.toContain("reasoning");
    const answer = result.text
      .split("\n\n")
      .filter((event) => event.startsWith("data: {"))
      .map((event) => JSON.parse(event.slice(6)).choices[0]?.delta?.content ?? "")
      .join("");
    expect(answer).toBe("Hi there");
  });

  it("a client abort cancels the upstream request and records the generation as aborted", async () => {
    const { id, received } = await streamThenCancel(2, "one two three four five six seven eight nine ten");
    expect(received).toBe(2);
    await expect.poll(() => harness.openaiUpstream.requests[0]?.closedEarly, { timeout: 5_000 }).toBe(true);
    // The gateway notices the abort, then settles and writes the row: wait for it.
    await expect
      .poll(() => harness.database.db.generation.count({ where: { id, status: "aborted" } }), {
        timeout: 10_000,
      })
      .toBe(1);
    const row = await harness.database.db.generation.findUniqueOrThrow({ where: { id } });
    expect(row.completionTokens).toBeGreaterThanOrEqual(2);
    expect(row.cost).toBeGreaterThan(0n);
  });

  it("clients that stop their streams do not count against the endpoint (its breaker stays closed)", async () => {
    const aborts = harness.env.GATEWAY_BREAKER_FAILURES + 1; // more than the breaker's threshold
    const ids: string[] = [];
    for (let i = 0; i < aborts; i++) ids.push((await streamThenCancel(1, "one two three four five six")).id);
    await expect
      .poll(() => harness.database.db.generation.count({ where: { id: { in: ids }, status: "aborted" } }), {
        timeout: 10_000,
      })
      .toBe(aborts);
    const { redis, env } = harness.gateway.context;
    expect(await redis.get(`${env.JUNCTION_REDIS_PREFIX}:health:failures:${endpointId}`)).toBeNull();
    expect(harness.gateway.context.health.openUntilFor(endpointId)).toBeNull();
    expect(
      (await post("/v1/chat/completions", { model: "openai/gpt-4o-mini", messages: hello })).status,
    ).toBe(200);
  });

  it("when every endpoint's breaker is open: 503 with Retry-After, not a bad request", async () => {
    for (let i = 0; i < harness.env.GATEWAY_BREAKER_FAILURES; i++)
      await harness.gateway.context.health.recordFailure(endpointId);
    await expect.poll(() => harness.gateway.context.health.openUntilFor(endpointId) !== null).toBe(true);
    const result = await post("/v1/chat/completions", { model: "openai/gpt-4o-mini", messages: hello });
    expect(result.status).toBe(503);
    expect(JSON.parse(result.text).error).toMatchObject({
      code: "service_unavailable",
      message: expect.stringContaining("circuit open until"),
      metadata: { retry_after_seconds: expect.any(Number) },
    });
    const retryAfter = Number(result.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(harness.env.GATEWAY_BREAKER_COOLDOWN_MS / 1000);
    expect(harness.openaiUpstream.requests).toHaveLength(0);
  });
});

describe("credits", () => {
  it("402 before any provider is called when the org has no credit", async () => {
    const poor = await createTestTenant(harness.database.db, { name: "Poor Org" });
    await expect(
      harness.openai(poor.apiKey).chat.completions.create({ model: "openai/gpt-4o-mini", messages: hello }),
    ).rejects.toMatchObject({
      status: 402,
      error: { code: "payment_required", metadata: { limit_source: "credits" } },
    });
    expect(harness.openaiUpstream.requests).toHaveLength(0);
  });

  it("402 with key_limit when the key's own limit cannot cover the worst case", async () => {
    const limited = await createTestKey(harness.database.db, harness.tenant.organizationId, {
      keyLimitNano: 1_000n,
    });
    await expect(
      harness
        .openai(limited.apiKey)
        .chat.completions.create({ model: "openai/gpt-4o-mini", messages: hello, max_tokens: 1000 }),
    ).rejects.toMatchObject({ status: 402, error: { metadata: { limit_source: "key_limit" } } });
  });
});
