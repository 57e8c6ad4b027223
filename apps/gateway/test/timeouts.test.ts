import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationRow, type Harness, startHarness } from "./harness.js";
import {
  type Answer,
  data,
  json,
  type ScriptedUpstream,
  scriptedProviders,
  startScriptedUpstream,
} from "./scripted-upstream.js";

/** The four upstream timeouts, short, against a raw upstream that stalls exactly where a test says. */
let upstream: ScriptedUpstream;
let harness: Harness;
beforeAll(async () => {
  upstream = await startScriptedUpstream();
  harness = await startHarness(() => ({
    ...scriptedProviders(upstream.url),
    UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "400",
    UPSTREAM_IDLE_TIMEOUT_MS: "400",
    UPSTREAM_TOTAL_TIMEOUT_MS: "2500",
    GATEWAY_BREAKER_FAILURES: "1000", // every request below reaches the upstream
    // No keep-alive comment before the timeouts fire: it would send a stream's 200 before the 504 (as it should).
    GATEWAY_PROCESSING_COMMENT_MS: "60000",
  }));
});
afterAll(async () => {
  await harness.close();
  await upstream.close();
});
beforeEach(async () => {
  upstream.reset();
  await harness.gateway.context.health.resetAll();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const forever = () => new Promise<void>(() => undefined);
/** Never answers. */
const silent: Answer = () => forever();
/** Sends a 200's headers, then `parts`, then nothing more. */
const stallAfter =
  (parts: string[], contentType = "text/event-stream"): Answer =>
  async (response) => {
    response.writeHead(200, { "content-type": contentType });
    response.flushHeaders();
    for (const part of parts) response.write(part);
    await forever();
  };
/** Sends a 200's headers, then `part` every 200 ms until the gateway goes away: never idle, never done. */
const trickling =
  (contentType: string, part: string): Answer =>
  async (response) => {
    response.writeHead(200, { "content-type": contentType });
    while (!response.destroyed) {
      response.write(part);
      await sleep(200);
    }
  };
const delta = (content: string) =>
  data({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta: { content } }],
  });
const answered = json({
  id: "c",
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 3, completion_tokens: 1 },
});
const hello = [{ role: "user", content: "Hello" }];

