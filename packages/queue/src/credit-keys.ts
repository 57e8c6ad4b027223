import type { Redis } from "ioredis";

/**
 * Redis keys of an organization's credit counters (the gateway's reservations). The expiry set is global: it
 * lists every live reservation with its deadline, so any gateway can return those of a crashed one.
 */
export function creditKeys(prefix: string, organizationId: string) {
  const base = `${prefix}:credit:org:${organizationId}`;
  return {
    available: `${base}:available`,
    reserved: `${base}:reserved`,
    /** The part of `reserved` that ended requests hold (their costs until their rows are durable): spent, not coming back. */
    settling: `${base}:settling`,
    reservations: `${base}:reservations`,
    /** Every cost ever taken from `reserved` or `available` (only its changes matter: a refresh's window). */
    spent: `${base}:spent`,
    /** Counts `creditsChanged` calls: a refresh that saw one start during its window leaves the counter alone. */
    changes: `${base}:changes`,
    expiry: `${prefix}:credit:expiry`,
  };
}

/**
 * A key's credit-limit counters for the limit period starting at `periodStartMs` (0 for a lifetime limit): what
 * remains of the limit, and what live requests hold of it.
 */
export function keyCreditKeys(prefix: string, keyId: string, periodStartMs: number) {
  const base = `${prefix}:credit:key:${keyId}:${periodStartMs}`;
  return { keyRemaining: `${base}:remaining`, keyReserved: `${base}:reserved` };
}

/**
 * Call after adding credit outside a request (top-up, adjustment, refund): the gateways rebuild the organization's
 * spendable amount from Postgres on its next request.
 */
export async function creditsChanged(redis: Redis, prefix: string, organizationId: string): Promise<void> {
  const keys = creditKeys(prefix, organizationId);
  await redis.multi().del(keys.available).incr(keys.changes).exec();
}
