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

  it("counts runs of one kind of character past 64 (the tokenizer is quadratic in them) by their bytes, over-counting", () => {
    expect(countTextTokens("a".repeat(100_000))).toBe(100_000);
    // The text around a run is still counted exactly.
    const around = `Hello there. ${"=".repeat(1_000)} Bye now.`;
    expect(countTextTokens(around)).toBe(countTokens("Hello there. ") + 1_000 + countTokens(" Bye now."));
    // Beyond ASCII: a megabyte of one CJK letter (3 bytes each), dashes and box drawing (punctuation to the tokenizer).
    expect(countTextTokens("あ".repeat(1_000_000))).toBe(3_000_000);
    expect(countTextTokens("—".repeat(40_000))).toBe(120_000);
    // Never under: random letters, astral letters, combining marks.
    const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    // A fixed pseudo-random mix of cases (no repeats for the tokenizer to pack).
    const random = Array.from(
      { length: 2_000 },
      (_, index) => letters[(index * 7_919 + index * index) % 52],
    ).join("");
    for (const text of [random, "𠀀".repeat(2_000), "ẑ̸͕a̷̘".repeat(400)])
      expect(countTextTokens(text)).toBeGreaterThanOrEqual(countTokens(text));
  });
});