async function chat(model: string, stream = false, on = harness) {
  const response = await fetch(`${on.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${on.tenant.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: hello, stream }),
  });
  return {
    status: response.status,
    text: await response.text(),
    id: response.headers.get("x-junction-generation-id"),
  };
}

describe("upstream timeouts", () => {
  it("no headers in time, or headers and then silence: the next endpoint answers; with none, 504 naming the phase", async () => {
    upstream.answers.push(silent, answered, stallAfter([], "application/json"), answered);
    for (const _ of [1, 2]) {
      const served = await chat("meta-llama/llama-3.3-70b-instruct");
      expect(served.status).toBe(200);
      expect(JSON.parse(served.text).provider).toBe("Together AI");
    }
    upstream.answers.push(silent, stallAfter([]));
    for (const [stream, phase] of [
      [false, "timeout_first_byte"],
      [true, "timeout_idle"],
    ] as const) {
      const refused = await chat("openai/gpt-4o-mini", stream);
      expect(refused.status).toBe(504);
      expect(JSON.parse(refused.text).error).toMatchObject({
        code: "upstream_timeout",
        type: "api_error",
        metadata: { error_class: phase },
      });
    }
  });

  it("an upstream gone idle mid-stream ends the stream with an error chunk and bills what streamed", async () => {
    upstream.answers.push(stallAfter([delta("Hello"), delta(" there")]));
    const result = await chat("openai/gpt-4o-mini", true);
    expect(result.status).toBe(200);
    const events = result.text.split("\n\n").filter((event) => event.startsWith("data: {"));
    const last = JSON.parse((events.at(-1) as string).slice(6));
    expect(last).toMatchObject({
      choices: [{ finish_reason: "error" }],
      error: { code: "upstream_timeout", metadata: { error_class: "timeout_idle" } },
    });
    const row = await generationRow(harness, result.id as string);
    expect(row).toMatchObject({ status: "error", usageEstimated: true });
    expect(row.completionTokens).toBeGreaterThan(0);
    expect(row.cost).toBeGreaterThan(0n);
  });

  it("the total timeout bounds a body that trickles in just fast enough never to be idle", async () => {
    upstream.answers.push(trickling("application/json", " "));
    const started = Date.now();
    const result = await chat("openai/gpt-4o-mini");
    expect(result.status).toBe(504);
    expect(JSON.parse(result.text).error.metadata.error_class).toBe("timeout_total");
    expect(Date.now() - started).toBeLessThan(2500 + 1500);
  });

  it("the total timeout ends a stream whose upstream sends only comments (a queue's keep-alives) before its first token", async () => {
    upstream.answers.push(trickling("text/event-stream", ": PROCESSING\n\n"));
    const started = Date.now();
    const ended = await Promise.race([chat("openai/gpt-4o-mini", true), sleep(2500 + 2500)]);
    expect(ended, "still waiting").toBeDefined();
    expect(Date.now() - started).toBeLessThan(2500 + 1500);
    // The client is still there: it hears why, in an error chunk, as after any failure mid-stream.
    expect((ended as { text: string }).text).toContain('"error_class":"timeout_total"');
    const where = { organizationId: harness.tenant.organizationId, createdAt: { gte: new Date(started) } };
    await expect.poll(() => harness.database.db.generation.count({ where }), { timeout: 5_000 }).toBe(1);
    expect(await harness.database.db.generation.findFirstOrThrow({ where })).toMatchObject({
      providerId: "openai",
      status: "error",
    });
  });

  it("leaves no upstream connection open after timeouts and clients that leave while it waits", async () => {
    for (let i = 0; i < 8; i++) upstream.answers.push(silent, stallAfter([delta("Hi")]));
    await Promise.all(Array.from({ length: 8 }, () => chat("openai/gpt-4o-mini")));
    await Promise.all(Array.from({ length: 8 }, () => chat("openai/gpt-4o-mini", true)));
    for (let i = 0; i < 8; i++) upstream.answers.push(silent);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const request = httpRequest(`${harness.gateway.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
        });
        request.on("error", () => undefined);
        request.end(JSON.stringify({ model: "openai/gpt-4o-mini", messages: hello }));
        await sleep(150);
        request.destroy();
      }),
    );
    expect(upstream.asked).toHaveLength(24);
    // Every stalled upstream request was cancelled: its socket closed (a leak would keep it open, and the pool busy).
    await expect
      .poll(() => upstream.asked.filter((request) => !request.socket.destroyed).length, { timeout: 5_000 })
      .toBe(0);
  });
});

describe("a total timeout shorter than the first-byte timeout", () => {
  let short: Harness;
  beforeAll(async () => {
    short = await startHarness(() => ({
      ...scriptedProviders(upstream.url),
      UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "10000",
      UPSTREAM_TOTAL_TIMEOUT_MS: "600",
      GATEWAY_PROCESSING_COMMENT_MS: "60000",
    }));
  });
  afterAll(() => short.close());

  it("answers 504 when it passes before any upstream sent its headers, streamed or not (the client is still there)", async () => {
    for (const stream of [false, true]) {
      upstream.answers.push(silent);
      const started = Date.now();
      const result = await chat("openai/gpt-4o-mini", stream, short);
      expect(result.status, `stream: ${stream}`).toBe(504);
      expect(JSON.parse(result.text).error.metadata.error_class).toBe("timeout_total");
      expect(Date.now() - started).toBeLessThan(600 + 1500);
      // The gateway gave up, the client did not leave: an error, not an abort.
      expect(await generationRow(short, result.id as string)).toMatchObject({ status: "error", cost: 0n });
    }
  });
});
