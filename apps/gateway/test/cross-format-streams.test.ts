import type Anthropic from "@anthropic-ai/sdk";
import { JunctionError } from "@junction/core";
import { beforeAll, describe, expect, it } from "vitest";
import { errorBody } from "../src/http.js";
import type { Harness } from "./harness.js";
import { type Answer, data, either, event, scriptedHarness, written } from "./scripted-upstream.js";

/**
 * Streams answered in another API format than the upstream's: what the official clients' stream helpers assemble
 * must be what the same upstream answer gives unstreamed, and the events must keep the client's protocol.
 */
const scripted = scriptedHarness();
let harness: Harness;
beforeAll(() => {
  harness = scripted.harness;
});

type OpenAiCall = {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
};
type OpenAiDelta = {
  content?: string;
  reasoning_content?: string;
  reasoning_details?: unknown[];
  tool_calls?: OpenAiCall[];
};

const openAiUsage = {
  prompt_tokens: 40,
  completion_tokens: 30,
  total_tokens: 70,
  prompt_tokens_details: { cached_tokens: 10 },
};

/** An OpenAI-format host's answer made of `deltas`: its chunks when streamed, else the completion they add up to. */
function openAiAnswer(deltas: OpenAiDelta[], finish = "tool_calls"): Answer {
  const chunk = (fields: object) =>
    data({ id: "chatcmpl-x", object: "chat.completion.chunk", created: 1, model: "m", ...fields });
  const parts = [
    chunk({ choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }),
    ...deltas.map((delta) => chunk({ choices: [{ index: 0, delta, finish_reason: null }] })),
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: finish }] }),
    chunk({ choices: [], usage: openAiUsage }),
    "data: [DONE]\n\n",
  ];
  type Call = { id: string; type: "function"; function: { name: string; arguments: string } };
  const calls: Call[] = [];
  const byIndex = new Map<number, Call>();
  for (const call of deltas.flatMap((delta) => delta.tool_calls ?? [])) {
    let whole = byIndex.get(call.index);
    // A new id is a new call, even at an index seen before.
    if (!whole || (call.id !== undefined && call.id !== whole.id)) {
      whole = { id: call.id ?? "", type: "function", function: { name: "", arguments: "" } };
      byIndex.set(call.index, whole);
      calls.push(whole);
    }
    whole.function.name = call.function?.name || whole.function.name;
    whole.function.arguments += call.function?.arguments ?? "";
  }
  const joined = (field: "content" | "reasoning_content") =>
    deltas.map((delta) => delta[field] ?? "").join("");
  const details = deltas.flatMap((delta) => delta.reasoning_details ?? []);
  const message = {
    role: "assistant",
    content: joined("content") || null,
    ...(joined("reasoning_content") && { reasoning_content: joined("reasoning_content") }),
    ...(details.length && { reasoning_details: details }),
    ...(calls.length && { tool_calls: calls }),
  };
  const whole = { id: "chatcmpl-x", model: "m", choices: [{ index: 0, message, finish_reason: finish }] };
  return either(parts, { ...whole, usage: openAiUsage });
}

/** A call's first piece (id, name, maybe arguments) and a later piece of its arguments. */
const callStart = (index: number, id: string, name: string, args = ""): OpenAiDelta => ({
  tool_calls: [{ index, id, type: "function", function: { name, arguments: args } }],
});
const callArgs = (index: number, args: string, id?: string): OpenAiDelta => ({
  tool_calls: [{ index, ...(id && { id }), function: { arguments: args } }],
});

const city = { type: "object" as const, properties: { city: { type: "string" } } };
const question = "Weather and time in Paris?";
const ask = {
  max_tokens: 300,
  messages: [{ role: "user" as const, content: question }],
  tools: [
    { name: "get_weather", input_schema: city },
    { name: "get_time", input_schema: city },
  ],
};

type SseEvent = { type: string; index?: number };

/**
 * The Anthropic protocol rules a client relies on, broken ones listed: block indexes start at 0 and follow each
 * other, one block is open at a time, and every delta and stop is for the open block.
 */
