import { describe, expect, it } from "vitest";
import {
  costForTokens,
  divRoundHalfUp,
  formatUsd,
  nanoToUsdNumber,
  nanoToUsdString,
  parseScaledDecimal,
  pricePerMillionToUsdPerToken,
  usdPerTokenToNanoPerMillion,
  usdToNano,
} from "../src/money.js";

describe("usdPerTokenToNanoPerMillion", () => {
  it.each([
    ["1.5e-07", 150_000_000n],
    ["0.00000015", 150_000_000n],
    ["3e-06", 3_000_000_000n],
    ["2.5e-06", 2_500_000_000n],
    ["1.1e-06", 1_100_000_000n], // 1.1e-6 * 1e15 = 1100000000.0000002 in floats
    ["5.9e-07", 590_000_000n], // 0.59 / 1M: 589999999.9999999 in floats
    ["7e-08", 70_000_000n],
    ["1.25e-7", 125_000_000n],
    ["0.0", 0n],
    ["0", 0n],
    ["1.5E-7", 150_000_000n],
    ["3.5e-10", 350_000n],
    ["0.000015", 15_000_000_000n],
  ])("%s USD/token → %s nano per million", (input, expected) => {
    expect(usdPerTokenToNanoPerMillion(input)).toBe(expected);
  });

  it("refuses precision below 1e-15 instead of rounding silently", () => {
    expect(() => usdPerTokenToNanoPerMillion("1e-16")).toThrow(RangeError);
  });

  it("refuses non-numbers", () => {
    expect(() => usdPerTokenToNanoPerMillion("abc")).toThrow(/not a decimal/);
    expect(() => parseScaledDecimal("1.2.3", 9)).toThrow();
  });
});

describe("arithmetic", () => {
  it("rounds half-up once", () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divRoundHalfUp(-15n, 10n)).toBe(-2n);
  });

  it("prices tokens exactly", () => {
    // 1234 tokens at $0.15 / M = $0.0001851 = 185_100 nano
    expect(costForTokens(1234, 150_000_000n)).toBe(185_100n);
    // 1 token at $0.0000005/M rounds to 0.5 nano → 1 (half-up)
    expect(costForTokens(1, 500n)).toBe(0n);
    expect(costForTokens(1, 500_000n)).toBe(1n);
  });

  it("handles amounts above 2^53", () => {
    const big = 2n ** 60n;
    expect(nanoToUsdString(big)).toBe("1152921504.606846976");
    expect(nanoToUsdNumber(big)).toBe(Number("1152921504.606846976"));
  });

  it("gives the number the exact decimal text parses to", () => {
    const samples = [0n, 1n, -1n, 14_100n, 999_999_999n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) - 7n];
    // Pseudo-random amounts at every scale up to 2^53 (and a little past it), of both signs.
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 48_271) % 2_147_483_647;
      samples.push((BigInt(seed) << BigInt(i % 24)) * (i % 2 ? 1n : -1n));
    }
    const mismatches = samples.filter((nano) => nanoToUsdNumber(nano) !== Number(nanoToUsdString(nano)));
    expect(mismatches).toEqual([]);
  });
});

describe("formatting", () => {
  it("formats USD", () => {
    expect(nanoToUsdString(1_500n)).toBe("0.0000015");
    expect(nanoToUsdString(12_340_000_000n)).toBe("12.34");
    expect(nanoToUsdString(-1n)).toBe("-0.000000001");
    expect(formatUsd(12_340_000_000n)).toBe("$12.34");
    expect(formatUsd(1_234_567_890_000n)).toBe("$1,234.56789");
    expect(formatUsd(42_000n)).toBe("$0.000042");
    expect(formatUsd(1_234_567n, { maxDecimals: 4 })).toBe("$0.0012");
    expect(usdToNano("10")).toBe(10_000_000_000n);
    expect(pricePerMillionToUsdPerToken(150_000_000n)).toBe("0.00000015");
  });
});
