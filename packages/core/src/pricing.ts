import { divRoundHalfUp, maxNano, type NanoUsd, TOKENS_PER_PRICE_UNIT } from "./money.js";

/**
 * Token prices, nano-USD per million tokens. Missing cache prices fall back: cache reads and writes to input, an
 * hour-long cache write to the (five-minute) cache write.
 */
export type TokenPrices = {
  input: NanoUsd;
  output: NanoUsd;
  cachedInput?: NanoUsd | null;
  cacheWrite?: NanoUsd | null;
  /** A cache write kept for an hour (Anthropic's `ttl: "1h"`; 2× input, against 1.25× for five minutes). */
  cacheWrite1h?: NanoUsd | null;
};

/**
 * A long-context tier: when a request's prompt is over `above` tokens, every token of it is charged at these prices
 * (Google's Gemini Pro and Anthropic above 200,000 tokens, OpenAI's GPT-5.4 above 272,000, …).
 */
export type LongContextPrices = TokenPrices & { above: number };

/** An endpoint's prices: per token class, `request` nano-USD per call, and an optional long-context tier. */
export type EndpointPrices = TokenPrices & {
  request?: NanoUsd | null;
  longContext?: LongContextPrices | null;
};

export type TokenUsage = {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  /** Of cacheWriteTokens, those written to the one-hour cache. */
  cacheWrite1hTokens?: number;
};

/** The arithmetic behind a cost, kept for receipts and `usage.cost_details`. */
export type CostBreakdown = {
  uncachedPromptTokens: number;
  /** The prompt was over the long-context tier's threshold: its prices applied. */
  longContext: boolean;
  inputCost: NanoUsd;
  cachedInputCost: NanoUsd;
  /** Five-minute and one-hour cache writes together. */
  cacheWriteCost: NanoUsd;
  /** Of cacheWriteCost, the one-hour writes'. */
  cacheWrite1hCost: NanoUsd;
  outputCost: NanoUsd;
  requestCost: NanoUsd;
  /** Rounded once, half-up, from the exact sum (so parts may not add up to the total by up to 1 nano). */
  total: NanoUsd;
};

/** The token prices a prompt of this size is charged at: the long-context tier's above its threshold. */
export function tokenPricesFor(promptTokens: number, prices: EndpointPrices): TokenPrices {
  const tier = prices.longContext;
  return tier && promptTokens > tier.above ? tier : prices;
}

/**
 * The exact cost of a request: every token class at its price, summed unrounded in nano-USD × 1e6 units, then
 * rounded once half-up to whole nano-USD. Cached and cache-write tokens are part of promptTokens (OpenAI's
 * convention), so they are taken out of the input-price share.
 */
export function computeCost(usage: TokenUsage, prices: EndpointPrices): CostBreakdown {
  const tier = tokenPricesFor(usage.promptTokens, prices);
  const uncached = Math.max(0, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens);
  const hourWrites = Math.min(usage.cacheWrite1hTokens ?? 0, usage.cacheWriteTokens);
  const writePrice = tier.cacheWrite ?? tier.input;
  const input = BigInt(uncached) * tier.input;
  const cached = BigInt(usage.cachedTokens) * (tier.cachedInput ?? tier.input);
  const writtenForAnHour = BigInt(hourWrites) * (tier.cacheWrite1h ?? writePrice);
  const written = BigInt(usage.cacheWriteTokens - hourWrites) * writePrice + writtenForAnHour;
  const output = BigInt(usage.completionTokens) * tier.output;
  const request = (prices.request ?? 0n) * TOKENS_PER_PRICE_UNIT;
  const round = (value: bigint) => divRoundHalfUp(value, TOKENS_PER_PRICE_UNIT);
  return {
    uncachedPromptTokens: uncached,
    longContext: tier !== prices,
    inputCost: round(input),
    cachedInputCost: round(cached),
    cacheWriteCost: round(written),
    cacheWrite1hCost: round(writtenForAnHour),
    outputCost: round(output),
    requestCost: prices.request ?? 0n,
    total: round(input + cached + written + output + request),
  };
}

/**
 * The most a request can cost: every prompt token uncached, every allowed output token generated. The prompt is
 * counted locally, which can fall short of a provider's own tokenizer by a fifth, so the long-context tier's prices
 * are held from four fifths of its threshold on: a prompt counted just below it may be billed above it.
 */
export function worstCaseCost(
  promptTokens: number,
  maxOutputTokens: number,
  prices: EndpointPrices,
): NanoUsd {
  const tier = tokenPricesFor(promptTokens + Math.ceil(promptTokens / 4), prices);
  const cacheWrite = tier.cacheWrite ?? tier.input;
  const inputPrice = maxNano(maxNano(cacheWrite, tier.cacheWrite1h ?? cacheWrite), tier.input);
  return computeCost(
    { promptTokens, completionTokens: maxOutputTokens, cachedTokens: 0, cacheWriteTokens: 0 },
    { input: inputPrice, output: tier.output, request: prices.request },
  ).total;
}
