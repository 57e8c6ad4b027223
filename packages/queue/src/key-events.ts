import type { Redis } from "ioredis";

/** Redis pub/sub channel on which key revocations are announced to every gateway instance. */
export const keyRevocationChannel = (prefix: string): string => `${prefix}:keys:revoked`;

/** Publishes a revoked key's SHA-256 so every gateway instance drops it from its cache at once. */
export async function publishKeyRevoked(redis: Redis, prefix: string, keyHash: string): Promise<void> {
  await redis.publish(keyRevocationChannel(prefix), keyHash);
}
