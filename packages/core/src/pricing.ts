import { divRoundHalfUp, maxNano, type NanoUsd, TOKENS_PER_PRICE_UNIT } from "./money.js";

/** An endpoint's prices: nano-USD per million tokens; `request` per call. Missing cache prices fall back to input. */
export type EndpointPrices = {
  input: NanoUsd;
  output: NanoUsd;
  cachedInput?: NanoUsd | null;
  cacheWrite?: NanoUsd | null;
  request?: NanoUsd | null;
};

export type TokenUsage = {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
};

/** The arithmetic behind a cost, kept for receipts and `usage.cost_details`. */
export type CostBreakdown = {
  uncachedPromptTokens: number;
  inputCost: NanoUsd;
  cachedInputCost: NanoUsd;
  cacheWriteCost: NanoUsd;
  outputCost: NanoUsd;
  requestCost: NanoUsd;
  /** Rounded once, half-up, from the exact sum (so parts may not add up to the total by up to 1 nano). */
  total: NanoUsd;
};

/**
 * The exact cost of a request: every token class at its price, summed unrounded in nano-USD × 1e6 units, then
 * rounded once half-up to whole nano-USD. Cached and cache-write tokens are part of promptTokens (OpenAI's
 * convention), so they are taken out of the input-price share.
 */
export function computeCost(usage: TokenUsage, prices: EndpointPrices): CostBreakdown {
  const uncached = Math.max(0, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens);
  const input = BigInt(uncached) * prices.input;
  const cached = BigInt(usage.cachedTokens) * (prices.cachedInput ?? prices.input);
  const written = BigInt(usage.cacheWriteTokens) * (prices.cacheWrite ?? prices.input);
  const output = BigInt(usage.completionTokens) * prices.output;
  const request = (prices.request ?? 0n) * TOKENS_PER_PRICE_UNIT;
  const round = (value: bigint) => divRoundHalfUp(value, TOKENS_PER_PRICE_UNIT);
  return {
    uncachedPromptTokens: uncached,
    inputCost: round(input),
    cachedInputCost: round(cached),
    cacheWriteCost: round(written),
    outputCost: round(output),
    requestCost: prices.request ?? 0n,
    total: round(input + cached + written + output + request),
  };
}

/** The most a request can cost: every prompt token uncached, every allowed output token generated. */
export function worstCaseCost(
  promptTokens: number,
  maxOutputTokens: number,
  prices: EndpointPrices,
): NanoUsd {
  const cacheWrite = prices.cacheWrite ?? prices.input;
  const inputPrice = maxNano(cacheWrite, prices.input);
  return computeCost(
    { promptTokens, completionTokens: maxOutputTokens, cachedTokens: 0, cacheWriteTokens: 0 },
    { ...prices, input: inputPrice },
  ).total;
}
