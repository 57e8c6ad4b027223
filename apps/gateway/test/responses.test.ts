import { FAKE_THINKING } from "@junction/testing";
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationRow, type Harness, resetUpstreams, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness(({ openai }) => ({
    GATEWAY_PROCESSING_COMMENT_MS: "100",
    UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "1000",
    // Groq, an OpenAI-compatible host that does not take OpenAI's own hints, answers from the fake OpenAI upstream.
    GROQ_API_KEY: "gsk-upstream",
    GROQ_BASE_URL: `${openai}/v1`,
  }));
});
afterAll(() => harness.close());
beforeEach(() => resetUpstreams(harness));

type Body = Record<string, unknown>;
const lastBody = (upstream: Harness["openaiUpstream"]) => upstream.requests.at(-1)?.body as Body;
const costOf = (response: OpenAI.Responses.Response) =>
  (response.usage as unknown as { cost_details: { total_nano_usd: string } }).cost_details.total_nano_usd;

/** Every event of a streamed response, as the SDK yields them. */
async function streamEvents(params: OpenAI.Responses.ResponseCreateParamsNonStreaming) {
  const events: OpenAI.Responses.ResponseStreamEvent[] = [];
  for await (const event of await harness.openai().responses.create({ ...params, stream: true }))
    events.push(event);
  return events;
}

const weather: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

