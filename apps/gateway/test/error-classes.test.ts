import { beforeAll, describe, expect, it } from "vitest";
import { generationRow, type Harness } from "./harness.js";
import { type Answer, data, scriptedHarness, written } from "./scripted-upstream.js";

/**
 * How real hosts' HTTP errors are classified: whether another endpoint is tried, what the shared breaker counts, and
 * which status and code the client gets. The breaker opens on the first failure it counts, so a failure it must not
 * count shows as a breaker still closed.
 */
const scripted = scriptedHarness((url) => ({
  GATEWAY_BREAKER_FAILURES: "1",
  OPENROUTER_API_KEY: "sk-or-upstream",
  OPENROUTER_BASE_URL: `${url}/v1`,
}));
const { answers, asked } = scripted;
let harness: Harness;
beforeAll(() => {
  harness = scripted.harness;
});

const hello = [{ role: "user" as const, content: "Hello" }];
const llama = "meta-llama/llama-3.3-70b-instruct";
const groq = "groq:llama-3.3-70b-versatile";

/** An upstream's error answer: `status` and its JSON body, as the host sends it. */
const failing =
  (status: number, body: unknown): Answer =>
  (response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
/** An OpenAI-format error answer. */
const openaiFailing = (status: number, message: string, type: string, code: string | null) =>
  failing(status, { error: { message, type, param: null, code } });
/** An Anthropic error answer. */
const anthropicFailing = (status: number, type: string, message: string) =>
  failing(status, { type: "error", error: { type, message } });
/** A whole streamed Chat Completions answer saying "Hi". */
const served = written([
  data({
    id: "c",
    object: "chat.completion.chunk",
    model: "m",
    choices: [{ index: 0, delta: { content: "Hi" } }],
  }),
  data({
    id: "c",
    object: "chat.completion.chunk",
    model: "m",
    choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  }),
  "data: [DONE]\n\n",
]);

async function post(path: string, body: object) {
  const response = await fetch(`${harness.gateway.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as {
    type?: string;
    error: { code?: string; type: string; message: string; metadata?: Record<string, unknown> };
  };
  return { status: response.status, headers: response.headers, body: json };
}

/** Claude through one API, served by Anthropic alone (OpenRouter serves it too here). */
const claude = (path: "/v1/messages" | "/v1/chat/completions") =>
  post(path, {
    model: "anthropic/claude-sonnet-4-5",
    max_tokens: 50,
    messages: hello,
    provider: { only: ["anthropic"] },
  });

/**
 * Llama 3.3 streamed after Groq gave `refusal`: Together serves it, and the attempts say what Groq's failure was
 * classed as.
 */
async function togetherAfterGroq(refusal: Answer, errorClass: string) {
  answers.push(refusal, served);
  const response = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: llama, messages: hello, stream: true }),
  });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain("Hi");
  const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
  expect(row.attempts).toMatchObject([
    { provider: "groq", status: "error", errorClass },
    { provider: "together_ai", status: "success" },
  ]);
}

const groqTooLarge = openaiFailing(
  413,
  "Request too large for model `llama-3.3-70b-versatile` in organization `org_01` service tier `on_demand` on tokens per minute (TPM): Limit 12000, Requested 14137, please reduce your message size and try again.",
  "tokens",
  "rate_limit_exceeded",
);

describe("a request over the key's per-minute allowance at one host (Groq's 413)", () => {
  it("goes to another host, and leaves the host's shared breaker closed", async () => {
    await togetherAfterGroq(groqTooLarge, "http_413");
    // Smaller requests still pass on Groq: one large request must not take it away from every tenant.
    expect(harness.gateway.context.health.openUntilFor(groq)).toBeNull();
  });

  it("with no other host, is a 413 the client can act on, not a 400 or a 429 to retry", async () => {
    answers.push(groqTooLarge);
    const result = await post("/v1/chat/completions", {
      model: llama,
      messages: hello,
      provider: { only: ["groq"] },
    });
    expect(result.status).toBe(413);
    expect(result.body.error).toMatchObject({ code: "payload_too_large", type: "invalid_request_error" });
    expect(result.body.error.message).toContain("tokens per minute");
  });
});

/** How long the breaker keeps `endpointId` out from now, in ms (0: closed). */
function heldFor(endpointId: string): number {
  const now = Date.now();
  return (harness.gateway.context.health.openUntilFor(endpointId, now) ?? now) - now;
}

describe("an account out of funds or quota", () => {
  it("OpenAI's 429 insufficient_quota is a 502 to the client, not a rate limit, and keeps the endpoint out for long", async () => {
    answers.push(
      openaiFailing(
        429,
        "You exceeded your current quota, please check your plan and billing details.",
        "insufficient_quota",
        "insufficient_quota",
      ),
    );
    const result = await post("/v1/chat/completions", { model: "openai/gpt-4o-mini", messages: hello });
    expect(result.status).toBe(502);
    expect(result.body.error).toMatchObject({
      code: "upstream_error",
      metadata: { provider: "openai", upstream_status: 429, error_class: "quota_exhausted" },
    });
    expect(result.headers.get("retry-after")).toBeNull();
    // Nobody tops up an account in seconds: the endpoint stays out far longer than a cool-down.
    expect(heldFor("openai:gpt-4o-mini")).toBeGreaterThan(5 * 60_000);
  });

  it("a host's 402 Insufficient Balance (DeepSeek's) falls back to another host", async () => {
    await togetherAfterGroq(
      openaiFailing(402, "Insufficient Balance", "unknown_error", "invalid_request_error"),
      "quota_exhausted",
    );
    expect(heldFor(groq)).toBeGreaterThan(5 * 60_000);
  });

  it("Anthropic's 400 'credit balance is too low' does not blame the client's request", async () => {
    answers.push(
      anthropicFailing(
        400,
        "invalid_request_error",
        "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
      ),
    );
    const result = await claude("/v1/messages");
    expect(result.status).toBe(502);
    expect(result.body).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect(result.body.error.message).toContain("credit balance is too low");
  });
});

describe("a model the host does not know (404)", () => {
  it("another host serves it", async () => {
    await togetherAfterGroq(
      openaiFailing(
        404,
        "The model `llama-3.3-70b-versatile` does not exist or you do not have access to it.",
        "invalid_request_error",
        "model_not_found",
      ),
      "http_404",
    );
  });

  it("with no other host, is the gateway's 502, not a 400 blaming the request", async () => {
    answers.push(anthropicFailing(404, "not_found_error", "model: claude-x"));
    const result = await claude("/v1/messages");
    expect(result.status).toBe(502);
    expect(result.body.error.type).toBe("api_error");
  });
});

describe("a request the host finds too large (Anthropic's 413 request_too_large)", () => {
  it("is a 413 on both APIs, with Anthropic's error type", async () => {
    const tooLarge = anthropicFailing(
      413,
      "request_too_large",
      "Request exceeds the maximum allowed number of bytes.",
    );
    answers.push(tooLarge);
    const messages = await claude("/v1/messages");
    expect(messages.status).toBe(413);
    expect(messages.body.error.type).toBe("request_too_large");
    answers.push(tooLarge);
    const chat = await claude("/v1/chat/completions");
    expect(chat.status).toBe(413);
    expect(chat.body.error).toMatchObject({ code: "payload_too_large", type: "invalid_request_error" });
    // The request's fault, not the endpoint's.
    expect(asked).toHaveLength(2);
    expect(heldFor("anthropic:claude-sonnet-4-5")).toBe(0);
  });
});

describe("an input the host's moderation flagged (OpenRouter's 403)", () => {
  it("is a 400 about the content: no retry elsewhere, no breaker opened for every tenant", async () => {
    answers.push(
      failing(403, {
        error: {
          code: 403,
          message:
            'openai/gpt-4o requires moderation on OpenAI. Your input was flagged for "harassment". No credits were charged.',
          metadata: {
            reasons: ["harassment"],
            flagged_input: "...",
            provider_name: "OpenAI",
            model_slug: "gpt-4o",
          },
        },
      }),
    );
    const result = await post("/v1/chat/completions", {
      model: "openai/gpt-4o",
      messages: hello,
      provider: { only: ["openrouter"] },
    });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: "bad_request", type: "invalid_request_error" });
    expect(result.body.error.message).toContain("flagged");
    expect(asked).toHaveLength(1);
    expect(heldFor("openrouter:openai/gpt-4o")).toBe(0);
  });
});

/**
 * Claude Code compacts on a 400 whose message says Anthropic's "prompt is too long", and lowers max_tokens on
 * "input length and `max_tokens` exceed context limit: X + Y > Z": other hosts' and the gateway's own words must read so.
 */
describe("a prompt too long for the model, on /v1/messages", () => {
  it("the gateway's own refusal reads as Anthropic's, with the numbers", async () => {
    const long = "alpha beta ".repeat(120_000);
    const tooLong = await post("/v1/messages", {
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 50,
      messages: [{ role: "user", content: long }],
      provider: { only: ["anthropic"] },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.type).toBe("invalid_request_error");
    expect(tooLong.body.error.message).toMatch(/prompt is too long: \d+ tokens > 200000 maximum/);

    const withRoom = await post("/v1/messages", {
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 64_000,
      messages: [{ role: "user", content: "alpha beta ".repeat(80_000) }],
      provider: { only: ["anthropic"] },
    });
    expect(withRoom.status).toBe(400);
    expect(withRoom.body.error.message).toMatch(
      /input length and `max_tokens` exceed context limit: \d+ \+ 64000 > 200000/,
    );
  });

  it("the gateway's own refusal has OpenAI's context_length_exceeded code on /v1/chat/completions", async () => {
    // Codex and other OpenAI clients compact on the code, as they do for an upstream's refusal.
    for (const [maxTokens, words] of [
      [50, /prompt is too long: \d+ tokens > 200000 maximum/],
      [64_000, /input length and `max_tokens` exceed context limit: \d+ \+ 64000 > 200000/],
    ] as const) {
      const tooLong = await post("/v1/chat/completions", {
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: maxTokens,
        messages: [{ role: "user", content: "alpha beta ".repeat(maxTokens === 50 ? 120_000 : 80_000) }],
        provider: { only: ["anthropic"] },
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error).toMatchObject({
        code: "context_length_exceeded",
        type: "invalid_request_error",
        param: "messages",
      });
      expect(tooLong.body.error.message).toMatch(words);
    }
    expect(asked).toHaveLength(0);
  });

  it("another host's context error reads as Anthropic's, with its numbers", async () => {
    answers.push(
      openaiFailing(
        400,
        "This model's maximum context length is 131072 tokens. However, your messages resulted in 140000 tokens. Please reduce the length of the messages.",
        "invalid_request_error",
        "context_length_exceeded",
      ),
    );
    const result = await post("/v1/messages", {
      model: llama,
      max_tokens: 50,
      messages: hello,
      provider: { only: ["groq"] },
    });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(result.body.error.message).toMatch(/^prompt is too long: 140000 tokens > 131072 maximum/);
  });
});
