import type { CatalogEndpoint } from "@junction/routing/catalog";
import { describe, expect, it } from "vitest";
import { createOpenAiSink } from "../src/formats/openai.js";

const endpoint = { modelId: "openai/gpt-4o-mini", providerName: 'OpenAI "quoted"' } as CatalogEndpoint;

describe("OpenAI stream sink", () => {
  it("writes delta chunks as complete chat.completion.chunk events (text, tool-call deltas, escapes)", () => {
    const sink = createOpenAiSink("gen_01", 1_700_000_000, true);
    const opening = JSON.parse(sink.begin(endpoint).slice("data: ".length));
    const deltas = [
      { content: 'He said "hi"\n\u2028' },
      {
        tool_calls: [
          { index: 1, id: "call_1", type: "function" as const, function: { name: "f", arguments: '{"a"' } },
        ],
      },
    ];
    for (const delta of deltas) {
      const text = sink.event({ type: "delta", delta });
      expect(text.startsWith("data: ")).toBe(true);
      expect(text.endsWith("\n\n")).toBe(true);
      expect(JSON.parse(text.slice("data: ".length))).toEqual({
        ...opening,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
      });
    }
    expect(opening).toMatchObject({ id: "gen_01", model: "openai/gpt-4o-mini", provider: 'OpenAI "quoted"' });
    expect(sink.event({ type: "finish", finishReason: "stop" })).toBe("");
  });
});
