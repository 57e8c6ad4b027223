import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationRow, type Harness, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => harness.anthropicUpstream.reset());

/** An SDK error for a 400 in Anthropic's shape with this message. */
const anthropic400 = (message: unknown) => ({
  status: 400,
  error: { error: { type: "invalid_request_error", message } },
});

const weatherTool = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

describe("POST /v1/messages with the @anthropic-ai/sdk client", () => {
  it("proxies Anthropic with prompt-cache usage and the generation header", async () => {
    const { data, response } = await harness
      .anthropic()
      .messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 200,
        system: "Be brief.",
        messages: [{ role: "user", content: "Hello" }],
      })
      .withResponse();
    expect(data.content).toEqual([{ type: "text", text: "Hello from the fake Anthropic upstream." }]);
    expect(data.stop_reason).toBe("end_turn");
    expect(data.usage).toMatchObject({
      input_tokens: 12,
      output_tokens: 8,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 20,
    });
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    // The message id is the generation's, under Anthropic's prefix: either finds the record.
    expect(data.id).toBe(`msg_${row.id.slice(4)}`);
    const byMessageId = await fetch(`${harness.gateway.url}/v1/generations/${data.id}`, {
      headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
    });
    expect(((await byMessageId.json()) as { data: { id: string } }).data.id).toBe(row.id);
    // 12 × $3/M + 100 × $0.30/M + 20 × $3.75/M + 8 × $15/M
    expect(row.cost).toBe(36_000n + 30_000n + 75_000n + 120_000n);
    expect(row.cachedTokens).toBe(100);
  });

  it("takes the model names Claude Code sends by default (Anthropic's own ids, no author), and OpenAI's", async () => {
    for (const model of ["claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"]) {
      const message = await harness
        .anthropic()
        .messages.create({ model, max_tokens: 50, messages: [{ role: "user", content: "Hello" }] });
      expect(message.model).toBe(`anthropic/${model}`);
      expect(harness.anthropicUpstream.requests.at(-1)?.body.model).toBe(model);
      const counted = await harness
        .anthropic()
        .messages.countTokens({ model, messages: [{ role: "user", content: "Hello" }] });
      expect(counted.input_tokens).toBeGreaterThan(0);
    }
    const completion = await harness
      .openai()
      .chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] });
    expect(completion.model).toBe("openai/gpt-4o-mini");
    // A name that is no model's still says so, in Anthropic's shape.
    await expect(
      harness.anthropic().messages.create({
        model: "claude-nonesuch",
        max_tokens: 50,
        messages: [{ role: "user", content: "Hi" }],
      }),
    ).rejects.toMatchObject({ status: 404, error: { error: { type: "not_found_error" } } });
  });

  it("streams the full Anthropic event order, with tool_use blocks, and the SDK assembles the message", async () => {
    const request = {
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 200,
      messages: [{ role: "user" as const, content: "Weather in Paris?" }],
      tools: [weatherTool],
    };
    const raw = await fetch(`${harness.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": harness.tenant.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ ...request, stream: true }),
    });
    const types = [...(await raw.text()).matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);

    const message = await harness.anthropic().messages.stream(request).finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "toolu_fake01", name: "get_weather", input: { city: "Paris" } },
    ]);
    expect(message.usage).toMatchObject({ output_tokens: 15, cache_read_input_tokens: 100 });
  });

  it("starts a stream from Claude with Claude's own prompt figures (cache reads and writes), not a count", async () => {
    const stream = harness.anthropic().messages.stream({
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 200,
      messages: [{ role: "user", content: "Hello" }],
    });
    let started: Anthropic.Usage | undefined;
    stream.on("streamEvent", (event) => {
      // A copy: the SDK goes on to update its message (message_delta's usage) in place.
      if (event.type === "message_start") started = { ...event.message.usage };
    });
    await stream.finalMessage();
    expect(started).toMatchObject({
      input_tokens: 12,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 20,
    });
  });

  it("serves Anthropic-format requests with non-Anthropic models, tools and tool results included", async () => {
    const client = harness.anthropic();
    const first = await client.messages.create({
      model: "openai/gpt-4o-mini",
      max_tokens: 100,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [weatherTool],
    });
    expect(first.stop_reason).toBe("tool_use");
    const toolUse = first.content.find((block) => block.type === "tool_use");
    expect(toolUse).toMatchObject({ id: "call_fake_0", name: "get_weather", input: { city: "Paris" } });
    const upstreamFirst = harness.openaiUpstream.requests.at(-1);
    expect(upstreamFirst?.body.tools).toEqual([
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather for a city",
          parameters: weatherTool.input_schema,
        },
      },
    ]);

    const second = await client.messages.create({
      model: "openai/gpt-4o-mini",
      max_tokens: 100,
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "call_fake_0", content: "18°C and sunny" }],
        },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: "text" });
    const upstream = harness.openaiUpstream.requests.at(-1)?.body as { messages: unknown[] };
    expect(upstream.messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_fake_0",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_fake_0", content: "18°C and sunny" },
    ]);
  });

  it("carries a strict tool (Anthropic's structured outputs for tools) to Claude 4.5 and to OpenAI as a strict function", async () => {
    const strictTool = {
      name: "get_weather",
      input_schema: {
        type: "object" as const,
        properties: { city: { type: "string" } },
        required: ["city"],
        additionalProperties: false,
      },
      strict: true,
    };
    const ask = (model: string) =>
      harness.anthropic().messages.create({
        model,
        max_tokens: 100,
        messages: [{ role: "user", content: "Weather in Paris?" }],
        tools: [strictTool],
      });
    await ask("anthropic/claude-sonnet-4-5");
    expect(harness.anthropicUpstream.requests.at(-1)?.body.tools).toEqual([strictTool]);
    await ask("openai/gpt-4o-mini");
    expect(harness.openaiUpstream.requests.at(-1)?.body.tools).toEqual([
      {
        type: "function",
        function: { name: "get_weather", parameters: strictTool.input_schema, strict: true },
      },
    ]);
  });

  it("streams sandbox text as Anthropic events with usage in message_delta", async () => {
    const stream = harness.anthropic().messages.stream({
      model: "sandbox/junction-small",
      max_tokens: 500,
      messages: [{ role: "user", content: "Hi from Claude Code" }],
    });
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const message = await stream.finalMessage();
    expect(text).toContain('You said: "Hi from Claude Code"');
    expect(message.usage.output_tokens).toBeGreaterThan(10);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it("says which stop sequence ended the message, streamed or not, from Anthropic and from the sandbox", async () => {
    const client = harness.anthropic();
    for (const [model, sequence, before] of [
      ["anthropic/claude-sonnet-4-5", "fake", "Hello from the "],
      ["sandbox/junction-small", "sandbox", "Hello from the Junction "],
    ] as const) {
      const request = {
        model,
        max_tokens: 200,
        stop_sequences: ["never-said", sequence],
        messages: [{ role: "user" as const, content: "Hello" }],
      };
      const created = await client.messages.create(request);
      const streamed = await client.messages.stream(request).finalMessage();
      for (const message of [created, streamed]) {
        expect({ model, stop_reason: message.stop_reason, stop_sequence: message.stop_sequence }).toEqual({
          model,
          stop_reason: "stop_sequence",
          stop_sequence: sequence,
        });
        expect(message.content).toEqual([{ type: "text", text: before }]);
      }
    }
    // Without a stop sequence in the text: end_turn, as before.
    const plain = await client.messages.create({
      model: "sandbox/junction-small",
      max_tokens: 200,
      stop_sequences: ["never-said"],
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(plain).toMatchObject({ stop_reason: "end_turn", stop_sequence: null });
  });

  it("keeps the images a tool returned: blocks for Anthropic, a user turn after the tool results for OpenAI", async () => {
    const screenshot = { type: "base64" as const, media_type: "image/png" as const, data: "iVBORw0KGgo=" };
    const turn = (model: string): Anthropic.MessageCreateParamsNonStreaming => ({
      model,
      max_tokens: 100,
      messages: [
        { role: "user", content: "What does the page look like?" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Screenshot", input: {} }] },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_1",
              content: [
                { type: "text", text: "Captured." },
                { type: "image", source: screenshot },
              ],
            },
          ],
        },
      ],
    });
    await harness.anthropic().messages.create(turn("anthropic/claude-sonnet-4-5"));
    const toAnthropic = harness.anthropicUpstream.requests.at(-1)?.body as { messages: unknown[] };
    expect(toAnthropic.messages[2]).toEqual(turn("x").messages[2]);

    await harness.anthropic().messages.create(turn("openai/gpt-4o-mini"));
    const toOpenAi = harness.openaiUpstream.requests.at(-1)?.body as { messages: unknown[] };
    expect(toOpenAi.messages.slice(2)).toEqual([
      { role: "tool", tool_call_id: "toolu_1", content: "Captured." },
      {
        role: "user",
        content: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }],
      },
    ]);
  });

  it("tells Anthropic that a tool failed (is_error); OpenAI, which has no such flag, gets the error's text", async () => {
    const turn = (model: string, isError: unknown = true, output = "ENOENT: no such file") => ({
      model,
      max_tokens: 100,
      messages: [
        { role: "user" as const, content: "Read the config." },
        {
          role: "assistant" as const,
          content: [{ type: "tool_use" as const, id: "toolu_1", name: "Read", input: { path: "a.json" } }],
        },
        {
          role: "user" as const,
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_1",
              content: output,
              is_error: isError,
            },
          ],
        },
      ],
    });
    const client = harness.anthropic();
    await client.messages.create(
      turn("anthropic/claude-sonnet-4-5") as Anthropic.MessageCreateParamsNonStreaming,
    );
    const toAnthropic = harness.anthropicUpstream.requests.at(-1)?.body as { messages: unknown[] };
    expect(toAnthropic.messages[2]).toEqual(turn("x").messages[2]);

    await client.messages.create(turn("openai/gpt-4o-mini") as Anthropic.MessageCreateParamsNonStreaming);
    const toOpenAi = harness.openaiUpstream.requests.at(-1)?.body as { messages: unknown[] };
    expect(toOpenAi.messages[2]).toEqual({
      role: "tool",
      tool_call_id: "toolu_1",
      content: "ENOENT: no such file",
    });

    const requests = harness.anthropicUpstream.requests.length;
    const failure = await client.messages
      .create(turn("anthropic/claude-sonnet-4-5", "yes") as Anthropic.MessageCreateParamsNonStreaming)
      .catch((error: unknown) => error);
    expect(failure).toMatchObject(anthropic400(expect.stringContaining("messages.2.content.0.is_error")));
    expect(harness.anthropicUpstream.requests).toHaveLength(requests);

    // A failure that returned nothing still reads as one; on the OpenAI route, is_error must be a boolean too.
    await client.messages.create(
      turn("openai/gpt-4o-mini", true, "") as Anthropic.MessageCreateParamsNonStreaming,
    );
    const emptyBody = harness.openaiUpstream.requests.at(-1)?.body as { messages: unknown[] };
    expect(emptyBody.messages[2]).toMatchObject({ role: "tool", content: "(the tool failed)" });
    const chatFailure = await harness
      .openai()
      .chat.completions.create({
        model: "openai/gpt-4o-mini",
        messages: [
          ...(emptyBody.messages as never[]).slice(0, 2),
          { role: "tool", tool_call_id: "toolu_1", content: "x", is_error: "yes" } as never,
        ],
      })
      .catch((error: unknown) => error);
    expect(chatFailure).toMatchObject({ status: 400, error: { param: "messages.2.is_error" } });
  });

  it("carries top_k to Anthropic (not beside thinking, which refuses it) and leaves it out for OpenAI, which has none", async () => {
    const ask = (model: string, extra: Record<string, unknown> = {}) =>
      harness.anthropic().messages.create({
        model,
        max_tokens: 2000,
        top_k: 5,
        messages: [{ role: "user", content: "Hi" }],
        ...extra,
      } as Anthropic.MessageCreateParamsNonStreaming);
    await ask("anthropic/claude-sonnet-4-5");
    expect(harness.anthropicUpstream.requests.at(-1)?.body).toMatchObject({ top_k: 5 });
    await ask("anthropic/claude-sonnet-4-5", { thinking: { type: "enabled", budget_tokens: 1024 } });
    expect(harness.anthropicUpstream.requests.at(-1)?.body).not.toHaveProperty("top_k");
    await ask("openai/gpt-4o-mini");
    expect(harness.openaiUpstream.requests.at(-1)?.body).not.toHaveProperty("top_k");
  });

  it("serves OpenAI's reasoning models, which take the output limit only as max_completion_tokens", async () => {
    const message = await harness.anthropic().messages.create({
      model: "openai/gpt-5",
      max_tokens: 300,
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(message.content).toEqual([{ type: "text", text: "Hello from the fake OpenAI upstream." }]);
    const sent = harness.openaiUpstream.requests.at(-1)?.body;
    expect(sent).toMatchObject({ model: "gpt-5", max_completion_tokens: 300 });
    expect(sent).not.toHaveProperty("max_tokens");
  });

  it("takes max_tokens as a ceiling: Claude Code's 32,000 reaches gpt-4o-mini as its maximum of 16,384", async () => {
    const ask = {
      model: "openai/gpt-4o-mini",
      max_tokens: 32_000,
      messages: [{ role: "user" as const, content: "Hi" }],
    };
    // Claude Code streams; unstreamed, the SDK asks for a timeout of its own at this max_tokens.
    const message = await harness.anthropic().messages.create(ask, { timeout: 60_000 });
    expect(message.content).toEqual([{ type: "text", text: "Hello from the fake OpenAI upstream." }]);
    expect(harness.openaiUpstream.requests.at(-1)?.body).toMatchObject({ max_completion_tokens: 16_384 });
    const streamed = await harness.anthropic().messages.stream(ask).finalMessage();
    expect(streamed.content).toEqual(message.content);
    expect(harness.openaiUpstream.requests.at(-1)?.body).toMatchObject({ max_completion_tokens: 16_384 });
    // OpenAI's own route keeps OpenAI's answer to a limit above the model's maximum.
    await expect(
      harness.openai().chat.completions.create({
        model: "openai/gpt-4o-mini",
        max_completion_tokens: 32_000,
        messages: [{ role: "user", content: "Hi" }],
      }),
    ).rejects.toMatchObject({ status: 400, param: "max_completion_tokens" });
  });

  it("keeps the tools (and their cache breakpoint) for Anthropic when tool_choice is none, mid tool loop", async () => {
    const tools = [{ ...weatherTool, cache_control: { type: "ephemeral" as const } }];
    const message = await harness.anthropic().messages.create({
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 300,
      tools,
      tool_choice: { type: "none" },
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "Sunny" }] },
      ],
    });
    // Anthropic needs the definitions of the tools the conversation called, and the cached prefix includes them.
    expect(harness.anthropicUpstream.requests.at(-1)?.body).toMatchObject({
      tools,
      tool_choice: { type: "none" },
    });
    expect(message.stop_reason).toBe("end_turn");
    expect(message.content).toEqual([{ type: "text", text: "Hello from the fake Anthropic upstream." }]);
  });

  it("carries structured outputs (output_config) to Anthropic as they came, and to other models as response_format", async () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer" } },
      required: ["name", "age"],
      additionalProperties: false,
    };
    const ask = (model: string, extra: Record<string, unknown>) =>
      harness.anthropic().messages.create({
        model,
        max_tokens: 2000,
        messages: [{ role: "user", content: "John is 28." }],
        ...extra,
      } as Anthropic.MessageCreateParamsNonStreaming);
    const config = { format: { type: "json_schema", schema }, effort: "medium" };
    await ask("anthropic/claude-sonnet-4-5", { output_config: config });
    const sent = harness.anthropicUpstream.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent.output_config).toEqual(config);
    expect(JSON.stringify(sent.system ?? "")).not.toContain("JSON schema"); // native, not an instruction
    // The beta's output_format reaches Anthropic as the generally available output_config.format.
    await ask("anthropic/claude-sonnet-4-5", { output_format: { type: "json_schema", schema } });
    expect(harness.anthropicUpstream.requests.at(-1)?.body).toMatchObject({
      output_config: { format: { type: "json_schema", schema } },
    });
    expect(harness.anthropicUpstream.requests.at(-1)?.body).not.toHaveProperty("output_format");

    await ask("openai/gpt-4o-mini", { output_config: config });
    const openai = harness.openaiUpstream.requests.at(-1)?.body as Record<string, unknown>;
    expect(openai.response_format).toEqual({ type: "json_schema", json_schema: { name: "output", schema } });
    expect(openai).not.toHaveProperty("output_config");
    expect(openai).not.toHaveProperty("anthropic_output_config");
    // The sandbox answers in the schema's shape.
    const sandbox = await ask("sandbox/junction-small", { output_config: config });
    const text = sandbox.content.find((block) => block.type === "text")?.text ?? "";
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(["age", "name"]);

    // The internal field is this route's own: on /v1/chat/completions a body field of that name is dropped.
    await harness.openai().chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      messages: [{ role: "user", content: "Hi" }],
      anthropic_output_config: config,
    } as never);
    expect(harness.anthropicUpstream.requests.at(-1)?.body).not.toHaveProperty("output_config");

    await expect(
      ask("anthropic/claude-sonnet-4-5", { output_config: { format: { type: "xml" } } }),
    ).rejects.toMatchObject({
      status: 400,
    });
  });

  it("carries a PDF document to any model: a document block for Anthropic, a file part for OpenAI", async () => {
    const pdf = { type: "base64" as const, media_type: "application/pdf" as const, data: "JVBERi0xLjQK" };
    const ask = (model: string): Anthropic.MessageCreateParamsNonStreaming => ({
      model,
      max_tokens: 100,
      messages: [
        {
          role: "user",
          content: [
            { type: "document", source: pdf, title: "report.pdf" },
            { type: "text", text: "Summarize this." },
          ],
        },
      ],
    });
    await harness.anthropic().messages.create(ask("anthropic/claude-sonnet-4-5"));
    const toAnthropic = harness.anthropicUpstream.requests.at(-1)?.body as { messages: unknown[] };
    expect(toAnthropic.messages).toEqual(ask("x").messages);

    await harness.anthropic().messages.create(ask("openai/gpt-4o-mini"));
    const toOpenAi = harness.openaiUpstream.requests.at(-1)?.body as { messages: unknown[] };
    expect(toOpenAi.messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "file",
            file: { file_data: "data:application/pdf;base64,JVBERi0xLjQK", filename: "report.pdf" },
          },
          { type: "text", text: "Summarize this." },
        ],
      },
    ]);
  });

  it("refuses a block it cannot carry to every model (a search result) by name, rather than dropping it", async () => {
    const failure = await harness
      .anthropic()
      .messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 100,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Use this." },
              { type: "search_result", source: "https://example.com", title: "Example", content: [] },
            ],
          },
        ],
      })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject(
      anthropic400(
        "Invalid request: `messages.0.content.1.type` must be text, image, document, tool_use, tool_result or thinking (other blocks are not carried)",
      ),
    );
    expect(harness.anthropicUpstream.requests).toHaveLength(0);
  });

  it("passes on the beta features it carries (Claude Code's anthropic-beta header) to Anthropic, and only to Anthropic", async () => {
    const client = harness.anthropic();
    const ask = (model: string) =>
      client.beta.messages.create({
        model,
        max_tokens: 100,
        betas: [
          "claude-code-20250219",
          "interleaved-thinking-2025-05-14",
          "fine-grained-tool-streaming-2025-05-14",
        ],
        messages: [{ role: "user", content: "Hi" }],
      });
    await ask("anthropic/claude-sonnet-4-5");
    const toAnthropic = harness.anthropicUpstream.requests.at(-1);
    expect(toAnthropic?.path).toBe("/v1/messages");
    expect(toAnthropic?.headers["anthropic-beta"]).toBe(
      "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14",
    );
    await ask("openai/gpt-4o-mini");
    const toOpenAi = harness.openaiUpstream.requests.at(-1);
    expect(toOpenAi?.headers["anthropic-beta"]).toBeUndefined();
    expect(toOpenAi?.body).not.toHaveProperty("anthropic_beta");

    // Without one it carries, no header; and a body field of that name is not a way around the header.
    await harness.openai().chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      messages: [{ role: "user", content: "Hi" }],
      anthropic_beta: ["context-1m-2025-08-07"],
    } as never);
    expect(harness.anthropicUpstream.requests.at(-1)?.headers["anthropic-beta"]).toBeUndefined();
  });

  it("routes a prompt over 200k tokens to Claude only with the 1M-context beta (billed at its long-context prices)", async () => {
    // ~240,000 tokens: more than claude-sonnet-4-5's default 200k context.
    const long = "alpha beta gamma delta ".repeat(60_000);
    const ask = (betas: Anthropic.Beta.AnthropicBeta[], model = "anthropic/claude-sonnet-4-5") =>
      harness
        .anthropic()
        .beta.messages.create({ model, max_tokens: 100, betas, messages: [{ role: "user", content: long }] })
        .withResponse();
    const refused = await ask([]).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400 });
    expect(String((refused as Error).message)).toMatch(/prompt is too long: \d+ tokens > 200000 maximum/);
    // The catalog lists claude-sonnet-4 with 1M tokens: without the beta, Anthropic takes 200k all the same.
    const listedAtOneMillion = await ask([], "anthropic/claude-sonnet-4-20250514").catch(
      (error: unknown) => error,
    );
    expect(String((listedAtOneMillion as Error).message)).toMatch(
      /prompt is too long: \d+ tokens > 200000 maximum/,
    );
    expect(harness.anthropicUpstream.requests).toHaveLength(0);

    harness.anthropicUpstream.queue.push({ kind: "ok", promptTokens: 240_000 });
    const { response } = await ask(["context-1m-2025-08-07"]);
    expect(harness.anthropicUpstream.requests.at(-1)?.headers["anthropic-beta"]).toBe(
      "context-1m-2025-08-07",
    );
    // Anthropic reports 240,000 input tokens, 100 cache reads, 20 cache writes and 8 output tokens: over 200k, so
    // 240,000 × $6 + 100 × $0.60 + 20 × $7.50 + 8 × $22.50 per million.
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row.cost).toBe(1_440_000_000n + 60_000n + 150_000n + 180_000n);
  });

  it("carries Claude Code's metadata.user_id to Anthropic as it is, and to OpenAI within its 64-character user", async () => {
    // What Claude Code sends (its device, account and session): about 150 characters, over OpenAI's limit of 64.
    const userId = JSON.stringify({
      device_id: "5f2c".repeat(16),
      account_uuid: "0b4e7a52-8c1f-4d36-9a0e-2f6d3c1b7e90",
      session_id: "c93a1f4e-6b2d-4e8a-b7c5-1d0f9e2a3b46",
    });
    const ask = (model: string, user_id = userId) =>
      harness.anthropic().messages.create({
        model,
        max_tokens: 100,
        metadata: { user_id },
        messages: [{ role: "user", content: "Hi" }],
      });
    await ask("anthropic/claude-sonnet-4-5");
    expect(harness.anthropicUpstream.requests.at(-1)?.body.metadata).toEqual({ user_id: userId });

    const message = await ask("openai/gpt-4o-mini");
    expect(message.content).toEqual([{ type: "text", text: "Hello from the fake OpenAI upstream." }]);
    const sent = harness.openaiUpstream.requests.at(-1)?.body.user as string;
    expect(sent.length).toBeLessThanOrEqual(64);
    expect(sent).not.toContain("5f2c"); // an opaque stand-in, the same for every request of the session
    await ask("openai/gpt-4o-mini");
    expect(harness.openaiUpstream.requests.at(-1)?.body.user).toBe(sent);
    // A short id goes as it is.
    await ask("openai/gpt-4o-mini", "user-42");
    expect(harness.openaiUpstream.requests.at(-1)?.body.user).toBe("user-42");
  });

  it("answers errors in Anthropic's shape", async () => {
    const response = await fetch(`${harness.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": harness.tenant.apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        model: "anthropic/claude-sonnet-4-5",
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "Invalid request: `max_tokens` Invalid input: expected number, received undefined",
      },
    });
    await expect(
      harness
        .anthropic("jk_live_nope")
        .messages.create({ model: "x/y", max_tokens: 1, messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({
      status: 401,
      error: { type: "error", error: { type: "authentication_error" } },
    });
  });
});

describe("POST /v1/messages/count_tokens", () => {
  it("counts input tokens for any model, as Claude Code asks", async () => {
    const counted = await harness.anthropic().messages.countTokens({
      model: "openai/gpt-4o-mini",
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello there, how are you today?" }],
    });
    expect(counted.input_tokens).toBeGreaterThan(8);
    expect(counted.input_tokens).toBeLessThan(40);
    await expect(
      harness
        .anthropic()
        .messages.countTokens({ model: "nope/x", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
