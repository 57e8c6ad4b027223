import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Fixed-window attempt counters in Redis, shared by every dashboard instance. A counter expires `windowSeconds`
 * after its first attempt; while it is at `limit`, the action is refused without being attempted.
 */
export type ThrottleRule = { name: string; limit: number; windowSeconds: number };

export const SIGN_IN_PER_EMAIL_AND_IP: ThrottleRule = {
  name: "signin:email-ip",
  limit: 5,
  windowSeconds: 15 * 60,
};
/** A looser cap per email alone, so rotating (spoofed) client addresses does not give unlimited guesses. */
export const SIGN_IN_PER_EMAIL: ThrottleRule = { name: "signin:email", limit: 50, windowSeconds: 15 * 60 };
export const SIGN_UP_PER_IP: ThrottleRule = { name: "signup:ip", limit: 20, windowSeconds: 60 * 60 };

function counterKey(prefix: string, rule: ThrottleRule, subject: string): string {
  // Hash the subject: emails and addresses do not belong in Redis key names.
  const digest = createHash("sha256").update(subject).digest("hex").slice(0, 32);
  return `${prefix}:throttle:${rule.name}:${digest}`;
}

/** Seconds until the action is allowed again, or 0 when it is allowed now. */
export async function throttledFor(
  redis: Redis,
  prefix: string,
  rule: ThrottleRule,
  subject: string,
): Promise<number> {
  const key = counterKey(prefix, rule, subject);
  const [count, ttl] = await Promise.all([redis.get(key), redis.ttl(key)]);
  if (Number(count ?? 0) < rule.limit) return 0;
  return ttl > 0 ? ttl : rule.windowSeconds;
}

export async function recordAttempt(
  redis: Redis,
  prefix: string,
  rule: ThrottleRule,
  subject: string,
): Promise<void> {
  const key = counterKey(prefix, rule, subject);
  await redis.multi().incr(key).expire(key, rule.windowSeconds, "NX").exec();
}

export async function clearAttempts(
  redis: Redis,
  prefix: string,
  rule: ThrottleRule,
  subject: string,
): Promise<void> {
  await redis.del(counterKey(prefix, rule, subject));
}
