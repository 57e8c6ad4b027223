import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationRow, type Harness, resetUpstreams, startHarness } from "./harness.js";

// OpenRouter is configured too, pointed at the fake OpenAI-compatible upstream: it is the one such host that
// passes cache breakpoints on to the models that use them.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness(({ openai }) => ({
    OPENROUTER_API_KEY: "sk-or-upstream-secret",
    OPENROUTER_BASE_URL: `${openai}/v1`,
  }));
});
afterAll(() => harness.close());
beforeEach(() => resetUpstreams(harness));

const ephemeral = { type: "ephemeral" as const };

/** A Claude Code turn, in short: breakpoints on the last tool, the system prompt and the conversation's tail. */
const claudeCodeTurn = (model: string): Anthropic.MessageCreateParamsNonStreaming => ({
  model,
  max_tokens: 500,
  system: [
    { type: "text", text: "You are Claude Code, an agent for software engineering." },
    { type: "text", text: "CLAUDE.md: run the tests before you commit.", cache_control: ephemeral },
  ],
  tools: [
    { name: "Read", input_schema: { type: "object", properties: { path: { type: "string" } } } },
    {
      name: "Bash",
      input_schema: { type: "object", properties: { command: { type: "string" } } },
      cache_control: ephemeral,
    },
  ],
  messages: [
    { role: "user", content: [{ type: "text", text: "Why does the build fail?" }] },
    {
      role: "assistant",
      content: [{ type: "tool_use", id: "toolu_1", name: "Read", input: { path: "a.ts" } }],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_1",
          content: "export const a = ;",
          cache_control: ephemeral,
        },
      ],
    },
  ],
});

type Body = Record<string, unknown>;
const lastBody = (upstream: Harness["openaiUpstream"]) => upstream.requests.at(-1)?.body as Body;