describe("POST /v1/responses with the openai SDK", () => {
  it("answers with output_text, OpenAI's usage and the exact cost, recorded as a responses generation", async () => {
    const { data, response } = await harness
      .openai()
      .responses.create({ model: "openai/gpt-4o-mini", instructions: "Be brief.", input: "Hello" })
      .withResponse();
    expect(data).toMatchObject({
      object: "response",
      status: "completed",
      model: "openai/gpt-4o-mini",
      store: false,
      output: [{ type: "message", role: "assistant", status: "completed" }],
    });
    expect(data.id).toMatch(/^resp_/);
    expect(data.output_text).toBe("Hello from the fake OpenAI upstream.");
    // The fake reports 21 prompt tokens (5 cached) and 9 completion tokens.
    expect(data.usage).toMatchObject({
      input_tokens: 21,
      input_tokens_details: { cached_tokens: 5 },
      output_tokens: 9,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 30,
    });
    expect(lastBody(harness.openaiUpstream).messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello" },
    ]);
    const id = response.headers.get("x-junction-generation-id") as string;
    const row = await generationRow(harness, id);
    expect(row).toMatchObject({ route: "responses", apiFormat: "openai", status: "success" });
    expect(costOf(data)).toBe(row.cost.toString());
  });

  it("streams OpenAI's event order, the SDK assembles the response, and it costs what the buffered answer costs", async () => {
    const params = { model: "openai/gpt-4o-mini", input: "Hello" };
    const buffered = await harness.openai().responses.create(params);

    const events = await streamEvents(params);
    const types = [...new Set(events.map((event) => event.type))];
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(costOf(completed.response)).toBe(costOf(buffered));

    const stream = harness.openai().responses.stream(params);
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("Hello from the fake OpenAI upstream.");
    expect(final.usage?.output_tokens).toBe(9);
  });

  it("calls tools and takes their results back in the next request (Codex's loop), streamed and not", async () => {
    const client = harness.openai();
    const first = await client.responses.create({
      model: "openai/gpt-4o-mini",
      input: "Weather in Paris?",
      tools: [weather],
      tool_choice: "auto",
    });
    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call).toMatchObject({
      type: "function_call",
      call_id: "call_fake_0",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
      status: "completed",
    });
    expect(lastBody(harness.openaiUpstream)).toMatchObject({
      tools: [{ type: "function", function: { name: "get_weather", parameters: weather.parameters } }],
      tool_choice: "auto",
    });

    await client.responses.create({
      model: "openai/gpt-4o-mini",
      input: [
        { role: "user", content: "Weather in Paris?" },
        call,
        { type: "function_call_output", call_id: "call_fake_0", output: "18°C and sunny" },
      ],
      tools: [weather],
    });
    expect(lastBody(harness.openaiUpstream).messages).toEqual([
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

    const streamed = await client.responses
      .stream({ model: "openai/gpt-4o-mini", input: "Hi", tools: [weather] })
      .finalResponse();
    expect(streamed.output[0]).toMatchObject({
      type: "function_call",
      call_id: "call_fake_0",
      arguments: '{"city":"Paris"}',
    });
  });

  it("answers a model's reasoning as a reasoning item with its summary, streamed and not", async () => {
    const thought = "The user greets me, so I greet back.";
    harness.openaiUpstream.queue.push({ kind: "ok", reasoning: thought }, { kind: "ok", reasoning: thought });
    const buffered = await harness.openai().responses.create({ model: "openai/gpt-4o-mini", input: "Hello" });
    expect(buffered.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(buffered.output[0]).toMatchObject({ summary: [{ type: "summary_text", text: thought }] });

    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    const stream = harness.openai().responses.stream({ model: "openai/gpt-4o-mini", input: "Hello" });
    stream.on("event", (event) => events.push(event));
    const streamed = await stream.finalResponse();
    expect(streamed.output[0]).toMatchObject({
      type: "reasoning",
      summary: [{ type: "summary_text", text: thought }],
    });
    expect(streamed.output_text).toBe("Hello from the fake OpenAI upstream.");
    const reasoningEvents = events.filter((event) => event.type.startsWith("response.reasoning_summary"));
    expect([...new Set(reasoningEvents.map((event) => event.type))]).toEqual([
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
    ]);
  });

  it("carries images and documents in the input to the upstream as content parts", async () => {
    await harness.openai().responses.create({
      model: "openai/gpt-4o-mini",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "What is in these?" },
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" },
            { type: "input_file", file_data: "data:application/pdf;base64,JVBERi0xLjQK", filename: "a.pdf" },
          ],
        },
      ],
    });
    expect(lastBody(harness.openaiUpstream).messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is in these?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } },
          {
            type: "file",
            file: { file_data: "data:application/pdf;base64,JVBERi0xLjQK", filename: "a.pdf" },
          },
        ],
      },
    ]);
  });

  it("carries the output format (its description too), the token limit and the reasoning effort to the upstream", async () => {
    await harness.openai().responses.create({
      model: "openai/gpt-4o-mini",
      input: [{ role: "user", content: [{ type: "input_text", text: "A city, as JSON." }] }],
      text: {
        format: {
          type: "json_schema",
          name: "city",
          description: "The city the user asked about",
          schema: { type: "object" },
          strict: true,
        },
      },
      max_output_tokens: 50,
      reasoning: { effort: "low" },
      temperature: 0.2,
    });
    expect(lastBody(harness.openaiUpstream)).toMatchObject({
      messages: [{ role: "user", content: "A city, as JSON." }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "city",
          description: "The city the user asked about",
          schema: { type: "object" },
          strict: true,
        },
      },
      max_completion_tokens: 50,
      reasoning_effort: "low",
      temperature: 0.2,
    });
  });

  it("returns token logprobs when `include` asks for them, with top_logprobs alternatives, streamed as buffered", async () => {
    const params = {
      model: "openai/gpt-4o-mini",
      input: "Hello",
      include: ["message.output_text.logprobs" as const],
      top_logprobs: 2,
    };
    const buffered = await harness.openai().responses.create(params);
    expect(lastBody(harness.openaiUpstream)).toMatchObject({ logprobs: true, top_logprobs: 2 });
    const textOf = (response: OpenAI.Responses.Response) =>
      (response.output[0] as OpenAI.Responses.ResponseOutputMessage)
        .content[0] as OpenAI.Responses.ResponseOutputText;
    const logprobs = textOf(buffered).logprobs ?? [];
    // The fake answers a log probability per word of "Hello from the fake OpenAI upstream."
    expect(logprobs.map((entry) => entry.token).join("")).toBe(buffered.output_text);
    expect(logprobs[0]).toMatchObject({
      token: "Hello ",
      logprob: -0.25,
      top_logprobs: [{ token: "Hello " }, { token: "alt1" }],
    });

    const events = await streamEvents(params);
    const streamed = events.flatMap((event) =>
      event.type === "response.output_text.delta" ? event.logprobs : [],
    );
    expect(streamed).toEqual(logprobs);
    const done = events.find((event) => event.type === "response.output_text.done");
    expect(done).toMatchObject({ logprobs });
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(textOf(completed.response).logprobs).toEqual(logprobs);

    // Without `include`, none are asked for (OpenAI answers an empty list then too).
    await harness.openai().responses.create({ model: "openai/gpt-4o-mini", input: "Hello", top_logprobs: 2 });
    expect(lastBody(harness.openaiUpstream)).not.toHaveProperty("logprobs");
  });

  it("serves Claude too: the Anthropic upstream gets Messages with the system prompt and tools", async () => {
    const response = await harness.openai().responses.create({
      model: "anthropic/claude-sonnet-4-5",
      instructions: "You are terse.",
      input: "Weather in Paris?",
      tools: [weather],
    });
    const upstream = harness.anthropicUpstream.requests.at(-1)?.body as Body;
    expect(upstream).toMatchObject({
      system: "You are terse.",
      tools: [{ name: "get_weather", input_schema: weather.parameters }],
    });
    expect(response.output.map((item) => item.type)).toEqual(["message", "function_call"]);
    expect(response.usage).toMatchObject({ input_tokens: 132, input_tokens_details: { cached_tokens: 100 } });
  });

  it("carries Claude's signed thinking through a stateless tool loop (Codex's include: reasoning.encrypted_content)", async () => {
    const client = harness.openai();
    const turn = {
      model: "anthropic/claude-sonnet-4-5",
      max_output_tokens: 4000,
      reasoning: { effort: "high" as const },
      include: ["reasoning.encrypted_content" as const],
      tools: [weather],
      store: false,
    };
    const first = await client.responses.create({ ...turn, input: "Weather in Paris?" });
    expect(first.output.map((item) => item.type)).toEqual(["reasoning", "message", "function_call"]);
    const reasoning = first.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.summary).toEqual([{ type: "summary_text", text: FAKE_THINKING.text }]);
    expect(reasoning.encrypted_content).toMatch(/^junction\.v1\./);
    const call = first.output[2] as OpenAI.Responses.ResponseFunctionToolCall;

    // The next request sends the whole turn back with the tool's output, as Codex does.
    type Sent = { thinking: unknown; messages: { content: unknown[] }[] };
    const sendBack = async (output: OpenAI.Responses.ResponseOutputItem[]) => {
      const called = output.find(
        (item) => item.type === "function_call",
      ) as OpenAI.Responses.ResponseFunctionToolCall;
      await client.responses.create({
        ...turn,
        input: [
          { role: "user", content: "Weather in Paris?" },
          ...(output as OpenAI.Responses.ResponseInputItem[]),
          { type: "function_call_output", call_id: called.call_id, output: "18°C" },
        ],
      });
      return harness.anthropicUpstream.requests.at(-1)?.body as Sent;
    };
    // Anthropic gets the signed thinking before the call.
    const upstream = await sendBack(first.output);
    expect(upstream.thinking).toMatchObject({ type: "enabled" });
    expect(upstream.messages[1]?.content).toEqual([
      { type: "thinking", thinking: FAKE_THINKING.text, signature: FAKE_THINKING.signature },
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: call.call_id, name: "get_weather", input: { city: "Paris" } },
    ]);

    // Streamed, the reasoning item carries it too (in the pieces it streamed in), and it goes back as well.
    const streamed = await client.responses.stream({ ...turn, input: "Weather in Paris?" }).finalResponse();
    const again = await sendBack(streamed.output);
    expect(again.messages[1]?.content[0]).toEqual(upstream.messages[1]?.content[0]);
    // Without `include`, no reasoning to send back.
    const { include: _, ...withoutInclude } = turn;
    const plain = await client.responses.create({ ...withoutInclude, input: "Weather in Paris?" });
    expect(plain.output[0]).not.toHaveProperty("encrypted_content");
  });

  it("passes OpenAI's own hints on to OpenAI and echoes the request's settings", async () => {
    const response = await harness.openai().responses.create({
      model: "openai/gpt-4o-mini",
      instructions: "Be brief.",
      input: "Hello",
      prompt_cache_key: "conversation-42",
      text: { verbosity: "low" },
      metadata: { team: "search" },
      tools: [weather],
      tool_choice: "none",
      temperature: 0.5,
    });
    expect(lastBody(harness.openaiUpstream)).toMatchObject({
      prompt_cache_key: "conversation-42",
      verbosity: "low",
    });
    // Other hosts are not sent them; a tier Junction does not price is refused.
    await harness.openai().responses.create({
      model: "meta-llama/llama-3.3-70b-instruct",
      input: "Hello",
      prompt_cache_key: "conversation-42",
      text: { verbosity: "low" },
      provider: { only: ["groq"] },
    } as never);
    expect(harness.openaiUpstream.requests.at(-1)?.headers.authorization).toBe("Bearer gsk-upstream");
    expect(lastBody(harness.openaiUpstream)).not.toHaveProperty("prompt_cache_key");
    expect(lastBody(harness.openaiUpstream)).not.toHaveProperty("verbosity");
    const tiers = [
      () =>
        harness
          .openai()
          .responses.create({ model: "openai/gpt-4o-mini", input: "Hi", service_tier: "priority" }),
      () =>
        harness.openai().chat.completions.create({
          model: "openai/gpt-4o-mini",
          messages: [{ role: "user", content: "Hi" }],
          service_tier: "flex",
        }),
    ];
    for (const create of tiers) {
      const refused = await create().catch((error: unknown) => error);
      expect(refused).toMatchObject({ status: 400, error: { param: "service_tier" } });
    }
    expect(response).toMatchObject({
      instructions: "Be brief.",
      metadata: { team: "search" },
      tools: [weather],
      tool_choice: "none",
      temperature: 0.5,
      parallel_tool_calls: true,
    });
  });

  it("answers incomplete when the token limit cuts the answer short, streamed or not", async () => {
    const params = { model: "sandbox/junction-small", input: "Tell me a long story.", max_output_tokens: 5 };
    const buffered = await harness.openai().responses.create(params);
    expect(buffered).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
      output: [{ type: "message", status: "incomplete" }],
    });
    const events = await streamEvents(params);
    expect(events.at(-1)).toMatchObject({ type: "response.incomplete", response: { status: "incomplete" } });
  });

  it("streams parallel tool calls whole: each call's output_item.done carries all of its arguments", async () => {
    const other = { ...weather, name: "get_time" };
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    const stream = harness
      .openai()
      .responses.stream({ model: "openai/gpt-4o-mini", input: "Hi", tools: [weather, other] });
    stream.on("event", (event) => events.push(event));
    const final = await stream.finalResponse();
    const done = events.flatMap((event) => (event.type === "response.output_item.done" ? [event.item] : []));
    expect(done).toMatchObject([
      { type: "function_call", call_id: "call_fake_0", arguments: '{"city":"Paris"}' },
      { type: "function_call", call_id: "call_fake_1", arguments: '{"city":"Oslo"}' },
    ]);
    expect(final.output).toMatchObject(done);
  });

  it("opens the response before failing it when the upstream fails after the keep-alive comments began", async () => {
    harness.openaiUpstream.queue.push({ kind: "hang" });
    const events = await streamEvents({ model: "openai/gpt-4o-mini", input: "Hello" });
    expect(events.map((event) => event.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.failed",
    ]);
    expect((events[2] as OpenAI.Responses.ResponseFailedEvent).response.error).toMatchObject({
      code: "server_error",
      message: "upstream sent no response headers in time",
    });
  });

  it("ends a stream that fails after the first byte with response.failed, never a fake completion", async () => {
    harness.openaiUpstream.queue.push({ kind: "drop-mid-stream", afterEvents: 3 });
    const events = await streamEvents({ model: "openai/gpt-4o-mini", input: "Hello" });
    const last = events.at(-1) as OpenAI.Responses.ResponseFailedEvent;
    expect(last.type).toBe("response.failed");
    expect(last.response.status).toBe("failed");
    expect(last.response.error?.message).toBeTruthy();
    expect(events.some((event) => event.type === "response.completed")).toBe(false);
  });

  it("refuses what needs stored state or a server tool with a 400 naming the field", async () => {
    const refused = async (body: Record<string, unknown>) => {
      const error = await harness
        .openai()
        .responses.create({ model: "openai/gpt-4o-mini", input: "Hi", ...body } as never)
        .catch((caught: unknown) => caught);
      return error as { status: number; error: { code: string; param: string; message: string } };
    };
    expect(await refused({ previous_response_id: "resp_123" })).toMatchObject({
      status: 400,
      error: { param: "previous_response_id", message: expect.stringContaining("stores no responses") },
    });
    expect(await refused({ tools: [{ type: "web_search" }] })).toMatchObject({
      status: 400,
      error: { param: "tools.0.type", message: expect.stringContaining("must be a function tool") },
    });
    expect(await refused({ input: [{ type: "item_reference", id: "msg_1" }] })).toMatchObject({
      status: 400,
      error: { param: "input.0.type" },
    });
    expect(
      await refused({ tool_choice: { type: "function", name: "nope" }, tools: [weather] }),
    ).toMatchObject({
      status: 400,
      error: { param: "tool_choice" },
    });
    expect(harness.openaiUpstream.requests).toHaveLength(0);
    const missing = await refused({ model: "nobody/nothing" });
    expect(missing.status).toBe(404);
    // Unset options sent as null (as Python clients send None) are unset, not errors.
    const nulls = { tools: null, tool_choice: null, user: null, instructions: null, include: null };
    const answered = await harness
      .openai()
      .responses.create({ model: "openai/gpt-4o-mini", input: "Hi", ...nulls } as never);
    expect(answered).toMatchObject({ status: "completed" });
  });
});
