import type Anthropic from "@anthropic-ai/sdk";
import { FAKE_THINKING } from "@junction/testing";
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationRow, type Harness, resetUpstreams, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => resetUpstreams(harness));

const signedThinking = { type: "thinking", thinking: FAKE_THINKING.text, signature: FAKE_THINKING.signature };
const thinkingRequest = (model: string): Anthropic.MessageCreateParamsNonStreaming => ({
  model,
  max_tokens: 4000,
  thinking: { type: "enabled", budget_tokens: 2048 },
  messages: [{ role: "user", content: "Say hello." }],
});
type Body = Record<string, unknown>;
const lastBody = (upstream: Harness["openaiUpstream"]) => upstream.requests.at(-1)?.body as Body;

describe("extended thinking on /v1/messages (Claude Code's thinking mode)", () => {
  it("asks Anthropic to think and answers its signed thinking block first, streamed or not", async () => {
    const message = await harness.anthropic().messages.create(thinkingRequest("anthropic/claude-sonnet-4-5"));
    expect(lastBody(harness.anthropicUpstream).thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(message.content[0]).toEqual(signedThinking);
    expect(message.content[1]).toMatchObject({ type: "text" });

    const raw = await fetch(`${harness.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": harness.tenant.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ ...thinkingRequest("anthropic/claude-sonnet-4-5"), stream: true }),
    });
    const deltas = [...(await raw.text()).matchAll(/"delta":\{"type":"(\w+)"/g)].map((match) => match[1]);
    expect(deltas.slice(0, 3)).toEqual(["thinking_delta", "thinking_delta", "signature_delta"]);

    const streamed = await harness
      .anthropic()
      .messages.stream(thinkingRequest("anthropic/claude-sonnet-4-5"))
      .finalMessage();
    expect(streamed.content[0]).toEqual(signedThinking);
    expect(streamed.content[1]).toEqual(message.content[1]);
  });

  it("sends Claude the thinking budget Claude Code asked for, above 32,000 tokens too", async () => {
    // MAX_THINKING_TOKENS=63999: Claude Code asks for that budget within a max_tokens of 64,000.
    await harness
      .anthropic()
      .messages.stream({
        ...thinkingRequest("anthropic/claude-sonnet-4-5"),
        max_tokens: 64_000,
        thinking: { type: "enabled", budget_tokens: 63_999 },
      })
      .finalMessage();
    expect(lastBody(harness.anthropicUpstream)).toMatchObject({
      max_tokens: 64_000,
      thinking: { type: "enabled", budget_tokens: 63_999 },
    });
  });

  it("hands earlier turns' signed thinking back to Anthropic, before the tool call it led to", async () => {
    const assistantTurn: Anthropic.MessageParam = {
      role: "assistant",
      content: [
        signedThinking as Anthropic.ThinkingBlockParam,
        { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix" },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
      ],
    };
    await harness.anthropic().messages.create({
      ...thinkingRequest("anthropic/claude-sonnet-4-5"),
      messages: [
        { role: "user", content: "Weather in Paris?" },
        assistantTurn,
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "18°C" }] },
      ],
    });
    expect((lastBody(harness.anthropicUpstream).messages as Body[])[1]).toEqual(assistantTurn);
  });

  it("leaves thinking out for a model that cannot take it, earlier turns' included", async () => {
    await harness.anthropic().messages.create({
      ...thinkingRequest("openai/gpt-4o-mini"),
      messages: [
        { role: "user", content: "Hi" },
        {
          role: "assistant",
          content: [signedThinking as Anthropic.ThinkingBlockParam, { type: "text", text: "Hello" }],
        },
        { role: "user", content: "Again" },
      ],
    });
    const body = lastBody(harness.openaiUpstream);
    expect(body.reasoning).toBeUndefined();
    expect(body.messages).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "Again" },
    ]);
  });
});

describe("reasoning on /v1/chat/completions (OpenRouter's reasoning fields)", () => {
  const reasoningRequest = {
    model: "anthropic/claude-sonnet-4-5",
    max_tokens: 10_000,
    reasoning: { effort: "high" },
    messages: [{ role: "user" as const, content: "Say hello." }],
  };

  it("turns an effort into Anthropic's budget and answers reasoning with its details", async () => {
    const completion = (await harness
      .openai()
      .chat.completions.create(
        reasoningRequest as OpenAI.ChatCompletionCreateParamsNonStreaming,
      )) as OpenAI.ChatCompletion & {
      choices: { message: { reasoning?: string; reasoning_details?: unknown[] } }[];
    };
    // OpenRouter's rule: 80% of max_tokens for "high".
    expect(lastBody(harness.anthropicUpstream).thinking).toEqual({ type: "enabled", budget_tokens: 8000 });
    expect(completion.choices[0]?.message.reasoning).toBe(FAKE_THINKING.text);
    expect(completion.choices[0]?.message.reasoning_details).toEqual([
      {
        type: "reasoning.text",
        text: FAKE_THINKING.text,
        signature: FAKE_THINKING.signature,
        index: 0,
        format: "anthropic-claude-v1",
      },
    ]);
  });

  it("streams reasoning deltas before the answer, the signature in the last detail", async () => {
    const stream = await harness.openai().chat.completions.create({
      ...(reasoningRequest as OpenAI.ChatCompletionCreateParamsNonStreaming),
      stream: true,
    });
    let reasoning = "";
    let signature: string | undefined;
    let answerStartedAfterReasoning = false;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as
        | { content?: string; reasoning?: string; reasoning_details?: { signature?: string }[] }
        | undefined;
      reasoning += delta?.reasoning ?? "";
      signature ??= delta?.reasoning_details?.find((detail) => detail.signature)?.signature;
      if (delta?.content) answerStartedAfterReasoning ||= signature !== undefined;
    }
    expect(reasoning).toBe(FAKE_THINKING.text);
    expect(signature).toBe(FAKE_THINKING.signature);
    expect(answerStartedAfterReasoning).toBe(true);
  });
});

describe("reasoning from OpenAI-compatible hosts (DeepSeek's reasoning_content)", () => {
  const thoughts = "First, greet. Then stop.";
  const hello = { model: "openai/gpt-4o-mini", messages: [{ role: "user" as const, content: "Hi" }] };
  type WithReasoning = { reasoning?: string };

  it("arrives as OpenRouter's reasoning, streamed or not", async () => {
    harness.openaiUpstream.fallback = { kind: "ok", reasoning: thoughts };
    const completion = await harness.openai().chat.completions.create(hello);
    expect((completion.choices[0]?.message as WithReasoning | undefined)?.reasoning).toBe(thoughts);
    let streamed = "";
    for await (const chunk of await harness.openai().chat.completions.create({ ...hello, stream: true }))
      streamed += (chunk.choices[0]?.delta as WithReasoning | undefined)?.reasoning ?? "";
    expect(streamed).toBe(thoughts);
  });

  it("arrives on /v1/messages as a thinking block before the text", async () => {
    harness.openaiUpstream.fallback = { kind: "ok", reasoning: thoughts };
    const request = { ...hello, max_tokens: 100 };
    const message = await harness.anthropic().messages.create(request);
    expect(message.content[0]).toEqual({ type: "thinking", thinking: thoughts, signature: "" });
    const streamed = await harness.anthropic().messages.stream(request).finalMessage();
    expect(streamed.content[0]).toMatchObject({ type: "thinking", thinking: thoughts });
    expect(streamed.content[1]).toEqual(message.content[1]);
  });
});

describe("earlier turns' reasoning sent back", () => {
  it("is checked at the edge: a malformed detail is a 400 naming it, never a fault on the way to Anthropic", async () => {
    const refused = await harness
      .openai()
      .chat.completions.create({
        model: "anthropic/claude-sonnet-4-5",
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello", reasoning_details: [null] } as never,
          { role: "user", content: "Again" },
        ],
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, error: { param: "messages.1.reasoning_details.0" } });
  });
});

describe("the sandbox's reasoning (no provider keys)", () => {
  it("thinks when asked, on every route, and bills its reasoning as output the same streamed or not", async () => {
    const plain = await harness
      .anthropic()
      .messages.create({ ...thinkingRequest("sandbox/junction-small"), thinking: { type: "disabled" } });
    expect(plain.content.map((block) => block.type)).toEqual(["text"]);

    const { data: message, response } = await harness
      .anthropic()
      .messages.create(thinkingRequest("sandbox/junction-small"))
      .withResponse();
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text"]);
    expect(message.content[0]).toMatchObject({ thinking: expect.stringContaining("Say hello.") });
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row.reasoningTokens).toBeGreaterThan(0);
    // Output tokens are the answer's and the reasoning's together.
    expect(row.completionTokens).toBe(message.usage.output_tokens);
    expect(message.usage.output_tokens).toBeGreaterThan(row.reasoningTokens);

    const streamed = await harness
      .anthropic()
      .messages.stream(thinkingRequest("sandbox/junction-small"))
      .finalMessage();
    const thinking = (message.content[0] as { thinking: string }).thinking;
    expect(streamed.content[0]).toMatchObject({ type: "thinking", thinking });
    expect(streamed.content[1]).toEqual(message.content[1]);
    expect(streamed.usage.output_tokens).toBe(message.usage.output_tokens);

    const completion = await harness.openai().chat.completions.create({
      model: "sandbox/junction-small",
      messages: [{ role: "user", content: "Say hello." }],
      reasoning_effort: "low",
    });
    const answer = completion.choices[0]?.message as { reasoning?: string } | undefined;
    expect(answer?.reasoning).toContain("Say hello.");
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(row.reasoningTokens);
  });

  it("leaves its reasoning out of the answer with reasoning.exclude or include_reasoning: false, billed the same", async () => {
    const ask = (extra: Record<string, unknown>) => ({
      model: "sandbox/junction-small",
      messages: [{ role: "user" as const, content: "Say hello." }],
      ...extra,
    });
    const reasoningOf = (completion: OpenAI.ChatCompletion) =>
      (completion.choices[0]?.message as { reasoning?: string } | undefined)?.reasoning;
    const shown = await harness.openai().chat.completions.create(ask({ reasoning: { effort: "low" } }));
    expect(reasoningOf(shown)).toContain("Say hello.");
    for (const extra of [
      { reasoning: { effort: "low", exclude: true } },
      { reasoning_effort: "low", include_reasoning: false },
    ]) {
      const hidden = await harness.openai().chat.completions.create(ask(extra));
      const message = hidden.choices[0]?.message;
      expect(message).not.toHaveProperty("reasoning");
      expect(message).not.toHaveProperty("reasoning_details");
      expect(message?.content).toBe(shown.choices[0]?.message.content);
      expect(hidden.usage).toEqual({ ...shown.usage, cost_details: expect.any(Object) });
      expect(hidden.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);

      const chunks: Record<string, unknown>[] = [];
      const stream = await harness
        .openai()
        .chat.completions.create({ ...ask(extra), stream: true, stream_options: { include_usage: true } });
      for await (const chunk of stream) chunks.push(chunk as unknown as Record<string, unknown>);
      const deltas = chunks.flatMap((chunk) =>
        (chunk.choices as { delta: Record<string, unknown> }[]).map((c) => c.delta),
      );
      expect(deltas.some((delta) => "reasoning" in delta || "reasoning_details" in delta)).toBe(false);
      expect(deltas.map((delta) => delta.content ?? "").join("")).toBe(shown.choices[0]?.message.content);
      expect(chunks.at(-1)?.usage).toEqual(hidden.usage);
    }
    // include_reasoning: true asks for reasoning when nothing else does, as OpenRouter reads it.
    const asked = await harness.openai().chat.completions.create(ask({ include_reasoning: true }));
    expect(reasoningOf(asked)).toContain("Say hello.");

    // Never sent on: OpenAI refuses a field it does not know.
    await harness
      .openai()
      .chat.completions.create({ ...ask({ include_reasoning: false }), model: "openai/gpt-4o-mini" });
    expect(lastBody(harness.openaiUpstream)).not.toHaveProperty("include_reasoning");
    const refused = harness.openai().chat.completions.create(ask({ include_reasoning: "no" }));
    await expect(refused).rejects.toMatchObject({ status: 400, error: { param: "include_reasoning" } });
  });

  it("thinks within max_tokens, as providers count thinking: the answer gets what is left, and the hold covers it", async () => {
    const ask = (max_tokens: number) =>
      harness.openai().chat.completions.create({
        model: "sandbox/junction-small",
        messages: [{ role: "user", content: "Say hello." }],
        reasoning_effort: "low",
        max_tokens,
      });
    const short = await ask(40);
    expect(short.usage?.completion_tokens).toBeLessThanOrEqual(40);
    expect(short.choices[0]?.finish_reason).toBe("length");
    const tiny = await ask(5);
    expect(tiny.usage).toMatchObject({
      completion_tokens: 5,
      completion_tokens_details: { reasoning_tokens: 5 },
    });
    expect(tiny.choices[0]?.message.content).toBe("");
  });
});

describe("a stream that fails mid-thought", () => {
  it("bills the thinking produced so far, counted, since Anthropic reports usage only at the end", async () => {
    // message_start, the thinking block's start, ping, the first thinking_delta — then the connection drops.
    harness.anthropicUpstream.queue.push({ kind: "drop-mid-stream", afterEvents: 4 });
    const response = await fetch(`${harness.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": harness.tenant.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ ...thinkingRequest("anthropic/claude-sonnet-4-5"), stream: true }),
    });
    expect(await response.text()).toContain("event: error");
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({ status: "error", usageEstimated: true });
    expect(row.reasoningTokens).toBeGreaterThan(0);
    expect(row.completionTokens).toBe(row.reasoningTokens);
    expect(row.cost).toBeGreaterThan(0n);
  });
});
