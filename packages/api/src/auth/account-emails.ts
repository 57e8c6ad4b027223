import { JunctionError } from "@junction/core";
import type { Db } from "@junction/db";
import type { Redis } from "ioredis";
import type { Mailer } from "../mail/mailer";
import { hashPassword } from "./password";
import { revokeAllSessions } from "./session-registry";
import { recordAttempt, type ThrottleRule, throttledFor } from "./throttle";
import { consumeToken, issueToken } from "./tokens";

type EmailServices = { db: Db; redis: Redis; redisPrefix: string; mailer: Mailer; dashboardUrl: string };

export const RESET_PER_IP: ThrottleRule = { name: "reset:ip", limit: 10, windowSeconds: 60 * 60 };
/** Per address: a few mails an hour at most, so the form cannot be used to flood someone's inbox. */
export const MAIL_PER_EMAIL: ThrottleRule = { name: "mail:email", limit: 3, windowSeconds: 60 * 60 };

/** Sends (again) the link that confirms the user controls their email address. */
export async function sendVerificationEmail(
  services: EmailServices,
  user: { id: string; email: string },
): Promise<void> {
  const { redis, redisPrefix } = services;
  if ((await throttledFor(redis, redisPrefix, MAIL_PER_EMAIL, user.email)) > 0) {
    throw new JunctionError("rate_limited", "We sent several emails already. Try again in an hour.");
  }
  await recordAttempt(redis, redisPrefix, MAIL_PER_EMAIL, user.email);
  const token = await issueToken(services.db, "email_verification", user.id);
  await services.mailer.send({
    to: user.email,
    subject: "Confirm your email address for Junction",
    text: [
      "Confirm your email address by opening this link (valid for 24 hours):",
      "",
      `${services.dashboardUrl}/verify-email?token=${token}`,
      "",
      "If you did not create a Junction account, ignore this email.",
    ].join("\n"),
  });
}

/** Marks the email of the token's user as verified. False when the link is unknown, used or expired. */
export async function verifyEmail(db: Db, token: string): Promise<boolean> {
  const userId = await consumeToken(db, "email_verification", token);
  if (!userId) return false;
  const updated = await db.user.updateMany({
    where: { id: userId, emailVerified: null },
    data: { emailVerified: new Date() },
  });
  return updated.count > 0 || (await db.user.count({ where: { id: userId } })) > 0;
}

/**
 * Sends a reset link when the address belongs to an account. The caller always gets the same answer, whether or
 * not the account exists (or the address was throttled), so the form does not reveal who has an account.
 */
export async function requestPasswordReset(
  services: EmailServices,
  email: string,
  ip: string,
): Promise<void> {
  const { db, redis, redisPrefix } = services;
  if ((await throttledFor(redis, redisPrefix, RESET_PER_IP, ip)) > 0) {
    throw new JunctionError("rate_limited", "Too many reset requests from your network. Try again later.");
  }
  await recordAttempt(redis, redisPrefix, RESET_PER_IP, ip);
  if ((await throttledFor(redis, redisPrefix, MAIL_PER_EMAIL, email)) > 0) return;
  await recordAttempt(redis, redisPrefix, MAIL_PER_EMAIL, email);
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!user) return;
  const token = await issueToken(db, "password_reset", user.id);
  await services.mailer.send({
    to: user.email,
    subject: "Reset your Junction password",
    text: [
      "Someone (hopefully you) asked to reset the password of your Junction account.",
      "Choose a new password with this link (valid for 1 hour, usable once):",
      "",
      `${services.dashboardUrl}/reset-password?token=${token}`,
      "",
      "If you did not ask for this, ignore this email: your password stays as it is.",
    ].join("\n"),
  });
}

/**
 * Sets a new password from a reset link and ends every session of that user (they sign in again with the new
 * password). Following the emailed link also proves the address, so it counts as verified.
 */
export async function resetPassword(
  services: EmailServices,
  token: string,
  password: string,
): Promise<{ email: string }> {
  const userId = await consumeToken(services.db, "password_reset", token);
  if (!userId) {
    throw new JunctionError("bad_request", "This reset link is invalid, expired or already used.", {
      param: "token",
    });
  }
  const now = new Date();
  const user = await services.db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(password) },
    select: { email: true, emailVerified: true },
  });
  if (!user.emailVerified) {
    await services.db.user.update({ where: { id: userId }, data: { emailVerified: now } });
  }
  await revokeAllSessions(services.redis, services.redisPrefix, userId);
  return { email: user.email };
}
