import type { Redis } from "ioredis";

/**
 * Which providers the running gateways can call with the platform's credentials, as each last announced (the
 * dashboard cannot see the gateways' environment). An entry lives for `SERVED_PROVIDERS_TTL_MS` unless re-announced.
 * `*` says a gateway announced at all (possibly no provider: a BYOK-only deployment).
 */
const servedProvidersKey = (prefix: string) => `${prefix}:providers:served`;
const ANNOUNCED = "*";
export const SERVED_PROVIDERS_TTL_MS = 120_000;

export async function announceServedProviders(
  redis: Redis,
  prefix: string,
  providerIds: string[],
  now = Date.now(),
): Promise<void> {
  const expires = now + SERVED_PROVIDERS_TTL_MS;
  await redis.zadd(servedProvidersKey(prefix), ...[ANNOUNCED, ...providerIds].flatMap((id) => [expires, id]));
}

/** The providers announced and not expired; undefined when no gateway has announced lately (availability unknown). */
export async function servedProviders(
  redis: Redis,
  prefix: string,
  now = Date.now(),
): Promise<Set<string> | undefined> {
  const ids = new Set(await redis.zrangebyscore(servedProvidersKey(prefix), now, "+inf"));
  return ids.delete(ANNOUNCED) ? ids : undefined;
}
