import type { CatalogEndpoint } from "@junction/routing/catalog";
import { describe, expect, it } from "vitest";
import { createOpenAiSink } from "../src/formats/openai.js";

const endpoint = { modelId: "openai/gpt-4o-mini", providerName: 'OpenAI "quoted"' } as CatalogEndpoint;

describe("OpenAI stream sink", () => {
  it("writes delta chunks as complete chat.completion.chunk events (text, tool-call deltas, escapes)", () => {
    const sink = createOpenAiSink("gen_01", 1_700_000_000, { includeUsage: true, excludeReasoning: false });
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

  it("leaves reasoning out when asked to: a reasoning-only delta writes nothing, a mixed one keeps the rest", () => {
    const sink = createOpenAiSink("gen_01", 1_700_000_000, { includeUsage: false, excludeReasoning: true });
    sink.begin(endpoint);
    const reasoning = '{"reasoning":"Let me think."}';
    expect(sink.event({ type: "delta", delta: JSON.parse(reasoning), json: reasoning })).toBe("");
    const details = [{ type: "reasoning.text" as const, text: "", signature: "sig" }];
    expect(sink.event({ type: "delta", delta: { content: "", reasoning_details: details } })).toBe("");
    const mixed = sink.event({ type: "delta", delta: { reasoning: "so", content: "Hello" } });
    expect(JSON.parse(mixed.slice("data: ".length)).choices[0].delta).toEqual({ content: "Hello" });
    const plain = '{"content":"there"}';
    expect(sink.event({ type: "delta", delta: JSON.parse(plain), json: plain })).toContain(
      `"delta":${plain},`,
    );
  });
});
