import type { Redis } from "ioredis";

/**
 * Which providers the running gateways can call with the platform's credentials, as each last announced (the
 * dashboard cannot see the gateways' environment). An entry lives for `SERVED_PROVIDERS_TTL_MS` unless re-announced.
 */
const servedProvidersKey = (prefix: string) => `${prefix}:providers:served`;
export const SERVED_PROVIDERS_TTL_MS = 120_000;

export async function announceServedProviders(
  redis: Redis,
  prefix: string,
  providerIds: string[],
  now = Date.now(),
): Promise<void> {
  if (!providerIds.length) return;
  const expires = now + SERVED_PROVIDERS_TTL_MS;
  await redis.zadd(servedProvidersKey(prefix), ...providerIds.flatMap((id) => [expires, id]));
}

/** The providers announced and not expired; undefined when no gateway has announced any (availability unknown). */
export async function servedProviders(
  redis: Redis,
  prefix: string,
  now = Date.now(),
): Promise<Set<string> | undefined> {
  const ids = await redis.zrangebyscore(servedProvidersKey(prefix), now, "+inf");
  return ids.length ? new Set(ids) : undefined;
}
