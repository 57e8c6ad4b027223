import { beforeAll, describe, expect, it } from "vitest";
import { generationRow, type Harness } from "./harness.js";
import { data, event, json, scriptedHarness, written } from "./scripted-upstream.js";

/**
 * Real hosts' ways of answering badly, scripted byte for byte: every provider points at one raw upstream whose
 * next answers are queued per test. What the official clients see and what the generation row records are checked.
 */
const scripted = scriptedHarness();
const { answers, asked } = scripted;
let harness: Harness;
beforeAll(() => {
  harness = scripted.harness;
});

const chunk = (delta: unknown, finish: string | null = null, extra: object = {}) =>
  data({
    id: "chatcmpl-q",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });
const usage = { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 };
/** A non-stream Chat Completions answer of `content` with the usage a host reported (null: none). */
const completion = (content: string, reported: object | null) =>
  json({
    id: "chatcmpl-q",
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: reported,
  });
const hello = [{ role: "user" as const, content: "Hello" }];

/** Streams through the OpenAI SDK; `error` is what it threw, if anything. */
async function streamed(model: string) {
  const { data: stream, response } = await harness
    .openai()
    .chat.completions.create({ model, messages: hello, stream: true })
    .withResponse();
  let text = "";
  let finish: string | null | undefined;
  let error: unknown;
  try {
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? "";
      finish = part.choices[0]?.finish_reason ?? finish;
    }
  } catch (thrown) {
    error = thrown;
  }
  const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
  return { text, finish, error, row };
}

async function completed(model: string) {
  const { data: completion, response } = await harness
    .openai()
    .chat.completions.create({ model, messages: hello })
    .withResponse();
  const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
  return { completion, row };
}

describe("OpenAI-compatible hosts", () => {
  it("a stream cut before any finish_reason (no [DONE]) ends in an error, not a success", async () => {
    answers.push(written([chunk({ role: "assistant", content: "" }), chunk({ content: "Hello" })]));
    const result = await streamed("openai/gpt-4o-mini");
    expect(result.text).toBe("Hello");
    expect(result.error).toBeDefined(); // the error chunk the SDK throws on
    expect(result.row).toMatchObject({ status: "error", finishReason: "error", usageEstimated: true });
    expect(result.row.errorMessage).toContain("ended before a finish_reason");
    expect(result.row.completionTokens).toBeGreaterThan(0);
  });

  it("a finished answer without [DONE], its last event without a closing blank line, keeps its usage", async () => {
    answers.push(written([chunk({ content: "Hello" }), chunk({}, "stop", { usage }).trimEnd()]));
    const result = await streamed("openai/gpt-4o-mini");
    expect(result).toMatchObject({ text: "Hello", finish: "stop", error: undefined });
    expect(result.row).toMatchObject({ status: "success", promptTokens: 21, completionTokens: 9 });
    expect(result.row.usageEstimated).toBe(false);
  });

  it("falls back when the first host's 200 stream holds only an error event (OpenRouter's numeric code)", async () => {
    answers.push(
      written([": OPENROUTER PROCESSING\n\n", data({ error: { code: 503, message: "No capacity" } })]),
      written([chunk({ content: "Hi" }), chunk({}, "stop", { usage }), "data: [DONE]\n\n"]),
    );
    const result = await streamed("meta-llama/llama-3.3-70b-instruct");
    expect(result).toMatchObject({ text: "Hi", finish: "stop", error: undefined });
    expect(asked.map((request) => request.headers.authorization)).toEqual([
      "Bearer gsk-upstream",
      "Bearer together-upstream",
    ]);
    expect(result.row.attempts).toMatchObject([
      { provider: "groq", status: "error", errorClass: "http_503" },
      { provider: "together_ai", status: "success" },
    ]);
  });

  it("falls back when a stream request gets a JSON error body with status 200", async () => {
    answers.push(
      json({ error: { message: "Service Unavailable", type: "server_error", code: null } }),
      written([chunk({ content: "Hi" }), chunk({}, "stop", { usage }), "data: [DONE]\n\n"]),
    );
    const result = await streamed("meta-llama/llama-3.3-70b-instruct");
    expect(result).toMatchObject({ text: "Hi", error: undefined });
    expect(result.row.attempts).toMatchObject([
      { provider: "groq", errorClass: "http_500" },
      { provider: "together_ai", status: "success" },
    ]);
  });

  it("an HTML page or an empty body with status 200 is a 502 before the first byte, and bills nothing", async () => {
    for (const answer of [written(["<html><body>Bad gateway</body></html>"], "text/html"), written([])]) {
      answers.push(answer);
      const response = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: hello, stream: true }),
      });
      expect(response.status).toBe(502);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/no events \(text\/html\)|an empty body/);
      const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
      expect(row).toMatchObject({ status: "error", completionTokens: 0, cost: 0n });
    }
  });

  it("bills Groq's usage when it comes only in x_groq, the same streamed as not", async () => {
    answers.push(
      written([
        chunk({ content: "Hello" }),
        chunk({}, "stop", { x_groq: { id: "req_1", usage } }),
        "data: [DONE]\n\n",
      ]),
    );
    const stream = await streamed("openai/gpt-4o-mini");
    answers.push(completion("Hello", usage));
    const whole = await completed("openai/gpt-4o-mini");
    expect(stream.row).toMatchObject({ promptTokens: 21, completionTokens: 9, usageEstimated: false });
    expect(stream.row.cost).toBe(whole.row.cost);
  });

  it("counts (and marks estimated) an answer whose host reported zero tokens: never served for free", async () => {
    const zero = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    answers.push(
      written([
        chunk({ content: "Hello there, friend" }),
        chunk({}, "stop", { usage: zero }),
        "data: [DONE]\n\n",
      ]),
    );
    const stream = await streamed("openai/gpt-4o-mini");
    answers.push(completion("Hello there, friend", zero));
    const whole = await completed("openai/gpt-4o-mini");
    for (const row of [stream.row, whole.row]) {
      expect(row).toMatchObject({ status: "success", usageEstimated: true });
      expect(row.promptTokens).toBeGreaterThan(0);
      expect(row.completionTokens).toBeGreaterThan(0);
    }
    expect(stream.row.cost).toBeGreaterThan(0n);
    expect(stream.row.cost).toBe(whole.row.cost);
    expect(whole.completion.usage).toMatchObject({ estimated: true });
  });

  it("a non-stream answer with usage: null is counted and marked estimated, at the streamed answer's cost", async () => {
    answers.push(completion("Hello there, friend", null));
    const whole = await completed("openai/gpt-4o-mini");
    answers.push(written([chunk({ content: "Hello there, friend" }), chunk({}, "stop"), "data: [DONE]\n\n"]));
    const stream = await streamed("openai/gpt-4o-mini");
    expect(whole.row).toMatchObject({ status: "success", usageEstimated: true });
    expect(whole.row.cost).toBeGreaterThan(0n);
    expect(whole.row.cost).toBe(stream.row.cost);
  });

  it("a 200 error body to a non-stream request carries the host's message and status, not a generic failure", async () => {
    answers.push(json({ error: { message: "Upstream overloaded", code: 529 } }));
    const failure = await harness
      .openai()
      .chat.completions.create({ model: "openai/gpt-4o-mini", messages: hello })
      .catch((error: unknown) => error as { status: number; error: { message: string; metadata: object } });
    expect(failure).toMatchObject({ status: 502 });
    expect((failure as { error: { message: string } }).error.message).toBe(
      "upstream error: Upstream overloaded",
    );
  });
});

