import type { CatalogEndpoint } from "@junction/routing/catalog";
import { describe, expect, it } from "vitest";
import { createResponsesSink } from "../src/formats/responses.js";
import type { SettledGeneration } from "../src/generation.js";

const endpoint = { modelId: "openai/gpt-4o-mini", providerName: "OpenAI" } as CatalogEndpoint;
const settled = {
  usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  cost: { inputCost: 1n, cachedInputCost: 0n, cacheWriteCost: 0n, outputCost: 2n, total: 3n },
  upstreamCost: 3n,
  isByok: false,
  estimated: false,
} as unknown as SettledGeneration;

/** The events a piece of the stream writes, parsed. */
const parse = (text: string) =>
  text
    .split("\n\n")
    .filter(Boolean)
    .map((event) => JSON.parse(event.slice(event.indexOf("data: ") + 6)) as Record<string, unknown>);

describe("Responses stream sink", () => {
  it("starts a new function call for a new id, even at an index seen before (hosts that send every call at 0)", () => {
    const sink = createResponsesSink("resp_1", 1_700_000_000, undefined);
    sink.begin(endpoint);
    const call = (id: string, args: string) => ({
      type: "delta" as const,
      delta: {
        tool_calls: [{ index: 0, id, type: "function" as const, function: { name: "f", arguments: args } }],
      },
    });
    sink.event(call("call_a", '{"x":1}'));
    sink.event(call("call_b", '{"y":2}'));
    const done = parse(sink.end("tool_calls", settled)).filter(
      (event) => event.type === "response.output_item.done",
    );
    expect(done.map((event) => event.item)).toMatchObject([
      { type: "function_call", call_id: "call_a", arguments: '{"x":1}', status: "completed" },
      { type: "function_call", call_id: "call_b", arguments: '{"y":2}', status: "completed" },
    ]);
  });
});
