import { isJunctionError } from "@junction/core";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "../src/auth/credentials";
import { hashPassword, verifyPassword } from "../src/auth/password";
import { errorData } from "../src/errors";
import { createHarness, type Harness, STARTER_CREDIT } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("passwords", () => {
  it("hashes with scrypt and a random salt, and verifies only the right password", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword("correct horse battery", first)).toBe(true);
    expect(await verifyPassword("correct horse batterY", first)).toBe(false);
    expect(await verifyPassword("anything", "not-a-hash")).toBe(false);
  });
});

describe("auth.signUp", () => {
  it("creates the user, an organization with an owner membership and the starter credit, exactly once", async () => {
    const email = `Grace.${Date.now()}@Example.com`;
    const input = { name: "Grace Hopper", email, password: "correct horse battery" };
    const { organizationId } = await h.as(null).auth.signUp(input);

    const user = await h.db.user.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    expect(user.name).toBe("Grace Hopper");
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain("correct horse battery");
    const memberships = await h.db.membership.findMany({ where: { userId: user.id } });
    expect(memberships).toEqual([expect.objectContaining({ organizationId, role: "owner" })]);
    const organization = await h.db.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(organization.name).toBe("Grace Hopper's organization");

    const ledger = await h.db.creditLedgerEntry.findMany({ where: { organizationId } });
    expect(ledger).toEqual([
      expect.objectContaining({
        kind: "promotional",
        amount: STARTER_CREDIT,
        idempotencyKey: `starter:${organizationId}`,
      }),
    ]);

    // The same email again (any case): refused, and nothing new is created.
    const again = await rejection(h.as(null).auth.signUp({ ...input, email: email.toUpperCase() }));
    expect(again).toBeInstanceOf(TRPCError);
    expect((again as TRPCError).code).toBe("CONFLICT");
    expect(errorData(again as TRPCError).data.fieldErrors).toEqual({
      email: [expect.stringContaining("already exists")],
    });
    expect(await h.db.user.count({ where: { email: email.toLowerCase() } })).toBe(1);
    expect(await h.db.membership.count({ where: { userId: user.id } })).toBe(1);
    expect(await h.db.creditLedgerEntry.count({ where: { organizationId, kind: "promotional" } })).toBe(1);

    // The account sees its organization and balance.
    const me = await h.as(user.id).account.me();
    expect(me?.active).toEqual({ organizationId, role: "owner" });
    expect((await h.as(user.id).credits.summary()).balance).toBe(STARTER_CREDIT);
  });

  it("rejects invalid input field by field", async () => {
    const error = await rejection(h.as(null).auth.signUp({ name: "", email: "nope", password: "short" }));
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    const fields = errorData(error as TRPCError).data.fieldErrors ?? {};
    expect(Object.keys(fields).sort()).toEqual(["email", "name", "password"]);
    expect(await h.db.user.count({ where: { email: "nope" } })).toBe(0);
  });

  it("a second organization gets no starter credit", async () => {
    const { organizationId: first } = await h.as(null).auth.signUp({
      name: "Linus",
      email: `linus.${Date.now()}@example.com`,
      password: "correct horse battery",
    });
    const owner = await h.db.membership.findFirstOrThrow({ where: { organizationId: first } });
    const second = await h.as(owner.userId).account.createOrganization({ name: "Side project" });
    expect(await h.db.creditLedgerEntry.count({ where: { organizationId: second.id } })).toBe(0);
    const me = await h.as(owner.userId, second.id).account.me();
    expect(me?.organizations.map((org) => org.id)).toEqual([first, second.id]);
    expect(me?.active).toEqual({ organizationId: second.id, role: "owner" });
  });
});

