import { describe, expect, it } from "vitest";
import { plainContentDelta } from "../src/adapters/openai.js";

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o-mini",
    system_fingerprint: "fp_1",
    choices,
    ...extra,
  });
const choice = (delta: unknown, finish: string | null = null) => ({
  index: 0,
  delta,
  logprobs: null,
  finish_reason: finish,
});

describe("plainContentDelta (reading a plain content chunk without parsing all of it)", () => {
  it("reads the delta of a plain content chunk exactly as JSON.parse does", () => {
    const tricky = [
      "Hello ",
      "",
      'quotes " and \\ backslashes \\" and braces } { ] [',
      'text that looks like keys: "delta":{"content":"x"} "usage":{} "error":"no"',
      "üñí 😀 \u2028 \n\t",
    ];
    for (const content of tricky) {
      for (const data of [chunk([choice({ content })]), chunk([choice({ content })], { usage: null })]) {
        // The delta, and its JSON text as the upstream wrote it (passed on as is).
        expect(plainContentDelta(data), data).toEqual({
          delta: { content },
          json: JSON.stringify({ content }),
        });
      }
    }
    const role = { role: "assistant", content: "", refusal: null };
    expect(plainContentDelta(chunk([choice(role)]))).toEqual({ delta: role, json: JSON.stringify(role) });
  });

  it("leaves every other chunk to the full parse", () => {
    const others = [
      chunk([choice({}, "stop")]), // a finish reason
      chunk([], { usage: { prompt_tokens: 1, completion_tokens: 2 } }), // the usage chunk
      chunk([choice({ content: "a" })], { usage: { prompt_tokens: 1 } }), // usage beside a delta
      chunk([choice({ content: "a" }), { ...choice({ content: "b" }), index: 1 }]), // several choices
      chunk([choice({ tool_calls: [{ index: 0, function: { arguments: "{" } }] })]), // tool calls
      chunk([choice({ content: "a" })], { error: { message: "overloaded" } }), // an error
      JSON.stringify(JSON.parse(chunk([choice({ content: "a" })])), null, 1), // other spacing
      '{"choices":[{"index":0,"delta":{"content":"cut', // a cut or broken chunk
      '{"choices":[{"index":0,"delta":{"content":x},"finish_reason":null}]}',
      '{"delta":{"content":"outside choices"},"finish_reason":null}',
      chunk([choice({ content: "a" })], { myerror: 1, error: { message: "after a longer key" } }),
      chunk([{ finish_reason: null, index: 0, delta: { content: "a" } }]), // another field order
    ];
    for (const data of others) expect(plainContentDelta(data), data).toBeUndefined();
  });

  it("reads a content-only delta without JSON.parse only where that gives JSON.parse's answer", () => {
    const plain = (content: string) => chunk([choice({ content })]);
    expect(plainContentDelta(plain("x"))).toEqual({ delta: { content: "x" }, json: '{"content":"x"}' });
    expect(plainContentDelta(plain('a "quoted" word'))?.delta).toEqual({ content: 'a "quoted" word' });
    // A raw control character in a string is not JSON: left to the full parse (which reports it).
    expect(plainContentDelta(plain("raw\ncontrol").replace("\\n", "\n"))).toBeUndefined();
    // Anything beside the content: JSON.parse reads it.
    const both = { content: "a", refusal: null };
    expect(plainContentDelta(chunk([choice(both)]))).toEqual({ delta: both, json: JSON.stringify(both) });
  });
});
