import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "../src/auth/credentials";
import { isSessionActive, registerSession } from "../src/auth/session-registry";
import { hashToken } from "../src/auth/tokens";
import { memoryMailer } from "../src/index";
import { codeOf, createHarness, type Harness } from "./harness";

let h: Harness;
const mailbox = memoryMailer();

beforeAll(async () => {
  h = await createHarness({ mailer: mailbox });
});
afterAll(async () => {
  await h?.close();
});

/** The token of the newest link to `path` sent to `to`. */
function lastToken(to: string, path: string): string {
  const message = mailbox.sent.filter((mail) => mail.to === to).at(-1);
  const match = message?.text.match(new RegExp(`${path}\\?token=([\\w-]+)`));
  if (!match?.[1]) throw new Error(`no ${path} link sent to ${to}`);
  return match[1];
}

let seq = 0;
async function newAccount(ip = "198.51.100.4") {
  seq++;
  const email = `mail-${seq}-${Date.now()}@example.com`;
  await h.as(null, null, ip).auth.signUp({ name: "Grace", email, password: "correct horse battery" });
  const user = await h.db.user.findUniqueOrThrow({ where: { email } });
  return { email, userId: user.id };
}

describe("email verification", () => {
  it("sign-up mails a link; the database keeps only its SHA-256; the link works once", async () => {
    const { email, userId } = await newAccount();
    const token = lastToken(email, "/verify-email");
    expect(mailbox.sent.at(-1)?.text).toContain(`http://dashboard.test/verify-email?token=${token}`);
    const stored = await h.db.verificationToken.findMany({ where: { identifier: userId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token).toBe(hashToken(token));
    expect(stored[0]?.purpose).toBe("email_verification");
    expect(JSON.stringify(stored)).not.toContain(token);

    expect((await h.db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).toBeNull();
    expect(await h.as(null).auth.verifyEmail({ token })).toEqual({ verified: true });
    expect((await h.db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).toBeInstanceOf(Date);
    expect(await h.as(null).auth.verifyEmail({ token })).toEqual({ verified: false });
    expect((await h.as(userId).account.me())?.user.emailVerified).toBeInstanceOf(Date);
  });

  it("refuses expired tokens, reset tokens, and resends only to unverified accounts", async () => {
    const { email, userId } = await newAccount();
    const first = lastToken(email, "/verify-email");
    expect(await h.as(userId).auth.sendVerificationEmail()).toEqual({ alreadyVerified: false });
    const second = lastToken(email, "/verify-email");
    expect(second).not.toBe(first);
    // A new link replaces the earlier one.
    expect(await h.as(null).auth.verifyEmail({ token: first })).toEqual({ verified: false });
    await h.db.verificationToken.updateMany({
      where: { identifier: userId },
      data: { expires: new Date(Date.now() - 1000) },
    });
    expect(await h.as(null).auth.verifyEmail({ token: second })).toEqual({ verified: false });
    expect(await codeOf(h.as(null).auth.sendVerificationEmail())).toBe("UNAUTHORIZED");
  });
});

describe("password reset", () => {
  it("answers the same for unknown addresses and sends nothing", async () => {
    const before = mailbox.sent.length;
    const unknown = await h
      .as(null, null, "192.0.2.10")
      .auth.requestPasswordReset({ email: "nobody@example.com" });
    expect(unknown).toEqual({ sent: true });
    expect(mailbox.sent.length).toBe(before);
    expect(await h.db.verificationToken.count({ where: { purpose: "password_reset" } })).toBe(0);
  });

  it("resets with a single-use link, ends the user's sessions, and the new password signs in", async () => {
    const { email, userId } = await newAccount();
    // Two browsers signed in before the reset.
    await registerSession(h.redis, h.prefix, userId, { id: "before-1" });
    await registerSession(h.redis, h.prefix, userId, { id: "before-2" });
    expect(
      await h.as(null, null, "192.0.2.11").auth.requestPasswordReset({ email: email.toUpperCase() }),
    ).toEqual({ sent: true });
    const token = lastToken(email, "/reset-password");
    expect(
      (await h.db.verificationToken.findFirstOrThrow({ where: { purpose: "password_reset" } })).token,
    ).toBe(hashToken(token));
    expect(await isSessionActive(h.redis, h.prefix, userId, "before-1")).toBe(true);

    expect(await h.as(null).auth.resetPassword({ token, password: "a brand new passphrase" })).toEqual({
      email,
    });
    expect(await isSessionActive(h.redis, h.prefix, userId, "before-1")).toBe(false);
    expect(await isSessionActive(h.redis, h.prefix, userId, "before-2")).toBe(false);
    await registerSession(h.redis, h.prefix, userId, { id: "after" });
    expect(await isSessionActive(h.redis, h.prefix, userId, "after")).toBe(true);
    expect(await codeOf(h.as(null).auth.resetPassword({ token, password: "yet another passphrase" }))).toBe(
      "BAD_REQUEST",
    );
    const services = { db: h.db, redis: h.redis, redisPrefix: h.prefix };
    expect(
      (await verifyCredentials(services, { email, password: "a brand new passphrase", ip: "192.0.2.11" })).id,
    ).toBe(userId);
    await expect(
      verifyCredentials(services, { email, password: "correct horse battery", ip: "192.0.2.12" }),
    ).rejects.toThrow("Invalid email or password");
    // Following the emailed link proved the address.
    expect((await h.db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).toBeInstanceOf(Date);
  });

  it("refuses an expired link and a verification link used as a reset link", async () => {
    const { email } = await newAccount();
    const verification = lastToken(email, "/verify-email");
    expect(
      await codeOf(
        h.as(null).auth.resetPassword({ token: verification, password: "a brand new passphrase" }),
      ),
    ).toBe("BAD_REQUEST");
    await h.as(null, null, "192.0.2.13").auth.requestPasswordReset({ email });
    const token = lastToken(email, "/reset-password");
    await h.db.verificationToken.updateMany({
      where: { token: hashToken(token) },
      data: { expires: new Date(Date.now() - 1) },
    });
    expect(await codeOf(h.as(null).auth.resetPassword({ token, password: "a brand new passphrase" }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("throttles mails per address silently and requests per network loudly", async () => {
    const { email } = await newAccount();
    const sentTo = () =>
      mailbox.sent.filter((mail) => mail.to === email && mail.subject.includes("Reset")).length;
    for (let i = 0; i < 4; i++) {
      expect(await h.as(null, null, `192.0.2.${30 + i}`).auth.requestPasswordReset({ email })).toEqual({
        sent: true,
      });
    }
    // The sign-up verification mail counts towards the same per-address budget of 3 an hour.
    expect(sentTo()).toBe(2);
    const ip = "192.0.2.99";
    for (let i = 0; i < 10; i++)
      await h.as(null, null, ip).auth.requestPasswordReset({ email: `x${i}@example.com` });
    expect(await codeOf(h.as(null, null, ip).auth.requestPasswordReset({ email: "y@example.com" }))).toBe(
      "TOO_MANY_REQUESTS",
    );
  });
});
