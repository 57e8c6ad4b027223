import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "./harness.js";
import { type Answer, data, either, event, scriptedHarness } from "./scripted-upstream.js";

/**
 * OpenAI's legacy function calling (`functions`, `function_call`, `role: "function"` results) on
 * POST /v1/chat/completions: sent to every model as tools, and answered as OpenAI answered it, through the official
 * SDK, buffered and streamed.
 */
const scripted = scriptedHarness();
const { answers } = scripted;
let harness: Harness;
beforeAll(() => {
  harness = scripted.harness;
});

/** The bodies the upstream was sent, in order. */
const sent: Record<string, unknown>[] = [];
const recorded =
  (answer: Answer): Answer =>
  (response, request, body) => {
    sent.push(JSON.parse(body));
    return answer(response, request, body);
  };

const city = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
const functions = [
  { name: "get_weather", description: "The weather in a city", parameters: city },
  { name: "get_time", parameters: city },
];
const question = [{ role: "user" as const, content: "Weather in Paris?" }];
const args = '{"city":"Paris"}';

/**
 * An OpenAI-format host's call of get_weather, in the shape it was asked in: a legacy `function_call` to a request
 * with `functions` (as OpenAI answers them), else a tool call.
 */
const openAiCall: Answer = (response, request, body) => {
  const legacy = JSON.parse(body).functions !== undefined;
  const call = legacy
    ? { function_call: { name: "get_weather", arguments: args } }
    : {
        tool_calls: [{ id: "call_w", type: "function", function: { name: "get_weather", arguments: args } }],
      };
  const piece = (fields: object) =>
    legacy ? { function_call: fields } : { tool_calls: [{ index: 0, ...fields }] };
  const finish = legacy ? "function_call" : "tool_calls";
  const chunk = (delta: object, finishReason: string | null = null) =>
    data({
      id: "chatcmpl-f",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
  const usage = { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 };
  const parts = [
    chunk({
      role: "assistant",
      content: null,
      ...piece(
        legacy
          ? { name: "get_weather", arguments: "" }
          : { id: "call_w", type: "function", function: { name: "get_weather", arguments: "" } },
      ),
    }),
    chunk(piece(legacy ? { arguments: '{"city":' } : { function: { arguments: '{"city":' } })),
    chunk(piece(legacy ? { arguments: '"Paris"}' } : { function: { arguments: '"Paris"}' } })),
    chunk({}, finish),
    data({ id: "chatcmpl-f", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage }),
    "data: [DONE]\n\n",
  ];
  const whole = {
    id: "chatcmpl-f",
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content: null, ...call }, finish_reason: finish }],
    usage,
  };
  return either(parts, whole)(response, request, body);
};

/** Claude's call of get_weather: its events when streamed, else the message. */
const claudeCall = (() => {
  const toolUse = { type: "tool_use", id: "toolu_w", name: "get_weather", input: {} };
  const message = {
    id: "msg_f",
    type: "message",
    role: "assistant",
    model: "claude",
    content: [],
    stop_reason: null,
  };
  const parts = [
    event("message_start", { message: { ...message, usage: { input_tokens: 30, output_tokens: 1 } } }),
    event("content_block_start", { index: 0, content_block: toolUse }),
    event("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: '{"city":' } }),
    event("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: '"Paris"}' } }),
    event("content_block_stop", { index: 0 }),
    event("message_delta", { delta: { stop_reason: "tool_use" }, usage: { output_tokens: 12 } }),
    event("message_stop", {}),
  ];
  const whole = {
    ...message,
    content: [{ ...toolUse, input: { city: "Paris" } }],
    stop_reason: "tool_use",
    usage: { input_tokens: 30, output_tokens: 12 },
  };
  return either(parts, whole);
})();

/** Gemini's call of get_weather (one chunk streamed, as Gemini sends a call whole). */
const geminiCall = (() => {
  const answer = {
    candidates: [
      {
        content: {
          role: "model",
          parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }],
        },
        finishReason: "STOP",
      },
    ],
    usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 12 },
  };
  return either([data(answer)], answer);
})();

type Legacy = { functions?: unknown; function_call?: unknown; messages?: unknown[] };

/** The same question buffered, then streamed through the SDK's helper; the raw chunks are kept too. */
async function bothWays(model: string, answer: Answer, extra: Legacy = {}) {
  const body = {
    model,
    messages: question,
    functions,
    ...extra,
  } as OpenAI.ChatCompletionCreateParamsNonStreaming;
  answers.push(recorded(answer), recorded(answer));
  const buffered = await harness.openai().chat.completions.create(body);
  const stream = harness.openai().chat.completions.stream({ ...body, stream: true });
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  stream.on("chunk", (chunk) => chunks.push(chunk));
  const streamed = await stream.finalChatCompletion();
  return { buffered, streamed, chunks };
}