function protocolFaults(events: SseEvent[]): string[] {
  const faults: string[] = [];
  let open: number | undefined;
  let next = 0;
  for (const [position, event] of events.entries()) {
    const where = `${event.type} ${event.index} (event ${position})`;
    if (event.type === "content_block_start") {
      if (open !== undefined || event.index !== next) faults.push(`${where} while ${open} open`);
      open = event.index;
      next += 1;
    } else if (event.type === "content_block_delta" && event.index !== open) {
      faults.push(`${where} while ${open} open`);
    } else if (event.type === "content_block_stop") {
      if (event.index !== open) faults.push(`${where} while ${open} open`);
      open = undefined;
    }
  }
  return faults;
}

/** What a client keeps of a message: everything but its id (the SDK's own additions left out). */
function kept(message: Anthropic.Message) {
  const { usage } = message;
  return {
    model: message.model,
    provider: (message as unknown as { provider: string }).provider,
    content: message.content,
    stop_reason: message.stop_reason,
    stop_sequence: message.stop_sequence,
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
    },
  };
}

/**
 * One upstream answer three times over, through /v1/messages: buffered, streamed as raw events, and through the SDK's
 * messages.stream() (its finalMessage() and, per tool_use block, the input its `inputJson` events showed last).
 */
async function messagesThreeWays(model: string, answer: Answer) {
  scripted.answers.push(answer, answer, answer);
  const whole = await harness.anthropic().messages.create({ model, ...ask });
  const raw = await fetch(`${harness.gateway.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": harness.tenant.apiKey, "content-type": "application/json" },
    body: JSON.stringify({ model, ...ask, stream: true }),
  });
  const events = [...(await raw.text()).matchAll(/^data: (.*)$/gm)].map(
    (match) => JSON.parse(match[1] as string) as SseEvent,
  );
  const stream = harness.anthropic().messages.stream({ model, ...ask });
  const shownInput = new Map<string, unknown>();
  stream.on("inputJson", (_partial, snapshot) => {
    const block = stream.currentMessage?.content.at(-1);
    if (block?.type === "tool_use") shownInput.set(block.id, snapshot);
  });
  let thinking = "";
  stream.on("thinking", (piece) => {
    thinking += piece;
  });
  const final = await stream.finalMessage();
  return { whole, events, final, shownInput, thinking };
}

/** Asserts the streamed message is the buffered one, its events keep the protocol, and returns the buffered one. */
function expectSameMessage(result: Awaited<ReturnType<typeof messagesThreeWays>>) {
  expect(protocolFaults(result.events)).toEqual([]);
  expect(kept(result.final)).toEqual(kept(result.whole));
  for (const block of result.whole.content)
    if (block.type === "tool_use") expect(result.shownInput.get(block.id)).toEqual(block.input);
  return result.whole;
}

const weatherAndTime = [
  { type: "tool_use", id: "call_a", name: "get_weather", input: { city: "Paris" } },
  { type: "tool_use", id: "call_b", name: "get_time", input: { city: "Rome" } },
];

/** An OpenAI-format host's calls, in pieces, streamed as the two calls the buffered answer has. */
async function expectWeatherAndTime(deltas: OpenAiDelta[]) {
  const result = await messagesThreeWays("openai/gpt-4o-mini", openAiAnswer(deltas));
  expect(expectSameMessage(result).content).toEqual(weatherAndTime);
}

describe("POST /v1/messages answered by an OpenAI-format host", () => {
  it("streams reasoning, text and calls in blocks numbered in order; finalMessage() is the buffered answer", async () => {
    const result = await messagesThreeWays(
      "openai/gpt-4o-mini",
      openAiAnswer([
        { reasoning_content: "Two " },
        { reasoning_content: "calls." },
        { content: "" },
        { content: "Let me" },
        { content: " check." },
        callStart(0, "call_a", "get_weather"),
        callArgs(0, '{"city":'),
        callArgs(0, '"Paris"}'),
        callStart(1, "call_b", "get_time", '{"ci'),
        callArgs(1, 'ty":"Rome"}'),
      ]),
    );
    const message = expectSameMessage(result);
    // A thinking block no provider signed carries an empty signature, streamed as buffered.
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Two calls.", signature: "" },
      { type: "text", text: "Let me check." },
      ...weatherAndTime,
    ]);
    expect(result.thinking).toBe("Two calls.");
    expect(result.events.map((event) => event.type)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      ...["content_block_delta", "content_block_delta", "content_block_stop"],
      ...["content_block_start", "content_block_delta", "content_block_delta", "content_block_stop"],
      ...["content_block_start", "content_block_delta", "content_block_delta", "content_block_stop"],
      ...["content_block_start", "content_block_delta", "content_block_delta", "content_block_stop"],
      "message_delta",
      "message_stop",
    ]);
    expect(message.stop_reason).toBe("tool_use");
    // 40 prompt tokens, 10 of them read from the cache.
    expect(message.usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 10, output_tokens: 30 });
  });

  it("gives each of a host's interleaved parallel calls all its input before its block stops", async () => {
    await expectWeatherAndTime([
      callStart(0, "call_a", "get_weather"),
      callStart(1, "call_b", "get_time"),
      callArgs(0, '{"city":'),
      callArgs(1, '{"city":'),
      callArgs(0, '"Paris"}'),
      callArgs(1, '"Rome"}'),
    ]);
  });

  it("makes one block of a call whose id the host repeats on every piece", async () => {
    await expectWeatherAndTime([
      callStart(0, "call_a", "get_weather"),
      callArgs(0, '{"city":', "call_a"),
      callArgs(0, '"Paris"}', "call_a"),
      // A host that numbers every call 0 still starts a new one with a new id.
      callStart(0, "call_b", "get_time", '{"city":"Rome"}'),
    ]);
  });

  it("maps the finish reasons, streamed as buffered: length is max_tokens, content_filter a refusal", async () => {
    for (const [finish, stopReason] of [
      ["length", "max_tokens"],
      ["content_filter", "refusal"],
      ["stop", "end_turn"],
    ]) {
      const result = await messagesThreeWays("openai/gpt-4o-mini", openAiAnswer([{ content: "Hi" }], finish));
      expect(expectSameMessage(result).stop_reason).toBe(stopReason);
    }
  });

  it("ends calls the host finished with stop (as OpenAI does for a forced tool_choice) as tool_use, or tool_calls", async () => {
    const calls = [callStart(0, "call_a", "get_weather", '{"city":"Paris"}')];
    const result = await messagesThreeWays("openai/gpt-4o-mini", openAiAnswer(calls, "stop"));
    expect(expectSameMessage(result).stop_reason).toBe("tool_use");
    // The OpenAI route too, streamed and not: clients enter their tool loop on finish_reason "tool_calls".
    scripted.answers.push(openAiAnswer(calls, "stop"), openAiAnswer(calls, "stop"));
    const asked = { model: "openai/gpt-4o-mini", messages: [{ role: "user" as const, content: question }] };
    const whole = await harness.openai().chat.completions.create(asked);
    expect(whole.choices[0]?.finish_reason).toBe("tool_calls");
    const streamed = await harness.openai().chat.completions.create({ ...asked, stream: true });
    const finishes: unknown[] = [];
    for await (const chunk of streamed)
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    expect(finishes).toEqual(["tool_calls"]);
    // Text alone still ends with stop.
    const text = await messagesThreeWays("openai/gpt-4o-mini", openAiAnswer([{ content: "Hi" }], "stop"));
    expect(expectSameMessage(text).stop_reason).toBe("end_turn");
  });

  it("answers another model's encrypted reasoning as no block, streamed or not (Claude would refuse it back)", async () => {
    const result = await messagesThreeWays(
      "openai/gpt-4o-mini",
      openAiAnswer(
        [
          {
            reasoning_details: [
              { type: "reasoning.summary", summary: "Greeting.", format: "openai-responses-v1", index: 0 },
              { type: "reasoning.encrypted", data: "gAAAA…", format: "openai-responses-v1", index: 1 },
            ],
          },
          { content: "Hi" },
        ],
        "stop",
      ),
    );
    expect(expectSameMessage(result).content).toEqual([
      { type: "thinking", thinking: "Greeting.", signature: "" },
      { type: "text", text: "Hi" },
    ]);
  });
});

describe("POST /v1/messages: a failure mid-stream", () => {
  /** The error event a /v1/messages stream ends with when the upstream fails with `failure` after some text. */
  async function errorEventAfterText(model: string, failure: string) {
    const openAiChunk = (delta: OpenAiDelta) =>
      data({
        id: "chatcmpl-x",
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta, finish_reason: null }],
      });
    scripted.answers.push(
      written(
        model.startsWith("anthropic/")
          ? [
              event("message_start", {
                message: {
                  id: "msg_1",
                  type: "message",
                  role: "assistant",
                  content: [],
                  model: "claude",
                  usage: { input_tokens: 5, output_tokens: 1 },
                },
              }),
              event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
              event("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Hello" } }),
              failure,
            ]
          : [
              openAiChunk({ role: "assistant", content: "" } as OpenAiDelta),
              openAiChunk({ content: "Hello" }),
              failure,
            ],
      ),
    );
    const response = await fetch(`${harness.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": harness.tenant.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ model, ...ask, stream: true }),
    });
    const text = await response.text();
    expect(text).toContain("Hello");
    const last = [...text.matchAll(/^event: error\ndata: (.*)$/gm)].at(-1)?.[1];
    return (JSON.parse(last as string) as { error: { type: string } }).error.type;
  }

  it("is typed by the upstream's status, as Anthropic types it: an overload is overloaded_error, a timeout timeout_error", async () => {
    const hostError = (code: number) => data({ error: { message: "upstream trouble", code } });
    expect(await errorEventAfterText("openai/gpt-4o-mini", hostError(503))).toBe("overloaded_error");
    expect(await errorEventAfterText("openai/gpt-4o-mini", hostError(529))).toBe("overloaded_error");
    expect(await errorEventAfterText("openai/gpt-4o-mini", hostError(504))).toBe("timeout_error");
    expect(await errorEventAfterText("openai/gpt-4o-mini", hostError(429))).toBe("rate_limit_error");
    expect(await errorEventAfterText("openai/gpt-4o-mini", hostError(500))).toBe("api_error");
    const overloaded = event("error", { error: { type: "overloaded_error", message: "Overloaded" } });
    expect(await errorEventAfterText("anthropic/claude-sonnet-4-5", overloaded)).toBe("overloaded_error");
    // The gateway's own timeout (504) and unavailable endpoints (503) too.
    expect(errorBody(new JunctionError("upstream_timeout", "timed out"), "anthropic")).toMatchObject({
      error: { type: "timeout_error" },
    });
    expect(errorBody(new JunctionError("service_unavailable", "recovering"), "anthropic")).toMatchObject({
      error: { type: "overloaded_error" },
    });
  });
});

