import { MockAgent } from "undici";
import { describe, expect, it } from "vitest";
import { createOpenAiAdapter, createTransport, type StreamEvent } from "../src/index.js";

const ORIGIN = "http://upstream.test";

/** An OpenAI-format host answering every chat request with `chunks` as its SSE stream; the bodies it got are kept. */
function host(chunks: unknown[]) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const sent: Record<string, unknown>[] = [];
  const stream = `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("")}data: [DONE]\n\n`;
  agent
    .get(ORIGIN)
    .intercept({ path: "/v1/chat/completions", method: "POST" })
    .reply(
      200,
      (options) => {
        sent.push(JSON.parse(String(options.body)));
        return stream;
      },
      { headers: { "content-type": "text/event-stream" } },
    )
    .persist();
  return { adapter: createOpenAiAdapter(createTransport({}, agent)), sent };
}

const chunk = (delta: unknown, logprobs?: unknown) => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta, ...(logprobs !== undefined && { logprobs }), finish_reason: null }],
});

async function events(
  adapter: ReturnType<typeof host>["adapter"],
  request: Record<string, unknown>,
  reasons = false,
) {
  const target = {
    providerId: "openai",
    providerModelId: "m",
    baseUrl: `${ORIGIN}/v1`,
    apiKey: "k",
    reasons,
  };
  const batches = await adapter.stream(
    { model: "openai/m", messages: [{ role: "user", content: "Hi" }], ...request },
    { target, signal: new AbortController().signal },
  );
  const out: StreamEvent[] = [];
  for await (const batch of batches) out.push(...batch);
  return out.flatMap((event) => (event.type === "delta" ? [event] : []));
}

describe("the OpenAI adapter's stream", () => {
  it("passes reasoning_content on as reasoning, even beside content, and never as it came", async () => {
    const { adapter } = host([
      chunk({ reasoning_content: "Thinking" }),
      chunk({ content: "Hi", reasoning_content: " done." }),
      chunk({ content: " there", reasoning_content: null }),
    ]);
    const deltas = await events(adapter, {});
    expect(deltas.map((event) => event.delta)).toEqual([
      { reasoning: "Thinking" },
      { content: "Hi", reasoning: " done." },
      { content: " there" },
    ]);
    // DeepSeek's null beside the answer is cut from the text, which goes on unparsed.
    expect(deltas.map((event) => event.json)).toEqual([undefined, undefined, '{"content":" there"}']);
  });

  it("keeps log probabilities of tokens that decode to no text yet, when they were asked for", async () => {
    const first = {
      content: [{ token: "\\xe2", logprob: -0.5, bytes: [226], top_logprobs: [] }],
      refusal: null,
    };
    const second = {
      content: [{ token: "\\x82\\xac", logprob: -0.1, bytes: [130, 172], top_logprobs: [] }],
      refusal: null,
    };
    const { adapter } = host([
      chunk({ role: "assistant", content: "" }, { content: [], refusal: null }),
      chunk({ content: "" }, first),
      chunk({ content: "€" }, second),
    ]);
    const deltas = await events(adapter, { logprobs: true });
    expect(deltas.map((event) => [event.delta.content, event.logprobs])).toEqual([
      ["", first],
      ["€", second],
    ]);
  });

  it("sends OpenAI's reasoning models no logprobs (they refuse them), and other models the fields they asked for", async () => {
    const { adapter, sent } = host([chunk({ content: "Hi" })]);
    await events(adapter, { logprobs: true, top_logprobs: 2 }, true);
    expect(sent[0]).not.toHaveProperty("logprobs");
    expect(sent[0]).not.toHaveProperty("top_logprobs");
    await events(adapter, { logprobs: true, top_logprobs: 2 });
    expect(sent[1]).toMatchObject({ logprobs: true, top_logprobs: 2 });
  });
});