describe("legacy function calling", () => {
  for (const [model, answer] of [
    ["openai/gpt-4o-mini", openAiCall],
    ["anthropic/claude-sonnet-4-5", claudeCall],
    ["google/gemini-2.5-flash", geminiCall],
  ] as const) {
    it(`${model}: the call comes back as a function_call, finish_reason function_call, buffered and streamed`, async () => {
      sent.length = 0;
      const { buffered, streamed, chunks } = await bothWays(model, answer);
      for (const completion of [buffered, streamed]) {
        const choice = completion.choices[0];
        expect(choice?.finish_reason).toBe("function_call");
        expect(choice?.message.function_call).toEqual({ name: "get_weather", arguments: args });
        expect(choice?.message.tool_calls ?? []).toEqual([]);
      }
      // The stream speaks the legacy protocol throughout: no tool call deltas beside the function_call ones.
      expect(chunks.some((chunk) => chunk.choices[0]?.delta.tool_calls)).toBe(false);
      expect(chunks.some((chunk) => chunk.choices[0]?.delta.function_call?.name === "get_weather")).toBe(
        true,
      );
      expect(sent).toHaveLength(2);
    });
  }

  it("sends the functions as tools, and function_call as the tool choice", async () => {
    sent.length = 0;
    const { buffered } = await bothWays("anthropic/claude-sonnet-4-5", claudeCall, {
      function_call: { name: "get_weather" },
    });
    expect(buffered.choices[0]?.message.function_call?.name).toBe("get_weather");
    expect(sent[0]).toMatchObject({
      tools: [
        { name: "get_weather", description: "The weather in a city", input_schema: city },
        { name: "get_time", input_schema: city },
      ],
      tool_choice: { type: "tool", name: "get_weather" },
    });
    sent.length = 0;
    await bothWays("openai/gpt-4o-mini", openAiCall, { function_call: "auto" });
    expect(sent[0]).toMatchObject({
      tools: functions.map((fn) => ({ type: "function", function: fn })),
      tool_choice: "auto",
    });
    expect(sent[0]).not.toHaveProperty("functions");
    expect(sent[0]).not.toHaveProperty("function_call");
  });

  it("asks the model for one call at a time: the legacy answer carries one function_call, and more would be billed unseen", async () => {
    sent.length = 0;
    await bothWays("openai/gpt-4o-mini", openAiCall);
    expect(sent[0]).toMatchObject({ parallel_tool_calls: false });
    sent.length = 0;
    await bothWays("anthropic/claude-sonnet-4-5", claudeCall);
    expect(sent[0]).toMatchObject({ tool_choice: { type: "auto", disable_parallel_tool_use: true } });
  });

  it("carries an earlier call and its role: function result to the model as a tool call and its result", async () => {
    const messages = [
      ...question,
      { role: "assistant", content: null, function_call: { name: "get_weather", arguments: args } },
      { role: "function", name: "get_weather", content: "Sunny, 24°C" },
    ];
    sent.length = 0;
    await bothWays("anthropic/claude-sonnet-4-5", claudeCall, { messages });
    const claude = sent[0] as {
      messages: { role: string; content: { type: string; id?: string; tool_use_id?: string }[] }[];
    };
    const [, call, result] = claude.messages;
    expect(call?.content).toMatchObject([
      { type: "tool_use", name: "get_weather", input: { city: "Paris" } },
    ]);
    expect(result?.content).toMatchObject([{ type: "tool_result", content: "Sunny, 24°C" }]);
    expect(result?.content[0]?.tool_use_id).toBe(call?.content[0]?.id);

    sent.length = 0;
    await bothWays("openai/gpt-4o-mini", openAiCall, { messages });
    const openai = sent[0] as { messages: Record<string, unknown>[] };
    const assistant = openai.messages[1] as { tool_calls: { id: string }[] };
    expect(openai.messages[1]).toMatchObject({
      role: "assistant",
      tool_calls: [{ type: "function", function: { name: "get_weather", arguments: args } }],
    });
    expect(openai.messages[1]).not.toHaveProperty("function_call");
    expect(openai.messages[2]).toEqual({
      role: "tool",
      tool_call_id: assistant.tool_calls[0]?.id,
      content: "Sunny, 24°C",
    });
  });

  it("refuses what cannot be carried, by name: a result with no call, both tools and functions, an unknown function", async () => {
    const refused = (body: object) =>
      harness
        .openai()
        .chat.completions.create({
          model: "anthropic/claude-sonnet-4-5",
          messages: question,
          ...body,
        } as never)
        .catch((error: unknown) => error);
    const orphan = await refused({
      functions,
      messages: [...question, { role: "function", name: "get_weather", content: "Sunny" }],
    });
    expect(orphan).toMatchObject({ status: 400, error: { param: "messages.1" } });
    const both = await refused({
      functions,
      tools: [{ type: "function", function: { name: "get_time", parameters: city } }],
    });
    expect(both).toMatchObject({ status: 400, error: { param: "functions" } });
    const unknown = await refused({ functions, function_call: { name: "get_news" } });
    expect(unknown).toMatchObject({ status: 400, error: { param: "function_call" } });
  });
});
