import { type CostBreakdown, computeCost, type EndpointPrices, tokenPricesFor } from "@junction/core";
import type { Db, Generation } from "@junction/db";
import { z } from "zod";

const nano = z
  .string()
  .regex(/^\d+$/)
  .transform((value) => BigInt(value))
  .nullish();
const tokenPrices = { input: nano, output: nano, cachedInput: nano, cacheWrite: nano, cacheWrite1h: nano };
// A price-table snapshot of one endpoint (packages/db's priceSnapshot); versions before long-context tiers have none.
const snapshot = z.object({
  ...tokenPrices,
  request: nano,
  longContext: z.object({ above: z.number().int(), ...tokenPrices }).nullish(),
});

export type CostArithmetic = {
  priceTableVersion: number;
  /** The prices the request was charged at: the long-context tier's when its prompt was over the threshold. */
  prices: {
    input: bigint;
    output: bigint;
    cachedInput: bigint | null;
    cacheWrite: bigint | null;
    cacheWrite1h: bigint | null;
    request: bigint | null;
  };
  /** The threshold whose long-context prices applied, or null. */
  longContextAbove: number | null;
  breakdown: CostBreakdown;
  /** Whether recomputing from the pinned price table gives exactly the recorded cost. */
  matchesRecordedCost: boolean;
};

/**
 * Recomputes a generation's cost from the price table version it was billed at, so the request log can show the
 * arithmetic term by term (and prove it adds up to what was charged).
 */
export async function costArithmetic(db: Db, generation: Generation): Promise<CostArithmetic | null> {
  if (generation.priceTableVersion === null || !generation.endpointId) return null;
  const table = await db.priceTableVersion.findUnique({
    where: { version: generation.priceTableVersion },
    select: { prices: true },
  });
  const raw = (table?.prices as Record<string, unknown> | null | undefined)?.[generation.endpointId];
  const parsed = snapshot.safeParse(raw);
  if (!parsed.success || parsed.data.input == null || parsed.data.output == null) return null;
  const { longContext: long, ...base } = parsed.data;
  const prices: EndpointPrices = {
    ...base,
    input: parsed.data.input,
    output: parsed.data.output,
    longContext:
      long?.input == null || long.output == null ? null : { ...long, input: long.input, output: long.output },
  };
  const breakdown = computeCost(generation, prices);
  const tier = tokenPricesFor(generation.promptTokens, prices);
  return {
    priceTableVersion: generation.priceTableVersion,
    prices: {
      input: tier.input,
      output: tier.output,
      cachedInput: tier.cachedInput ?? null,
      cacheWrite: tier.cacheWrite ?? null,
      cacheWrite1h: tier.cacheWrite1h ?? null,
      request: prices.request ?? null,
    },
    longContextAbove: breakdown.longContext ? (prices.longContext?.above ?? null) : null,
    breakdown,
    matchesRecordedCost: breakdown.total === generation.cost,
  };
}
