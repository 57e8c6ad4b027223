/**
 * Money is integer nano-USD (1e-9 USD) held in `bigint`. Prices are nano-USD per million tokens, so any
 * published per-token price with up to 15 decimal places is exact. Floats never touch money.
 */
export type NanoUsd = bigint;

export const NANO_PER_USD = 1_000_000_000n;
export const TOKENS_PER_PRICE_UNIT = 1_000_000n;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal string (plain or scientific, as JSON prints numbers) into an exact integer after scaling by
 * 10^scale. Throws when the value has more precision than the scale can hold, rather than rounding silently.
 */
export function parseScaledDecimal(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole = "", fraction = "", exponent = "0"] = match;
  const digits = whole + fraction;
  // The decimal point sits after `whole.length` digits; shift it by the exponent and the requested scale.
  const pointShift = Number(exponent) + scale - fraction.length;
  let value: bigint;
  if (pointShift >= 0) {
    value = BigInt(digits) * 10n ** BigInt(pointShift);
  } else {
    const divisor = 10n ** BigInt(-pointShift);
    const raw = BigInt(digits);
    if (raw % divisor !== 0n) throw new RangeError(`${text} has more precision than 1e-${scale}`);
    value = raw / divisor;
  }
  return sign ? -value : value;
}

/** USD per token (e.g. "1.5e-07") → nano-USD per million tokens (150_000_000n), exactly. */
export function usdPerTokenToNanoPerMillion(usdPerToken: string): NanoUsd {
  return parseScaledDecimal(usdPerToken, 15);
}

/** USD (e.g. "12.50") → nano-USD. */
export function usdToNano(usd: string): NanoUsd {
  return parseScaledDecimal(usd, 9);
}

/** Divides and rounds half away from zero (half-up for the positive amounts money uses). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -rounded : rounded;
}

/** tokens × nano-USD-per-million, unrounded numerator over 1e6 — sum these, then round once. */
export function tokenCostMicroNano(tokens: number | bigint, pricePerMillion: NanoUsd): bigint {
  return BigInt(tokens) * pricePerMillion;
}

/** The exact cost of `tokens` at a per-million price, rounded once to whole nano-USD. */
export function costForTokens(tokens: number | bigint, pricePerMillion: NanoUsd): NanoUsd {
  return divRoundHalfUp(tokenCostMicroNano(tokens, pricePerMillion), TOKENS_PER_PRICE_UNIT);
}

/** Exact decimal USD string with no trailing zeros: 1_500n → "0.0000015". */
export function nanoToUsdString(nano: NanoUsd): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const whole = abs / NANO_PER_USD;
  const fraction = (abs % NANO_PER_USD).toString().padStart(9, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

const SAFE_NANO = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * USD as a JSON number for API fields such as OpenRouter's `usage.cost` (display only, never summed): the double
 * nearest the exact decimal. Below 2^53 nano-USD both operands of the division are exact and IEEE division rounds
 * correctly, so it gives that double, as parsing the decimal text would, without building the text.
 */
export function nanoToUsdNumber(nano: NanoUsd): number {
  if (nano <= SAFE_NANO && nano >= -SAFE_NANO) return Number(nano) / 1e9;
  return Number(nanoToUsdString(nano));
}

/** Human display: "$12.34", "$0.000042" — at least 2 decimals, up to 9 when small amounts need them. */
export function formatUsd(nano: NanoUsd, options: { maxDecimals?: number } = {}): string {
  const maxDecimals = options.maxDecimals ?? 9;
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const step = 10n ** BigInt(9 - maxDecimals);
  const rounded = divRoundHalfUp(abs, step) * step;
  const [whole = "0", fraction = ""] = nanoToUsdString(rounded).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}$${grouped}.${fraction.padEnd(2, "0")}`;
}

/** Per-million nano price → the per-token USD string OpenRouter's /models shows ("0.00000015"). */
export function pricePerMillionToUsdPerToken(pricePerMillion: NanoUsd): string {
  const negative = pricePerMillion < 0n;
  const abs = negative ? -pricePerMillion : pricePerMillion;
  const scale = 10n ** 15n;
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(15, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** The larger of two amounts (Math.max does not take bigint). */
export function maxNano(a: NanoUsd, b: NanoUsd): NanoUsd {
  return a > b ? a : b;
}
