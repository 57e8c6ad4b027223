import { MockAgent } from "undici";
import { describe, expect, it } from "vitest";
import { createOpenAiAdapter, createTransport, type StreamEvent } from "../src/index.js";

const ORIGIN = "http://upstream.test";

/** An OpenAI-format host answering every chat request with `chunks` as its SSE stream; the bodies it got are kept. */
function host(chunks: unknown[], kind = "openai") {
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
  return { adapter: createOpenAiAdapter(createTransport({}, agent), kind), sent };
}

const chunk = (delta: unknown, logprobs?: unknown) => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta, ...(logprobs !== undefined && { logprobs }), finish_reason: null }],
});

/** Every event of a streamed request to `host` (OpenAI's own, unless the target says another). */
async function allEvents(
  adapter: ReturnType<typeof host>["adapter"],
  request: Record<string, unknown>,
  target: { providerId?: string; providerModelId?: string; reasons?: boolean } = {},
) {
  const batches = await adapter.stream(
    { model: "openai/m", messages: [{ role: "user", content: "Hi" }], ...request },
    {
      target: { providerId: "openai", providerModelId: "m", baseUrl: `${ORIGIN}/v1`, apiKey: "k", ...target },
      signal: new AbortController().signal,
    },
  );
  const out: StreamEvent[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

async function events(
  adapter: ReturnType<typeof host>["adapter"],
  request: Record<string, unknown>,
  reasons = false,
) {
  const out = await allEvents(adapter, request, { reasons });
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

/** A conversation as clients replay it: tool calls from another model, Junction's answers (reasoning, refusal). */
const replayed = [
  { role: "developer", content: "Be brief." },
  { role: "user", content: "Weather in Paris?", name: "ana" },
  {
    role: "assistant",
    content: null,
    refusal: null,
    reasoning: "I should call the tool.",
    tool_calls: [
      { id: "call_Qx81HkM2aB", type: "function", function: { name: "weather", arguments: "{}" } },
      { id: "toolu_01ABCDEF", type: "function", function: { name: "weather", arguments: "{}" } },
    ],
  },
  { role: "tool", tool_call_id: "call_Qx81HkM2aB", content: "Sunny" },
  { role: "tool", tool_call_id: "toolu_01ABCDEF", content: "Warm" },
];
const finished = { ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: "stop" }] };

describe("what each OpenAI-compatible host is sent", () => {
  it("Mistral: only the fields it takes (it refuses others with a 422), seed as random_seed, 9-character tool call ids", async () => {
    const { adapter, sent } = host([chunk({ content: "Hi" }), finished], "openai_compatible");
    await allEvents(
      adapter,
      { messages: replayed, seed: 7, user: "u-1", max_completion_tokens: 300, temperature: 0.2 },
      { providerId: "mistral" },
    );
    const body = sent[0] as Record<string, unknown> & { messages: Record<string, unknown>[] };
    for (const field of ["seed", "user", "stream_options", "max_completion_tokens"])
      expect(body).not.toHaveProperty(field);
    expect(body).toMatchObject({ random_seed: 7, max_tokens: 300, temperature: 0.2, stream: true });
    expect(body.messages.map((message) => Object.keys(message).sort())).toEqual([
      ["content", "role"],
      ["content", "role"],
      ["content", "role", "tool_calls"],
      ["content", "role", "tool_call_id"],
      ["content", "role", "tool_call_id"],
    ]);
    expect(body.messages[0]).toEqual({ role: "system", content: "Be brief." });
    const ids = ((body.messages[2]?.tool_calls ?? []) as { id: string }[]).map((call) => call.id);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(new Set(ids).size).toBe(2);
    expect(body.messages.slice(3).map((message) => message.tool_call_id)).toEqual(ids);
    // An id Mistral gave stays as it was.
    await allEvents(
      adapter,
      {
        messages: [
          {
            role: "assistant",
            content: null,
            tool_calls: [{ ...replayed[2]?.tool_calls?.[0], id: "D681PevKs" }],
          },
          { role: "tool", tool_call_id: "D681PevKs", content: "Sunny" },
        ],
      },
      { providerId: "mistral" },
    );
    expect((sent[1] as { messages: { tool_call_id?: string }[] }).messages[1]?.tool_call_id).toBe(
      "D681PevKs",
    );
  });

  it("DeepSeek: earlier reasoning goes back as reasoning_content (it refuses a tool-call turn without it)", async () => {
    const { adapter, sent } = host([chunk({ content: "Hi" }), finished], "openai_compatible");
    await allEvents(adapter, { messages: replayed }, { providerId: "deepseek" });
    const assistant = (sent[0] as { messages: Record<string, unknown>[] }).messages[2];
    expect(assistant).toMatchObject({ reasoning_content: "I should call the tool." });
    expect(assistant).not.toHaveProperty("reasoning");
    // As an Anthropic client sends it back: thinking blocks, carried as reasoning_details.
    const details = [{ type: "reasoning.text", text: "Call it." }];
    await allEvents(
      adapter,
      { messages: [{ ...replayed[2], reasoning: undefined, reasoning_details: details }, replayed[3]] },
      { providerId: "deepseek" },
    );
    const again = (sent[1] as { messages: Record<string, unknown>[] }).messages[0];
    expect(again).toMatchObject({ reasoning_content: "Call it." });
    expect(again).not.toHaveProperty("reasoning_details");
  });

  it("other hosts: no earlier reasoning (Groq refuses it), `developer` as `system`, max_tokens for the limit", async () => {
    for (const providerId of ["groq", "cerebras", "together_ai", "local"]) {
      const { adapter, sent } = host([chunk({ content: "Hi" }), finished], "openai_compatible");
      await allEvents(
        adapter,
        {
          messages: [...replayed.slice(0, 3), { ...replayed[2], reasoning_content: "x" }],
          max_completion_tokens: 9,
        },
        { providerId },
      );
      const body = sent[0] as Record<string, unknown> & { messages: Record<string, unknown>[] };
      expect(body.messages[0]?.role).toBe("system");
      for (const message of body.messages.slice(2)) {
        expect(message).not.toHaveProperty("reasoning");
        expect(message).not.toHaveProperty("reasoning_content");
      }
      expect(body).toMatchObject({ max_tokens: 9, stream_options: { include_usage: true } });
      expect(body).not.toHaveProperty("max_completion_tokens");
    }
  });

  it("OpenAI's optional fields go only to the hosts that take them (Cerebras refuses penalties and parallel_tool_calls, Groq prediction and modalities)", async () => {
    const optional = {
      parallel_tool_calls: false,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      prediction: { type: "content", content: "Hi" },
      modalities: ["text"],
    };
    const weather = { type: "function", function: { name: "weather", parameters: { type: "object" } } };
    const sentTo = async (providerId: string, kind = "openai_compatible") => {
      const { adapter, sent } = host([chunk({ content: "Hi" }), finished], kind);
      await allEvents(adapter, { ...optional, tools: [weather] }, { providerId });
      return Object.keys(optional).filter((field) => field in (sent[0] as object));
    };
    expect(await sentTo("openai", "openai")).toEqual(Object.keys(optional));
    expect(await sentTo("mistral")).toEqual([
      "parallel_tool_calls",
      "presence_penalty",
      "frequency_penalty",
      "prediction",
    ]);
    expect(await sentTo("groq")).toEqual(["parallel_tool_calls", "presence_penalty", "frequency_penalty"]);
    expect(await sentTo("cerebras")).toEqual([]);
  });

  it("Groq is not sent messages[].name, which it answers 400 for (its documented unsupported fields)", async () => {
    const { adapter, sent } = host([chunk({ content: "Hi" }), finished], "openai_compatible");
    await allEvents(adapter, { messages: replayed.slice(1, 2) }, { providerId: "groq" });
    expect((sent[0] as { messages: Record<string, unknown>[] }).messages[0]).toEqual({
      role: "user",
      content: "Weather in Paris?",
    });
  });

  it("OpenAI's o-series reasoning models are not sent parallel_tool_calls, which they refuse; GPT models are", async () => {
    const weather = { type: "function", function: { name: "weather", parameters: { type: "object" } } };
    const sentTo = async (providerModelId: string, reasons: boolean) => {
      const { adapter, sent } = host([chunk({ content: "Hi" }), finished]);
      await allEvents(
        adapter,
        { tools: [weather], parallel_tool_calls: false },
        { providerModelId, reasons },
      );
      return "parallel_tool_calls" in (sent[0] as object);
    };
    expect(await sentTo("o3-mini", true)).toBe(false);
    expect(await sentTo("o4-mini-2025-04-16", true)).toBe(false);
    expect(await sentTo("o1", true)).toBe(false);
    expect(await sentTo("gpt-4.1", false)).toBe(true);
    expect(await sentTo("gpt-5", true)).toBe(true);
  });

  it("bills DeepSeek's cache hits (prompt_cache_hit_tokens) as cached prompt tokens", async () => {
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 5,
      prompt_cache_hit_tokens: 960,
      prompt_cache_miss_tokens: 40,
    };
    const { adapter } = host([chunk({ content: "Hi" }), { ...finished, usage }], "openai_compatible");
    const out = await allEvents(adapter, {}, { providerId: "deepseek" });
    expect(out.find((event) => event.type === "usage")).toMatchObject({
      usage: { promptTokens: 1000, cachedTokens: 960, completionTokens: 5 },
    });
  });
});