describe("POST /v1/messages answered by Gemini", () => {
  it("streams thoughts, text and parallel calls as the buffered answer has them", async () => {
    const candidate = (parts: object[], finishReason?: string) => ({
      candidates: [{ content: { role: "model", parts }, ...(finishReason && { finishReason }) }],
    });
    // Ids as Gemini issues them (kept as they are; without them each answer would get random ones of its own).
    const calls = [
      { functionCall: { id: "w1", name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "c2ln" },
      { functionCall: { id: "t1", name: "get_time", args: { city: "Rome" } } },
    ];
    const usageMetadata = {
      promptTokenCount: 30,
      candidatesTokenCount: 12,
      thoughtsTokenCount: 5,
      cachedContentTokenCount: 8,
    };
    const chunks = [
      candidate([{ text: "Two calls.", thought: true }]),
      candidate([{ text: "Checking." }]),
      { ...candidate(calls, "STOP"), usageMetadata },
    ];
    const whole = {
      ...candidate([{ text: "Two calls.", thought: true }, { text: "Checking." }, ...calls], "STOP"),
      usageMetadata,
    };
    const result = await messagesThreeWays("google/gemini-2.5-flash", either(chunks.map(data), whole));
    const message = expectSameMessage(result);
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Two calls.", signature: "" },
      { type: "text", text: "Checking." },
      { type: "tool_use", id: "w1", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "t1", name: "get_time", input: { city: "Rome" } },
    ]);
    // Gemini's thoughts are output tokens; its cached prompt tokens are cache reads.
    expect(message.usage).toMatchObject({ input_tokens: 22, cache_read_input_tokens: 8, output_tokens: 17 });
  });
});
