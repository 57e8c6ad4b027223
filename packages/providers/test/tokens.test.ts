import { countTokens } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { countPromptTokens, countTextTokens, TokenCountMemo } from "../src/tokens.js";

const long = (word: string) => `${word} `.repeat(1_000);

describe("token count memo", () => {
  it("counts exactly what the tokenizer counts, and remembers every text per scope", () => {
    const memo = new TokenCountMemo();
    const system = long("policy");
    const request = {
      messages: [
        { role: "system" as const, content: system },
        { role: "user" as const, content: "short question" },
      ],
    };
    const direct = countPromptTokens(request);
    expect(memo.countPrompt("org_a", request)).toBe(direct);
    // The long system prompt (by its hash) and the short question (by its text).
    expect([memo.has("org_a", system), memo.has("org_a", "short question")]).toEqual([true, true]);
    expect(memo.size).toBe(2);
    expect(memo.countPrompt("org_a", request)).toBe(direct);
    expect(memo.size).toBe(2);
    // Another organization's identical texts are entries of their own: nothing seen by one tenant speeds up another.
    expect(memo.has("org_b", "short question")).toBe(false);
    expect(memo.count("org_b", system)).toBe(countTextTokens(system));
    expect(memo.count("org_b", "short question")).toBe(countTextTokens("short question"));
    expect(memo.size).toBe(4);
  });

  it("drops the least recently used texts past its size", () => {
    const [a, b, c] = [long("alpha"), long("bravo"), long("charlie")];
    const memo = new TokenCountMemo(2);
    memo.count("s", a);
    memo.count("s", b);
    memo.count("s", a); // a is now the most recently used
    memo.count("s", c); // over the limit: b goes
    expect([a, b, c].map((text) => memo.has("s", text))).toEqual([true, false, true]);
    // The dropped text is tokenized again (same count) and comes back, at the expense of the oldest.
    expect(memo.count("s", b)).toBe(countTextTokens(b));
    expect([a, b, c].map((text) => memo.has("s", text))).toEqual([false, true, true]);
  });
});

describe("countTextTokens", () => {
  it("counts special-token text as text instead of throwing", () => {
    expect(countTextTokens("x <|endoftext|> y")).toBeGreaterThan(3);
  });

  it("counts real text exactly, in any script", () => {
    for (const text of [
      "hello world, this is text. ".repeat(100),
      "日本語、テキスト。".repeat(200),
      "Ünïcödé wörds ".repeat(200),
    ])
      expect(countTextTokens(text)).toBe(countTokens(text, { disallowedSpecial: new Set() }));
  });

  it("estimates runs of one kind of character past 64 (the tokenizer is quadratic in them), over-counting", () => {
    const run = "a".repeat(100_000);
    expect(countTextTokens(run)).toBe(50_000);
    expect(countTextTokens(run)).toBeGreaterThanOrEqual(countTokens("a".repeat(10_000)) * 10);
    // The text around a run is still counted exactly.
    const around = `Hello there. ${"=".repeat(1_000)} Bye now.`;
    expect(countTextTokens(around)).toBe(countTokens("Hello there. ") + 500 + countTokens(" Bye now."));
    // A megabyte of one CJK letter: one token each, counted in a linear pass.
    expect(countTextTokens("あ".repeat(1_000_000))).toBe(1_000_000);
  });
});
