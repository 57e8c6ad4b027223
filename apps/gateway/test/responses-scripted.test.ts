import { decodeReasoning } from "@junction/providers";
import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "./harness.js";
import { type Answer, data, either, event, scriptedHarness } from "./scripted-upstream.js";

/**
 * POST /v1/responses in front of real hosts' answers, scripted byte for byte: what the buffered response and the raw
 * event stream make of the same upstream answer.
 */
const scripted = scriptedHarness();
let harness: Harness;
beforeAll(() => {
  harness = scripted.harness;
});

type Params = OpenAI.Responses.ResponseCreateParamsNonStreaming;
type StreamEvent = {
  type: string;
  response?: OpenAI.Responses.Response;
  item?: OpenAI.Responses.ResponseOutputItem;
};

/** The buffered response and the raw streamed events for one upstream answer. */
async function bufferedAndStreamed(params: Params, answer: Answer) {
  scripted.answers.push(answer, answer);
  const whole = await harness.openai().responses.create(params);
  const raw = await fetch(`${harness.gateway.url}/v1/responses`, {
    method: "POST",
    headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ ...params, stream: true }),
  });
  const events = [...(await raw.text()).matchAll(/^data: (.*)$/gm)].map(
    (match) => JSON.parse(match[1] as string) as StreamEvent,
  );
  return { whole, events };
}

const weather: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
  strict: false,
};

describe("POST /v1/responses over scripted upstream answers", () => {
  it("answers a model whose host ended it in an error (Gemini's malformed call) as failed, never completed", async () => {
    const usageMetadata = { promptTokenCount: 30, candidatesTokenCount: 4 };
    const malformed = {
      candidates: [
        {
          content: { role: "model", parts: [{ text: "" }] },
          finishReason: "MALFORMED_FUNCTION_CALL",
          finishMessage: "Malformed function call: get_weather(city=Paris",
        },
      ],
      usageMetadata,
    };
    const { whole, events } = await bufferedAndStreamed(
      { model: "google/gemini-2.5-flash", input: "Weather in Paris?", tools: [weather] },
      either([data(malformed)], malformed),
    );
    expect(whole).toMatchObject({ status: "failed", error: { code: "server_error" }, output: [] });
    expect(whole.error?.message).toMatch(/ended in an error/);
    // The tokens the provider billed are still reported.
    expect(whole.usage).toMatchObject({ input_tokens: 30, output_tokens: 4 });

    const types = events.map((streamed) => streamed.type);
    expect(types).not.toContain("response.completed");
    expect(types.at(-1)).toBe("response.failed");
    expect(events.at(-1)?.response).toMatchObject({
      status: "failed",
      error: { code: "server_error" },
      usage: { input_tokens: 30, output_tokens: 4 },
    });
  });

  it("packs Claude's streamed thinking as the buffered answer packs it: one block, not a detail per delta", async () => {
    const usage = { input_tokens: 12, output_tokens: 40 };
    const thinking = ["The user ", "wants the ", "weather."];
    const message = { id: "msg_q", type: "message", role: "assistant", model: "claude-sonnet-4-5" };
    const parts = [
      event("message_start", {
        message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
      }),
      event("content_block_start", { index: 0, content_block: { type: "thinking", thinking: "" } }),
      ...thinking.map((piece) =>
        event("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: piece } }),
      ),
      event("content_block_delta", { index: 0, delta: { type: "signature_delta", signature: "sig" } }),
      event("content_block_stop", { index: 0 }),
      event("content_block_start", {
        index: 1,
        content_block: { type: "tool_use", id: "toolu_1", name: "get_weather", input: {} },
      }),
      event("content_block_delta", {
        index: 1,
        delta: { type: "input_json_delta", partial_json: '{"city":"Paris"}' },
      }),
      event("content_block_stop", { index: 1 }),
      event("message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage }),
      event("message_stop", {}),
    ];
    const whole = {
      ...message,
      content: [
        { type: "thinking", thinking: thinking.join(""), signature: "sig" },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage,
    };
    const result = await bufferedAndStreamed(
      {
        model: "anthropic/claude-sonnet-4-5",
        input: "Weather in Paris?",
        tools: [weather],
        reasoning: { effort: "high" },
        include: ["reasoning.encrypted_content"],
      },
      either(parts, whole),
    );
    const packed = (item: OpenAI.Responses.ResponseOutputItem | undefined) =>
      (item as OpenAI.Responses.ResponseReasoningItem).encrypted_content;
    const buffered = packed(result.whole.output[0]);
    const streamed = result.events.find(
      (streamedEvent) =>
        streamedEvent.type === "response.output_item.done" && streamedEvent.item?.type === "reasoning",
    );
    expect(buffered).toMatch(/^junction\.v1\./);
    expect(decodeReasoning(buffered ?? undefined)).toEqual([
      expect.objectContaining({ type: "reasoning.text", text: thinking.join(""), signature: "sig" }),
    ]);
    expect(decodeReasoning(packed(streamed?.item) ?? undefined)).toEqual(
      decodeReasoning(buffered ?? undefined),
    );
  });
});
