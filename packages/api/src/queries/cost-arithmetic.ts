import { type CostBreakdown, computeCost, type EndpointPrices } from "@junction/core";
import type { Db, Generation } from "@junction/db";
import { z } from "zod";

const nano = z
  .string()
  .regex(/^\d+$/)
  .transform((value) => BigInt(value))
  .nullish();
const snapshot = z.object({ input: nano, output: nano, cachedInput: nano, cacheWrite: nano, request: nano });

export type CostArithmetic = {
  priceTableVersion: number;
  prices: {
    input: bigint;
    output: bigint;
    cachedInput: bigint | null;
    cacheWrite: bigint | null;
    request: bigint | null;
  };
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
  const prices: EndpointPrices = {
    input: parsed.data.input,
    output: parsed.data.output,
    cachedInput: parsed.data.cachedInput ?? null,
    cacheWrite: parsed.data.cacheWrite ?? null,
    request: parsed.data.request ?? null,
  };
  const breakdown = computeCost(generation, prices);
  return {
    priceTableVersion: generation.priceTableVersion,
    prices: {
      input: prices.input,
      output: prices.output,
      cachedInput: prices.cachedInput ?? null,
      cacheWrite: prices.cacheWrite ?? null,
      request: prices.request ?? null,
    },
    breakdown,
    matchesRecordedCost: breakdown.total === generation.cost,
  };
}
