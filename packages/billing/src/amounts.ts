import { formatUsd, JunctionError, type NanoUsd, usdToNano } from "@junction/core";

/** Stripe charges whole cents; one cent is 10,000,000 nano-USD. */
export const NANO_PER_CENT = 10_000_000n;

export type TopUpLimits = { minNano: NanoUsd; maxNano: NanoUsd };

/** What one top-up may be: enough to be worth the card fee, small enough that a typo is not a disaster. */
export const DEFAULT_TOP_UP_LIMITS: TopUpLimits = { minNano: usdToNano("5"), maxNano: usdToNano("10000") };

export function centsToNano(cents: number): NanoUsd {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  return BigInt(cents) * NANO_PER_CENT;
}

/** Exact cents of a nano amount, or null when it is not a whole number of cents. */
export function nanoToCents(nano: NanoUsd): number | null {
  return nano % NANO_PER_CENT === 0n ? Number(nano / NANO_PER_CENT) : null;
}

/** Parses a top-up amount typed in USD ("25", "12.50") and checks it against the limits. */
export function parseTopUpAmount(
  amountUsd: string,
  limits: TopUpLimits = DEFAULT_TOP_UP_LIMITS,
): { nano: NanoUsd; cents: number } {
  let nano: NanoUsd;
  try {
    nano = usdToNano(amountUsd);
  } catch {
    throw new JunctionError("bad_request", "Enter an amount in USD, like 10 or 12.50", {
      param: "amountUsd",
    });
  }
  const cents = nanoToCents(nano);
  if (cents === null) {
    throw new JunctionError("bad_request", "Top-ups are charged in whole cents", { param: "amountUsd" });
  }
  if (nano < limits.minNano || nano > limits.maxNano) {
    throw new JunctionError(
      "bad_request",
      `A top-up must be between ${formatUsd(limits.minNano)} and ${formatUsd(limits.maxNano)}`,
      { param: "amountUsd" },
    );
  }
  return { nano, cents };
}
