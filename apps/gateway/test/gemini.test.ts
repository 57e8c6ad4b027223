import { FAKE_GEMINI_THOUGHT, type FakeUpstream, startFakeGemini } from "@junction/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationRow, type Harness, startHarness } from "./harness.js";

const GEMINI_KEY = "AIzaSyUpstreamGeminiSecret000000000000000";
const MODEL = "google/gemini-2.5-flash";
/** Gemini sends no tool call ids: Junction makes up unique ones in OpenAI's shape. */
const CALL_ID = expect.stringMatching(/^call_[0-9a-f]{24}$/);

let gemini: FakeUpstream;
let harness: Harness;
beforeAll(async () => {
  // The harness starts only the OpenAI and Anthropic fakes; Gemini's is started here and passed in as settings.
  gemini = await startFakeGemini();
  harness = await startHarness(() => ({ GEMINI_API_KEY: GEMINI_KEY, GEMINI_BASE_URL: gemini.url }));
});
afterAll(async () => {
  await harness.close();
  await gemini.close();
});
beforeEach(() => gemini.reset());

const weatherTools = [
  {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Weather for a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
        additionalProperties: false,
      },
    },
  },
];

// google/gemini-2.5-flash at Google AI Studio: $0.30/M input, $0.03/M cached input, $2.50/M output (thoughts included).
// The fake reports 40 prompt tokens (16 of them cached), 8 candidate tokens and 7 thought tokens:
// 24 × 300_000_000 + 16 × 30_000_000 + (8 + 7) × 2_500_000_000 = 45_180_000_000 per million → 45_180 nano-USD.
const TEXT_COST = 45_180n;

