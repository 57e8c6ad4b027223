import { JunctionError } from "@junction/core";
import type { Db } from "@junction/db";
import type { Redis } from "ioredis";
import { signInInput } from "../schemas";
import { decoyPasswordHash, verifyPassword } from "./password";
import {
  clearAttempts,
  recordAttempt,
  SIGN_IN_PER_EMAIL,
  SIGN_IN_PER_EMAIL_AND_IP,
  type ThrottleRule,
  throttledFor,
} from "./throttle";

export type SignedInUser = { id: string; email: string; name: string | null };

export const INVALID_CREDENTIALS = "Invalid email or password";

function minutes(seconds: number): string {
  const value = Math.max(1, Math.ceil(seconds / 60));
  return `${value} minute${value === 1 ? "" : "s"}`;
}

/**
 * Email + password sign-in (next-auth's Credentials `authorize` calls this). Failures are counted per email+IP and
 * per email; over the limit the password is not even checked. Unknown emails cost a full scrypt too, so timing
 * does not reveal which accounts exist.
 */
export async function verifyCredentials(
  services: { db: Db; redis: Redis; redisPrefix: string },
  attempt: { email: unknown; password: unknown; ip: string },
): Promise<SignedInUser> {
  const parsed = signInInput.safeParse({ email: attempt.email, password: attempt.password });
  if (!parsed.success) throw new JunctionError("unauthorized", INVALID_CREDENTIALS);
  const { email, password } = parsed.data;
  const { db, redis, redisPrefix } = services;
  const rules: [ThrottleRule, string][] = [
    [SIGN_IN_PER_EMAIL_AND_IP, `${email}|${attempt.ip}`],
    [SIGN_IN_PER_EMAIL, email],
  ];

  for (const [rule, subject] of rules) {
    const wait = await throttledFor(redis, redisPrefix, rule, subject);
    if (wait > 0) {
      throw new JunctionError(
        "rate_limited",
        `Too many failed sign-in attempts. Try again in ${minutes(wait)}.`,
        {
          metadata: { retryAfterSeconds: wait },
        },
      );
    }
  }

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user?.passwordHash || !valid) {
    await Promise.all(rules.map(([rule, subject]) => recordAttempt(redis, redisPrefix, rule, subject)));
    throw new JunctionError("unauthorized", INVALID_CREDENTIALS);
  }
  await clearAttempts(redis, redisPrefix, SIGN_IN_PER_EMAIL_AND_IP, `${email}|${attempt.ip}`);
  return { id: user.id, email: user.email, name: user.name };
}
