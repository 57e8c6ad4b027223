import { hashApiKey } from "@junction/core";
import { keyRevocationChannel } from "@junction/queue";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, codeOf, createHarness, type Harness, STARTER_CREDIT, signUpUser } from "./harness";

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("organization.delete", () => {
  it("only owners, and only with the exact name typed", async () => {
    const owner = await signUpUser(h, "Keeper");
    const admin = await addMember(h.db, owner.organizationId, "admin");
    const name = "Keeper's organization";
    expect(await codeOf(h.as(admin.userId).organization.delete({ confirmName: name }))).toBe("FORBIDDEN");
    expect(
      await codeOf(h.as(owner.userId).organization.delete({ confirmName: "keeper's organization" })),
    ).toBe("BAD_REQUEST");
    expect(await h.db.membership.count({ where: { organizationId: owner.organizationId } })).toBe(2);
  });

  it("revokes and announces every key, ends access for everyone, keeps the books, forfeits the balance", async () => {
    const owner = await signUpUser(h, "Leaver");
    const api = h.as(owner.userId);
    const second = await api.account.createOrganization({ name: "Leaver's second" });
    const member = await addMember(h.db, owner.organizationId, "member");
    const keys = [await api.apiKeys.create({ name: "one" }), await api.apiKeys.create({ name: "two" })];
    await api.invitations.create({ email: "pending@example.com", role: "viewer" });

    const subscriber = new Redis(h.redis.options);
    const messages: string[] = [];
    subscriber.on("message", (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe(keyRevocationChannel(h.prefix));
    try {
      const result = await h
        .as(owner.userId, owner.organizationId)
        .organization.delete({ confirmName: "Leaver's organization" });
      expect(result).toEqual({ deleted: true, revokedKeys: 2, forfeitedBalance: STARTER_CREDIT });
      await expect.poll(() => messages.length, { timeout: 10_000 }).toBe(2);
      expect(messages.sort()).toEqual(keys.map((key) => hashApiKey(key.key)).sort());
    } finally {
      subscriber.disconnect();
    }

    const revoked = await h.db.apiKey.findMany({ where: { organizationId: owner.organizationId } });
    expect(revoked.every((key) => key.revokedAt !== null)).toBe(true);
    expect(await h.db.membership.count({ where: { organizationId: owner.organizationId } })).toBe(0);
    expect(
      await h.db.invitation.count({ where: { organizationId: owner.organizationId, revokedAt: null } }),
    ).toBe(0);
    // The books stay.
    expect(await h.db.creditLedgerEntry.count({ where: { organizationId: owner.organizationId } })).toBe(1);
    expect(
      await h.db.auditLog.count({
        where: { organizationId: owner.organizationId, action: "organization.delete" },
      }),
    ).toBe(1);
    // The owner continues in their other organization; the member has none left.
    expect((await h.as(owner.userId, owner.organizationId).account.me())?.active?.organizationId).toBe(
      second.id,
    );
    expect((await h.as(member.userId).account.me())?.active).toBeNull();
    expect(await codeOf(h.as(member.userId, owner.organizationId).apiKeys.list())).toBe("FORBIDDEN");
  });
});