describe("prompt caching (cache_control breakpoints)", () => {
  it("reaches Anthropic where Claude Code put them, and the cache usage is billed at cache prices", async () => {
    const request = claudeCodeTurn("anthropic/claude-sonnet-4-5");
    const { data, response } = await harness.anthropic().messages.create(request).withResponse();
    const upstream = lastBody(harness.anthropicUpstream);
    expect(upstream.system).toEqual(request.system);
    expect(upstream.tools).toEqual(request.tools);
    expect(upstream.messages).toEqual(request.messages);
    expect(data.usage).toMatchObject({ cache_read_input_tokens: 100, cache_creation_input_tokens: 20 });
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({ cachedTokens: 100, cacheWriteTokens: 20 });
  });

  it("keeps the breakpoint Claude Code puts on the assistant turn's last block, a tool call, for Anthropic only", async () => {
    // Claude Code marks the last two messages: mid tool loop, the second to last ends with the tool call.
    const turn = (model: string, extra: Record<string, unknown> = {}) => {
      const request = claudeCodeTurn(model);
      request.tools = request.tools?.map(({ cache_control: _, ...tool }) => tool);
      request.messages[1] = {
        role: "assistant",
        content: [
          { type: "text", text: "Reading it." },
          {
            type: "tool_use",
            id: "toolu_1",
            name: "Read",
            input: { path: "a.ts" },
            cache_control: ephemeral,
          },
        ],
      };
      return { ...request, ...extra } as Anthropic.MessageCreateParamsNonStreaming;
    };
    await harness.anthropic().messages.create(turn("anthropic/claude-sonnet-4-5"));
    expect(lastBody(harness.anthropicUpstream).messages).toEqual(turn("x").messages);

    // Hosts that take no breakpoints on tool calls get none.
    await harness.anthropic().messages.create(turn("openai/gpt-4o-mini"));
    expect(JSON.stringify(lastBody(harness.openaiUpstream))).not.toContain("cache_control");
    await harness
      .anthropic()
      .messages.create(turn("anthropic/claude-sonnet-4-5", { provider: { only: ["openrouter"] } }));
    const toOpenRouter = lastBody(harness.openaiUpstream).messages as Body[];
    expect(JSON.stringify(toOpenRouter[2])).not.toContain("cache_control");
  });

  it("bills a one-hour cache write at its own price (2× input, not 1.25×), as Anthropic charges it", async () => {
    const request = claudeCodeTurn("anthropic/claude-sonnet-4-5");
    const hour = { type: "ephemeral" as const, ttl: "1h" as const };
    request.tools = request.tools?.map((tool) =>
      tool.cache_control ? { ...tool, cache_control: hour } : tool,
    );
    const { data, response } = await harness.anthropic().messages.create(request).withResponse();
    expect(lastBody(harness.anthropicUpstream).tools).toEqual(request.tools);
    expect(data.usage).toMatchObject({
      cache_creation_input_tokens: 20,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 20 },
    });
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({ cacheWriteTokens: 20, cacheWrite1hTokens: 20 });
    // claude-sonnet-4-5: 12 × $3 + 100 × $0.30 + 20 × $6 (an hour's write) + 15 × $15 (the tool call) per million.
    expect(row.cost).toBe(36_000n + 30_000n + 120_000n + 225_000n);
    const receipt = row.receipt as { prices: Record<string, string>; usage: Record<string, number> };
    expect(receipt.prices.cacheWrite1hPerMillionNanoUsd).toBe("6000000000");
    expect(receipt.usage.cacheWrite1hTokens).toBe(20);

    // The same turn with five-minute breakpoints: 20 × $3.75.
    const { response: fiveMinutes } = await harness
      .anthropic()
      .messages.create(claudeCodeTurn("anthropic/claude-sonnet-4-5"))
      .withResponse();
    const short = await generationRow(harness, fiveMinutes.headers.get("x-junction-generation-id") as string);
    expect(short).toMatchObject({ cacheWrite1hTokens: 0, cost: 36_000n + 30_000n + 75_000n + 225_000n });
  });

  it("reaches Anthropic from the openai SDK too, on content parts and tools as with OpenRouter", async () => {
    const completion = await harness.openai().chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 100,
      messages: [
        {
          role: "system",
          content: [{ type: "text", text: "A long shared context.", cache_control: ephemeral }],
        } as unknown as OpenAI.ChatCompletionSystemMessageParam,
        { role: "user", content: "Summarize it." },
      ],
    });
    expect(lastBody(harness.anthropicUpstream).system).toEqual([
      { type: "text", text: "A long shared context.", cache_control: ephemeral },
    ]);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(100);
  });

  it("is left out for OpenAI-compatible hosts that cache on their own, and kept for OpenRouter", async () => {
    await harness.anthropic().messages.create(claudeCodeTurn("openai/gpt-4o-mini"));
    const toOpenAi = JSON.stringify(lastBody(harness.openaiUpstream));
    expect(toOpenAi).not.toContain("cache_control");
    // Text that became parts only to carry a breakpoint is one string again.
    expect(lastBody(harness.openaiUpstream).messages).toContainEqual({
      role: "tool",
      tool_call_id: "toolu_1",
      content: "export const a = ;",
    });
    expect((lastBody(harness.openaiUpstream).messages as Body[])[0]).toEqual({
      role: "system",
      content:
        "You are Claude Code, an agent for software engineering.\nCLAUDE.md: run the tests before you commit.",
    });

    await harness.anthropic().messages.create({
      ...claudeCodeTurn("anthropic/claude-sonnet-4-5"),
      provider: { only: ["openrouter"] },
    } as Anthropic.MessageCreateParamsNonStreaming);
    const toOpenRouter = lastBody(harness.openaiUpstream);
    expect(harness.openaiUpstream.requests.at(-1)?.headers.authorization).toBe(
      "Bearer sk-or-upstream-secret",
    );
    expect(toOpenRouter.messages).toContainEqual({
      role: "system",
      content: [
        { type: "text", text: "You are Claude Code, an agent for software engineering." },
        { type: "text", text: "CLAUDE.md: run the tests before you commit.", cache_control: ephemeral },
      ],
    });
    expect((toOpenRouter.tools as Body[])[1]).toMatchObject({ cache_control: ephemeral });
  });

  it("passes automatic caching (a top-level cache_control) on to Anthropic and OpenRouter, not to OpenAI", async () => {
    const hour = { type: "ephemeral" as const, ttl: "1h" as const };
    const { response } = await harness
      .anthropic()
      .messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 100,
        cache_control: hour,
        messages: [{ role: "user", content: "A long conversation." }],
      } as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    expect(lastBody(harness.anthropicUpstream).cache_control).toEqual(hour);
    // Anthropic wrote the cache for an hour, as asked: billed at the hour's price.
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({ cacheWrite1hTokens: 20 });

    const chat = (model: string, extra: Record<string, unknown> = {}) =>
      harness.openai().chat.completions.create({
        model,
        max_tokens: 100,
        messages: [{ role: "user", content: "Hi" }],
        cache_control: { type: "ephemeral" },
        ...extra,
      } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    await chat("openai/gpt-4o-mini", { top_k: 5 });
    expect(lastBody(harness.openaiUpstream)).not.toHaveProperty("cache_control");
    // top_k too: OpenAI has none, OpenRouter passes it on.
    expect(lastBody(harness.openaiUpstream)).not.toHaveProperty("top_k");
    await chat("anthropic/claude-sonnet-4-5", { provider: { only: ["openrouter"] }, top_k: 5 });
    expect(harness.openaiUpstream.requests.at(-1)?.headers.authorization).toBe(
      "Bearer sk-or-upstream-secret",
    );
    expect(lastBody(harness.openaiUpstream)).toMatchObject({
      cache_control: { type: "ephemeral" },
      top_k: 5,
    });
  });

  it("refuses a malformed breakpoint with a 400 naming it", async () => {
    const response = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "anthropic/claude-sonnet-4-5",
        messages: [
          { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "forever" } }] },
        ],
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; message: string } };
    expect(body.error).toMatchObject({
      param: "messages.0.content.0.cache_control.type",
      message:
        'Invalid request: `messages.0.content.0.cache_control.type` Invalid input: expected "ephemeral"',
    });
    const automatic = await harness
      .anthropic()
      .messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 100,
        cache_control: { type: "ephemeral", ttl: "1d" },
        messages: [{ role: "user", content: "hi" }],
      } as never)
      .catch((error: unknown) => error);
    expect(automatic).toMatchObject({ status: 400, message: expect.stringContaining("cache_control.ttl") });
  });
});