describe("Gemini through the gateway with the openai SDK", () => {
  it("answers with Gemini's usage and the exact cost, keeping the upstream key out of the URL", async () => {
    const { data, response } = await harness
      .openai()
      .chat.completions.create({
        model: MODEL,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello" },
        ],
        temperature: 0.2,
        max_tokens: 50,
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("Hello from the fake Gemini upstream.");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect((data as unknown as { provider: string }).provider).toBe("Google AI Studio");
    expect(data.usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 15,
      prompt_tokens_details: { cached_tokens: 16 },
      completion_tokens_details: { reasoning_tokens: 7 },
    });
    const usage = data.usage as unknown as { cost_details: { total_nano_usd: string } };
    expect(usage.cost_details.total_nano_usd).toBe(TEXT_COST.toString());

    const upstream = gemini.requests[0];
    expect(upstream?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(upstream?.headers["x-goog-api-key"]).toBe(GEMINI_KEY);
    expect(upstream?.path).not.toContain("key=");
    expect(JSON.stringify(upstream)).not.toContain(harness.tenant.apiKey);
    expect(upstream?.body).toMatchObject({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [{ role: "user", parts: [{ text: "Hello" }] }],
      generationConfig: { temperature: 0.2, maxOutputTokens: 50 },
    });

    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({
      status: "success",
      cost: TEXT_COST,
      promptTokens: 40,
      completionTokens: 15,
      cachedTokens: 16,
    });
  });

  it("streams, with the usage chunk last, at the same exact cost", async () => {
    const stream = await harness.openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Stream me" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(gemini.requests[0]?.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(
      "Hello from the fake Gemini upstream.",
    );
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === "stop")).toBe(true);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 15 });
    const cost = last?.usage as unknown as { cost_details: { total_nano_usd: string } } | undefined;
    expect(cost?.cost_details.total_nano_usd).toBe(TEXT_COST.toString());
  });

  it("charges every token of a prompt over 200,000 tokens at Gemini 2.5 Pro's long-context prices, streamed or not", async () => {
    // google/gemini-2.5-pro: $1.25/M input, $0.125/M cached, $10/M output; over 200,000 prompt tokens $2.50, $0.25
    // and $15. The fake reports the prompt size asked for, 16 of its tokens cached, and 15 output tokens.
    const ask = async (promptTokens: number, stream: boolean) => {
      gemini.queue.push({ kind: "ok", promptTokens });
      const { data, response } = await harness
        .openai()
        .chat.completions.create({
          model: "google/gemini-2.5-pro",
          messages: [{ role: "user", content: "Summarize the repository." }],
          stream,
          ...(stream && { stream_options: { include_usage: true } }),
        })
        .withResponse();
      if (stream) for await (const _ of data as AsyncIterable<unknown>);
      const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
      const receipt = row.receipt as { prices: Record<string, string | null> };
      return { cost: row.cost, prices: receipt.prices };
    };
    const atThreshold = await ask(200_000, false);
    // 199,984 × $1.25 + 16 × $0.125 + 15 × $10 (per million)
    expect(atThreshold.cost).toBe(249_980_000n + 2_000n + 150_000n);
    expect(atThreshold.prices).toMatchObject({ inputPerMillionNanoUsd: "1250000000" });
    expect(atThreshold.prices.longContextAbovePromptTokens).toBeNull();

    const over = await ask(200_001, false);
    // 199,985 × $2.50 + 16 × $0.25 + 15 × $15
    expect(over.cost).toBe(499_962_500n + 4_000n + 225_000n);
    expect(over.prices).toMatchObject({
      inputPerMillionNanoUsd: "2500000000",
      outputPerMillionNanoUsd: "15000000000",
      longContextAbovePromptTokens: "200000",
    });
    expect((await ask(200_001, true)).cost).toBe(over.cost);
  });

  it("calls tools and takes the results back, streamed and not", async () => {
    const client = harness.openai();
    const question = { role: "user" as const, content: "Weather in Paris?" };
    const first = await client.chat.completions.create({
      model: MODEL,
      messages: [question],
      tools: weatherTools,
    });
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(calls).toEqual([
      { id: CALL_ID, type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    ]);
    // JSON-schema keys Gemini rejects never reach it.
    expect(JSON.stringify(gemini.requests[0]?.body)).not.toContain("additionalProperties");

    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [question],
      tools: weatherTools,
      stream: true,
    });
    const streamed: { id?: string; name?: string; arguments: string }[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = streamed[call.index] ?? { arguments: "" };
        streamed[call.index] = entry;
        entry.id ??= call.id;
        entry.name ??= call.function?.name;
        entry.arguments += call.function?.arguments ?? "";
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe("tool_calls");
    expect(streamed).toEqual([{ id: CALL_ID, name: "get_weather", arguments: '{"city":"Paris"}' }]);
    // Each call its own id, as OpenAI's are: a conversation never repeats one.
    expect(streamed[0]?.id).not.toBe(calls[0]?.id);

    gemini.reset();
    const answer = await client.chat.completions.create({
      model: MODEL,
      tools: weatherTools,
      messages: [
        question,
        first.choices[0]?.message as never,
        { role: "tool", tool_call_id: calls[0]?.id as string, content: "sunny, 21°C" },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe("It is sunny in Paris.");
    expect(gemini.requests[0]?.body.contents).toEqual([
      { role: "user", parts: [{ text: "Weather in Paris?" }] },
      // The thought signature Gemini issued came back in the message's reasoning_details, and goes back to Gemini.
      {
        role: "model",
        parts: [
          {
            functionCall: { name: "get_weather", args: { city: "Paris" } },
            thoughtSignature: Buffer.from("fake thought signature").toString("base64"),
          },
        ],
      },
      {
        role: "user",
        parts: [{ functionResponse: { name: "get_weather", response: { output: "sunny, 21°C" } } }],
      },
    ]);
  });
});

describe("Gemini and parallel_tool_calls: false", () => {
  it("answers one call, streamed (the SDK's stream helper) and not, where Gemini would make several", async () => {
    const params = {
      model: MODEL,
      messages: [{ role: "user" as const, content: "Weather and time in Paris?" }],
      tools: [...weatherTools, { type: "function" as const, function: { name: "get_time" } }],
      parallel_tool_calls: false,
    };
    const first = {
      id: CALL_ID,
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
    };
    const buffered = await harness.openai().chat.completions.create(params);
    expect(buffered.choices[0]?.message.tool_calls).toEqual([first]);
    const deltas: number[] = [];
    const stream = harness.openai().chat.completions.stream(params);
    stream.on("tool_calls.function.arguments.delta", (event) => deltas.push(event.index));
    const streamed = await stream.finalChatCompletion();
    expect(streamed.choices[0]?.message.tool_calls).toEqual([first]);
    expect(streamed.choices[0]?.finish_reason).toBe("tool_calls");
    expect(deltas).toEqual([0]);
    // Without the switch, Gemini's parallel calls all come back.
    const parallel = await harness.openai().chat.completions.create({ ...params, parallel_tool_calls: true });
    expect(parallel.choices[0]?.message.tool_calls).toHaveLength(2);
  });
});

describe("Gemini through /v1/messages with the @anthropic-ai/sdk client", () => {
  it("answers in Anthropic's format with Gemini's usage and tool calls", async () => {
    const { data, response } = await harness
      .anthropic()
      .messages.create({
        model: MODEL,
        max_tokens: 200,
        system: "Be brief.",
        messages: [{ role: "user", content: "Hello" }],
      })
      .withResponse();
    expect(data.content).toEqual([{ type: "text", text: "Hello from the fake Gemini upstream." }]);
    expect(data.stop_reason).toBe("end_turn");
    expect(gemini.requests[0]?.body).toMatchObject({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { maxOutputTokens: 200 },
    });
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row.cost).toBe(TEXT_COST);

    const message = await harness
      .anthropic()
      .messages.stream({
        model: MODEL,
        max_tokens: 200,
        messages: [{ role: "user", content: "Weather in Paris?" }],
        tools: [
          { name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } },
        ],
      })
      .finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "tool_use", id: CALL_ID, name: "get_weather", input: { city: "Paris" } },
    ]);
  });
});

