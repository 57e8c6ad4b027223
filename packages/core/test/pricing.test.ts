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

  // claude-sonnet-4-5: $3/M input, $15/M output, $0.30/M cache reads, $3.75/M 5-minute and $6/M 1-hour cache writes;
  // above 200,000 prompt tokens $6, $22.50, $0.60, $7.50 and $12.
  const sonnet = {
    input: 3_000_000_000n,
    output: 15_000_000_000n,
    cachedInput: 300_000_000n,
    cacheWrite: 3_750_000_000n,
    cacheWrite1h: 6_000_000_000n,
    longContext: {
      above: 200_000,
      input: 6_000_000_000n,
      output: 22_500_000_000n,
      cachedInput: 600_000_000n,
      cacheWrite: 7_500_000_000n,
      cacheWrite1h: 12_000_000_000n,
    },
  };

  it("prices one-hour cache writes at their own price, the rest of the writes at the five-minute price", () => {
    const cost = computeCost(
      {
        promptTokens: 3000,
        completionTokens: 0,
        cachedTokens: 0,
        cacheWriteTokens: 3000,
        cacheWrite1hTokens: 1000,
      },
      sonnet,
    );
    // 2,000 × $3.75/M + 1,000 × $6/M = $0.0075 + $0.006
    expect(cost.cacheWriteCost).toBe(13_500_000n);
    expect(cost.cacheWrite1hCost).toBe(6_000_000n);
    expect(cost.total).toBe(13_500_000n);
    // Without a one-hour price, an hour's write costs what a five-minute one does.
    const { cacheWrite1h: _, ...withoutHour } = sonnet;
    expect(
      computeCost(
        {
          promptTokens: 1000,
          completionTokens: 0,
          cachedTokens: 0,
          cacheWriteTokens: 1000,
          cacheWrite1hTokens: 1000,
        },
        withoutHour,
      ).cacheWriteCost,
    ).toBe(3_750_000n);
  });

  it("charges every token of a prompt over the long-context threshold at the tier's prices, and none at 200,000", () => {
    const usage = (promptTokens: number) => ({
      promptTokens,
      completionTokens: 1000,
      cachedTokens: 100_000,
      cacheWriteTokens: 1000,
      cacheWrite1hTokens: 1000,
    });
    const atThreshold = computeCost(usage(200_000), sonnet);
    expect(atThreshold.longContext).toBe(false);
    // 99,000 × $3 + 100,000 × $0.30 + 1,000 × $6 + 1,000 × $15 (per million)
    expect(atThreshold.total).toBe(297_000_000n + 30_000_000n + 6_000_000n + 15_000_000n);
    const over = computeCost(usage(200_001), sonnet);
    expect(over.longContext).toBe(true);
    // 99,001 × $6 + 100,000 × $0.60 + 1,000 × $12 + 1,000 × $22.50
    expect(over.total).toBe(594_006_000n + 60_000_000n + 12_000_000n + 22_500_000n);
  });

  it("holds the long-context tier's dearest prompt price for a prompt over four fifths of its threshold", () => {
    expect(worstCaseCost(100, 1000, sonnet)).toBe(600_000n + 15_000_000n);
    expect(worstCaseCost(300_000, 1000, sonnet)).toBe(3_600_000_000n + 22_500_000n);
    // A local count of 170,000 may be over 200,000 by the provider's tokenizer: held at the tier's prices.
    expect(worstCaseCost(170_000, 1000, sonnet)).toBe(2_040_000_000n + 22_500_000n);
    expect(worstCaseCost(160_000, 1000, sonnet)).toBe(960_000_000n + 15_000_000n);
  });

  it("worst case assumes the dearest input price and every output token", () => {
    expect(
      worstCaseCost(100, 1000, { input: 1_000_000_000n, output: 2_000_000_000n, cacheWrite: 1_250_000_000n }),
    ).toBe(125_000n + 2_000_000n);
  });
});
