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
    reservations: `${base}:reservations`,
    expiry: `${prefix}:credit:expiry`,
  };
}

/**
 * Call after adding credit outside a request (top-up, adjustment, refund): the gateways rebuild the organization's
 * spendable amount from Postgres on its next request.
 */
export async function creditsChanged(redis: Redis, prefix: string, organizationId: string): Promise<void> {
  await redis.del(creditKeys(prefix, organizationId).available);
}
