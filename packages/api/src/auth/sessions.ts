import type { Redis } from "ioredis";

/**
 * Ending a user's sessions. Dashboard sessions are next-auth JWTs (the Credentials provider requires them), which
 * cannot be deleted server-side; instead the user gets a "signed in before" cut-off in Redis and the session
 * callback drops any token issued before it. The marker outlives the longest session (30 days).
 */
const MARKER_TTL_SECONDS = 31 * 24 * 60 * 60;

const markerKey = (prefix: string, userId: string) => `${prefix}:sessions:revoked-before:${userId}`;

export async function endSessionsBefore(
  redis: Redis,
  prefix: string,
  userId: string,
  at: Date,
): Promise<void> {
  await redis.set(markerKey(prefix, userId), String(at.getTime()), "EX", MARKER_TTL_SECONDS);
}

/** Whether a session signed in at `signedInAtMs` has been ended since. */
export async function isSessionEnded(
  redis: Redis,
  prefix: string,
  userId: string,
  signedInAtMs: number,
): Promise<boolean> {
  const cutOff = Number((await redis.get(markerKey(prefix, userId))) ?? 0);
  return signedInAtMs < cutOff;
}