describe("verifyCredentials", () => {
  const password = "correct horse battery";

  it("signs in with the right password and throttles after 5 failures per email and IP", async () => {
    const email = `throttle.${Date.now()}@example.com`;
    await h.as(null).auth.signUp({ name: "Tess", email, password });
    const services = { db: h.db, redis: h.redis, redisPrefix: h.prefix };

    const user = await verifyCredentials(services, {
      email: email.toUpperCase(),
      password,
      ip: "198.51.100.1",
    });
    expect(user.email).toBe(email);

    for (let attempt = 0; attempt < 5; attempt++) {
      const error = await rejection(
        verifyCredentials(services, { email, password: "wrong password!", ip: "198.51.100.1" }),
      );
      expect(isJunctionError(error) && error.code).toBe("unauthorized");
    }
    // Locked for this email from this address, even with the right password…
    const locked = await rejection(verifyCredentials(services, { email, password, ip: "198.51.100.1" }));
    expect(isJunctionError(locked) && locked.code).toBe("rate_limited");
    expect((locked as Error).message).toMatch(/Try again in 15 minutes/);
    // …but not from another address.
    expect((await verifyCredentials(services, { email, password, ip: "198.51.100.2" })).email).toBe(email);
  });

  it("locks an email out after 50 failures from any mix of addresses (rotating IPs buy nothing)", async () => {
    const email = `lockout.${Date.now()}@example.com`;
    await h.as(null).auth.signUp({ name: "Lou", email, password });
    const services = { db: h.db, redis: h.redis, redisPrefix: h.prefix };
    for (let attempt = 0; attempt < 50; attempt++) {
      const error = await rejection(
        verifyCredentials(services, { email, password: "wrong password!", ip: `192.0.2.${attempt}` }),
      );
      expect(isJunctionError(error) && error.code).toBe("unauthorized");
    }
    // A fresh address, the right password: still locked out for this email.
    const locked = await rejection(verifyCredentials(services, { email, password, ip: "203.0.113.200" }));
    expect(isJunctionError(locked) && locked.code).toBe("rate_limited");
    expect(
      (locked as { metadata?: { retryAfterSeconds?: number } }).metadata?.retryAfterSeconds,
    ).toBeGreaterThan(0);
    // Other accounts are unaffected.
    const other = `other.${Date.now()}@example.com`;
    await h.as(null).auth.signUp({ name: "Ola", email: other, password });
    expect((await verifyCredentials(services, { email: other, password, ip: "203.0.113.200" })).email).toBe(
      other,
    );
  });

  it("answers unknown emails and wrong passwords alike", async () => {
    const services = { db: h.db, redis: h.redis, redisPrefix: h.prefix };
    const unknown = await rejection(
      verifyCredentials(services, { email: "ghost@example.com", password, ip: "192.0.2.1" }),
    );
    const malformed = await rejection(
      verifyCredentials(services, { email: 42, password: null, ip: "192.0.2.1" }),
    );
    expect((unknown as Error).message).toBe("Invalid email or password");
    expect((malformed as Error).message).toBe("Invalid email or password");
  });
});

describe("signInWithOAuth", () => {
  it("creates an account for a new identity, signs it in again, and links only verified emails", async () => {
    const { signInWithOAuth } = await import("../src/auth/oauth");
    const options = { starterCreditNano: STARTER_CREDIT };
    const email = `octo.${Date.now()}@example.com`;
    const first = await signInWithOAuth(
      h.db,
      { provider: "github", providerAccountId: "42", email, emailVerified: false, name: "Octo" },
      options,
    );
    expect(first).toHaveProperty("userId");
    const userId = (first as { userId: string }).userId;
    const membership = await h.db.membership.findFirstOrThrow({ where: { userId } });
    expect(
      await h.db.creditLedgerEntry.count({
        where: { organizationId: membership.organizationId, kind: "promotional" },
      }),
    ).toBe(1);
    expect(
      await signInWithOAuth(
        h.db,
        { provider: "github", providerAccountId: "42", email, emailVerified: false, name: "Octo" },
        options,
      ),
    ).toEqual({ userId });

    // Someone else's unverified identity claiming a password account's email is not linked to it.
    const owner = `owned.${Date.now()}@example.com`;
    await h.as(null).auth.signUp({ name: "Owner", email: owner, password: "correct horse battery" });
    expect(
      await signInWithOAuth(
        h.db,
        { provider: "github", providerAccountId: "99", email: owner, emailVerified: false, name: "X" },
        options,
      ),
    ).toEqual({
      refused: "not_linked",
    });
    const linked = await signInWithOAuth(
      h.db,
      { provider: "google", providerAccountId: "g-1", email: owner, emailVerified: true, name: "Owner" },
      options,
    );
    expect(linked).toEqual({ userId: (await h.db.user.findUniqueOrThrow({ where: { email: owner } })).id });
    expect(
      await signInWithOAuth(
        h.db,
        { provider: "github", providerAccountId: "7", email: null, emailVerified: false, name: null },
        options,
      ),
    ).toEqual({
      refused: "no_email",
    });
  });
});