// Last in the file: a 429 with Retry-After rightly keeps the endpoint out of rotation for a while afterwards.
describe("Gemini upstream errors", () => {
  it("passes a 429 from Gemini back with its Retry-After when no other endpoint can serve", async () => {
    // As Google sends it: no Retry-After header, the wait in the body's RetryInfo.
    const retryInfo = { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "8.2s" };
    const body = {
      error: { code: 429, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED", details: [retryInfo] },
    };
    gemini.queue.push({ kind: "status", status: 429, body });
    const error = await harness
      .openai()
      .chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Hi" }] })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("9");
    expect(gemini.requests).toHaveLength(1);
  });
});

describe("Gemini's thinking", () => {
  // The 429 test above left the endpoint's breaker open.
  beforeEach(() => harness.gateway.context.health.resetAll());
  const thinking = {
    model: MODEL,
    messages: [{ role: "user", content: "Hello" }],
    max_tokens: 10_000,
    reasoning: { effort: "low" },
  };
  type WithReasoning = { reasoning?: string };
  const sentConfig = () =>
    (gemini.requests.at(-1)?.body as { generationConfig?: object } | undefined)?.generationConfig;

  it("asks for a budget and thought summaries, and answers them as reasoning, streamed or not", async () => {
    const completion = await harness
      .openai()
      .chat.completions.create(thinking as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(sentConfig()).toMatchObject({
      maxOutputTokens: 10_000,
      thinkingConfig: { thinkingBudget: 2000, includeThoughts: true },
    });
    expect((completion.choices[0]?.message as WithReasoning | undefined)?.reasoning).toBe(
      FAKE_GEMINI_THOUGHT,
    );
    expect(completion.choices[0]?.message.content).toBe("Hello from the fake Gemini upstream.");

    let reasoning = "";
    const stream = await harness.openai().chat.completions.create({
      ...(thinking as OpenAI.ChatCompletionCreateParamsNonStreaming),
      stream: true,
    });
    for await (const chunk of stream)
      reasoning += (chunk.choices[0]?.delta as WithReasoning | undefined)?.reasoning ?? "";
    expect(reasoning).toBe(FAKE_GEMINI_THOUGHT);
  });

  it("asks nothing of a model that does not think", async () => {
    await harness.openai().chat.completions.create({
      ...(thinking as OpenAI.ChatCompletionCreateParamsNonStreaming),
      model: "google/gemini-2.0-flash",
      max_tokens: 8000,
    });
    expect(sentConfig()).not.toHaveProperty("thinkingConfig");
  });
});

describe("Gemini embeddings", () => {
  const EMBEDDING_MODEL = "google/gemini-embedding-001";
  const embed = (input: string[], extra: { dimensions?: number } = {}) =>
    harness
      .openai()
      .embeddings.create({ model: EMBEDDING_MODEL, input, ...extra })
      .withResponse();

  it("embeds through batchEmbedContents, one vector per input, billed on the tokens Gemini counted", async () => {
    const { data: result, response } = await embed(["first text", "second text"], { dimensions: 4 });
    expect(result.data.map((item) => item.index)).toEqual([0, 1]);
    const sent = gemini.requests.at(-1);
    expect(sent?.path).toBe("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    expect(sent?.headers["x-goog-api-key"]).toBe(GEMINI_KEY);
    expect(sent?.body).toEqual({
      requests: ["first text", "second text"].map((text) => ({
        model: "models/gemini-embedding-001",
        content: { parts: [{ text }] },
        outputDimensionality: 4,
      })),
    });
    // Shortened vectors come back from Gemini unnormalized: scaled to unit length (the fake's second is 0.2…0.23).
    const second = result.data[1]?.embedding ?? [];
    expect(Math.hypot(...second)).toBeCloseTo(1, 5);
    const norm = Math.hypot(0.2, 0.21, 0.22, 0.23);
    expect(second.map((value) => value.toFixed(4))).toEqual(
      [0.2, 0.21, 0.22, 0.23].map((v) => (v / norm).toFixed(4)),
    );
    // The fake counts 4 tokens per text: 8 × $0.15/M.
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({ route: "embeddings", promptTokens: 8, usageEstimated: false, cost: 1_200n });
    expect(result.usage).toMatchObject({ prompt_tokens: 8 });
  });

  it("sends more than 100 inputs in batches of 100, in order; without Gemini's count the input is counted", async () => {
    gemini.queue.push({ kind: "ok", omitUsage: true });
    const inputs = Array.from({ length: 150 }, (_, index) => `text number ${index}`);
    const { data: result, response } = await embed(inputs);
    expect(
      gemini.requests.slice(-2).map((sent) => (sent.body as { requests: unknown[] }).requests.length),
    ).toEqual([100, 50]);
    expect(result.data.map((item) => item.index)).toEqual(inputs.map((_, index) => index));
    // Full-size vectors are passed on as Gemini sent them (the 101st input is the second batch's first).
    expect(result.data[100]?.embedding.map((value) => Math.round(value * 100) / 100)).toEqual([
      0.1, 0.11, 0.12,
    ]);
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({ usageEstimated: true, completionTokens: 0 });
    expect(row.cost).toBe(BigInt(row.promptTokens) * 150n);
  });

  it("a data URL that is not valid percent-encoding is a 400, not the provider's failure", async () => {
    await harness.gateway.context.health.resetAll();
    const refused = harness.openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png,%" } }] }],
    });
    await expect(refused).rejects.toMatchObject({ status: 400, error: { param: "messages" } });
    expect(gemini.requests).toHaveLength(0);
  });

  it("refuses an image in a system message (Gemini's systemInstruction is text only), naming the field", async () => {
    await harness.gateway.context.health.resetAll();
    const image = { type: "image_url" as const, image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } };
    const refused = harness.openai().chat.completions.create({
      model: MODEL,
      messages: [
        { role: "user", content: "Hello" },
        { role: "system", content: [{ type: "text", text: "Match this style:" }, image] as never },
      ],
    });
    await expect(refused).rejects.toMatchObject({ status: 400, error: { param: "messages.1.content.1" } });
    expect(gemini.requests).toHaveLength(0);
  });

  it("refuses token arrays, which Gemini cannot embed, with a 400", async () => {
    const refused = harness.openai().embeddings.create({ model: EMBEDDING_MODEL, input: [[1, 2, 3]] });
    await expect(refused).rejects.toMatchObject({ status: 400 });
  });
});
