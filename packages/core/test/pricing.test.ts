import { describe, expect, it } from "vitest";
import { computeCost, worstCaseCost } from "../src/pricing.js";

const gpt4oMini = { input: 150_000_000n, output: 600_000_000n, cachedInput: 75_000_000n };

describe("computeCost", () => {
  it("prices each token class and rounds once", () => {
    const cost = computeCost(
      { promptTokens: 1000, completionTokens: 500, cachedTokens: 400, cacheWriteTokens: 0 },
      gpt4oMini,
    );
    // 600 × 0.15 + 400 × 0.075 + 500 × 0.6 = 90 + 30 + 300 = 420 (per million) → 420_000 nano... × 1e3
    expect(cost.inputCost).toBe(90_000n);
    expect(cost.cachedInputCost).toBe(30_000n);
    expect(cost.outputCost).toBe(300_000n);
    expect(cost.total).toBe(420_000n);
  });

  it("rounds half-up on the exact sum, not per part", () => {
    // 1 token at 0.4 nano + 1 token at 0.4 nano = 0.8 → 1, although each part alone rounds to 0.
    const cost = computeCost(
      { promptTokens: 1, completionTokens: 1, cachedTokens: 0, cacheWriteTokens: 0 },
      { input: 400_000n, output: 400_000n },
    );
    expect(cost.inputCost).toBe(0n);
    expect(cost.total).toBe(1n);
  });

  it("adds per-request prices and falls back to input for cache prices", () => {
    const cost = computeCost(
      { promptTokens: 10, completionTokens: 0, cachedTokens: 5, cacheWriteTokens: 5 },
      { input: 1_000_000n, output: 0n, request: 7n },
    );
    expect(cost.total).toBe(10n + 7n);
  });

  it("worst case assumes the dearest input price and every output token", () => {
    expect(
      worstCaseCost(100, 1000, { input: 1_000_000_000n, output: 2_000_000_000n, cacheWrite: 1_250_000_000n }),
    ).toBe(125_000n + 2_000_000n);
  });
});