const messageStart = event("message_start", {
  message: {
    id: "msg_q",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    content: [],
    stop_reason: null,
    usage: { input_tokens: 12, cache_read_input_tokens: 3000, output_tokens: 1 },
  },
});
const textBlock = event("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
const text = (value: string) =>
  event("content_block_delta", { index: 0, delta: { type: "text_delta", text: value } });

/** A streamed Messages request to Claude through the Anthropic SDK. */
const claudeStream = () =>
  harness.anthropic().messages.create({
    model: "anthropic/claude-sonnet-4-5",
    max_tokens: 50,
    messages: hello,
    stream: true,
  });

describe("Anthropic", () => {
  it("an overloaded_error mid-stream bills Anthropic's own prompt figures (cache reads at their price), not a count", async () => {
    answers.push(
      written([
        messageStart,
        textBlock,
        event("ping", {}),
        text("Hello"),
        text(" there, my friend"),
        event("error", { error: { type: "overloaded_error", message: "Overloaded" } }),
      ]),
    );
    const result = await streamed("anthropic/claude-sonnet-4-5");
    expect(result.text).toBe("Hello there, my friend");
    expect(result.error).toBeDefined();
    expect(result.row).toMatchObject({
      status: "error",
      finishReason: "error",
      promptTokens: 3012,
      cachedTokens: 3000,
    });
    // Output: message_start's 1 token was stale; what streamed is counted instead.
    expect(result.row.completionTokens).toBeGreaterThan(1);
    expect(result.row.usageEstimated).toBe(true);
  });

  it("an overloaded_error before the first token is a retryable 529, not a stream that fails", async () => {
    answers.push(
      written([messageStart, event("error", { error: { type: "overloaded_error", message: "Overloaded" } })]),
    );
    const failure = await claudeStream().then(
      () => undefined,
      (error: unknown) => error as { status: number; headers: Headers },
    );
    expect(failure).toMatchObject({ status: 502 });
    const row = await generationRow(harness, failure?.headers.get("x-junction-generation-id") as string);
    expect(row.attempts).toMatchObject([{ provider: "anthropic", status: "error", errorClass: "http_529" }]);
    expect(row.cost).toBe(0n);
  });

  it("a client that leaves before the first token is billed Anthropic's prompt, as one that leaves after it", async () => {
    answers.push(async (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(messageStart + event("ping", {}));
      // Thinking, say: nothing more until the client has gone.
      await new Promise((resolve) => response.on("close", resolve));
    });
    const before = new Date();
    const controller = new AbortController();
    const request = fetch(`${harness.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": harness.tenant.apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 50,
        messages: hello,
        stream: true,
      }),
      signal: controller.signal,
    }).catch(() => undefined);
    await expect.poll(() => asked.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200)); // message_start has been read
    controller.abort();
    await request;
    const where = { organizationId: harness.tenant.organizationId, createdAt: { gte: before } };
    await expect.poll(() => harness.database.db.generation.count({ where }), { timeout: 5_000 }).toBe(1);
    const row = await harness.database.db.generation.findFirstOrThrow({ where });
    expect(row).toMatchObject({
      status: "aborted",
      providerId: "anthropic",
      promptTokens: 3012,
      cachedTokens: 3000,
    });
    expect(row.cost).toBeGreaterThan(0n);
  });

  it("a stream that stops after message_delta (no message_stop) is a whole answer, billed as Anthropic counted it", async () => {
    answers.push(
      written([
        messageStart,
        textBlock,
        text("Hello"),
        event("content_block_stop", { index: 0 }),
        event("message_delta", {
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: { input_tokens: 12, cache_read_input_tokens: 3000, output_tokens: 5 },
        }),
      ]),
    );
    const stream = await claudeStream().withResponse();
    const events: string[] = [];
    for await (const streamEvent of stream.data) events.push(streamEvent.type);
    expect(events.at(-1)).toBe("message_stop");
    const row = await generationRow(
      harness,
      stream.response.headers.get("x-junction-generation-id") as string,
    );
    expect(row).toMatchObject({
      status: "success",
      promptTokens: 3012,
      completionTokens: 5,
      usageEstimated: false,
    });
  });

  it("a tool call whose input_json_delta pieces split anywhere arrives whole", async () => {
    const pieces = ["", '{"ci', 'ty": "Pa', "", 'ris", "unit', '": "c"}'];
    answers.push(
      written([
        messageStart,
        event("content_block_start", {
          index: 0,
          content_block: { type: "tool_use", id: "toolu_q", name: "get_weather", input: {} },
        }),
        ...pieces.map((partial_json) =>
          event("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json } }),
        ),
        event("content_block_stop", { index: 0 }),
        event("message_delta", { delta: { stop_reason: "tool_use" }, usage: { output_tokens: 20 } }),
        event("message_stop", {}),
      ]),
    );
    const stream = harness.openai().chat.completions.stream({
      model: "anthropic/claude-sonnet-4-5",
      messages: hello,
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({
      city: "Paris",
      unit: "c",
    });
  });

  it("a non-stream answer without usage (a compatible host) is served and counted, not a 502", async () => {
    answers.push(
      json({
        id: "msg_q",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [{ type: "text", text: "Hello there" }],
        stop_reason: "end_turn",
      }),
    );
    const { completion, row } = await completed("anthropic/claude-sonnet-4-5");
    expect(completion.choices[0]?.message.content).toBe("Hello there");
    expect(row).toMatchObject({ status: "success", usageEstimated: true });
    expect(row.cost).toBeGreaterThan(0n);
  });

  it("a 200 error body to a non-stream request is classified by its type", async () => {
    answers.push(json({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    const failure = await harness
      .anthropic()
      .messages.create({ model: "anthropic/claude-sonnet-4-5", max_tokens: 50, messages: hello })
      .catch((error: unknown) => error as { status: number; error: { error: { message: string } } });
    expect(failure).toMatchObject({
      status: 502,
      error: { error: { message: "upstream error: Overloaded" } },
    });
  });
});

describe("Gemini", () => {
  it("a stream cut before its finishReason bills Gemini's running usageMetadata for the prompt", async () => {
    const part = (value: string) => ({
      candidates: [{ content: { role: "model", parts: [{ text: value }] } }],
    });
    answers.push(
      written([
        `data: ${JSON.stringify({ ...part("Hello"), usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 1 } })}\r\n\r\n`,
      ]),
    );
    const result = await streamed("google/gemini-2.5-flash");
    expect(result.error).toBeDefined();
    expect(result.row).toMatchObject({ status: "error", promptTokens: 40, completionTokens: 1 });
  });
});
