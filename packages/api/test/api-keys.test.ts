import { hashApiKey, isWellFormedApiKey } from "@junction/core";
import { keyRevocationChannel } from "@junction/queue";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, createHarness, type Harness, recordGeneration, signUpUser } from "./harness";

let h: Harness;
let owner: Awaited<ReturnType<typeof signUpUser>>;
beforeAll(async () => {
  h = await createHarness();
  owner = await signUpUser(h, "Owner");
});
afterAll(async () => {
  await h?.close();
});

describe("apiKeys", () => {
  it("create returns the key once; only its SHA-256 and display prefix are stored", async () => {
    const api = h.as(owner.userId);
    const created = await api.apiKeys.create({
      name: "Production",
      creditLimitUsd: "12.5",
      limitReset: "monthly",
    });
    expect(isWellFormedApiKey(created.key)).toBe(true);
    expect(created.apiKey).toMatchObject({
      name: "Production",
      status: "active",
      creditLimit: 12_500_000_000n,
      limitReset: "monthly",
      displayPrefix: `${created.key.slice(0, 12)}…${created.key.slice(-4)}`,
    });

    const row = await h.db.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
    expect(row.keyHash).toBe(hashApiKey(created.key));
    expect(row.organizationId).toBe(owner.organizationId);
    expect(row.createdById).toBe(owner.userId);
    expect(
      JSON.stringify(row, (_, value) => (typeof value === "bigint" ? value.toString() : value)),
    ).not.toContain(created.key.slice(12, -4));

    // Lists never carry the key again.
    const listed = await api.apiKeys.list();
    expect(
      JSON.stringify(listed, (_, value) => (typeof value === "bigint" ? value.toString() : value)),
    ).not.toContain(created.key);
    expect(listed.find((key) => key.id === created.apiKey.id)).not.toHaveProperty("key");
    expect(listed.find((key) => key.id === created.apiKey.id)).not.toHaveProperty("keyHash");

    const audit = await h.db.auditLog.findFirst({
      where: { targetId: created.apiKey.id, action: "api_key.create" },
    });
    expect(audit?.actorUserId).toBe(owner.userId);
  });

  it("a limit without a reset period never resets; no limit means reset is ignored", async () => {
    const api = h.as(owner.userId);
    const plain = await api.apiKeys.create({ name: "No limit", limitReset: "daily" });
    expect(plain.apiKey).toMatchObject({ creditLimit: null, limitReset: "never" });
    const capped = await api.apiKeys.create({ name: "Capped", creditLimitUsd: "0.000000001" });
    expect(capped.apiKey).toMatchObject({ creditLimit: 1n, limitReset: "never" });
  });

  it("refuses a past expiry and bad amounts", async () => {
    const api = h.as(owner.userId);
    expect(await codeOf(api.apiKeys.create({ name: "Old", expiresAt: new Date(Date.now() - 1000) }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(api.apiKeys.create({ name: "Neg", creditLimitUsd: "-5" }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.apiKeys.create({ name: "Zero", creditLimitUsd: "0.00" }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.apiKeys.create({ name: "Float", creditLimitUsd: "1.0000000001" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(api.apiKeys.create({ name: "" }))).toBe("BAD_REQUEST");
  });

  it("lists status and spend per key; expired keys show as expired", async () => {
    const api = h.as(owner.userId);
    const spender = await api.apiKeys.create({ name: "Spender", creditLimitUsd: "1", limitReset: "daily" });
    await recordGeneration(h.db, {
      organizationId: owner.organizationId,
      apiKeyId: spender.apiKey.id,
      cost: 17_200n,
    });
    await recordGeneration(h.db, {
      organizationId: owner.organizationId,
      apiKeyId: spender.apiKey.id,
      cost: 17_200n,
    });
    const soon = await api.apiKeys.create({ name: "Soon", expiresAt: new Date(Date.now() + 60_000) });
    await h.db.apiKey.update({
      where: { id: soon.apiKey.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });

    const listed = await api.apiKeys.list();
    expect(listed.find((key) => key.id === spender.apiKey.id)).toMatchObject({
      spentInWindow: 34_400n,
      spentTotal: 34_400n,
    });
    expect(listed.find((key) => key.id === soon.apiKey.id)?.status).toBe("expired");
  });

  it("revoke sets revokedAt and publishes the key hash to the gateways, once", async () => {
    const api = h.as(owner.userId);
    const created = await api.apiKeys.create({ name: "Doomed" });

    const subscriber = new Redis(h.redis.options);
    const messages: string[] = [];
    subscriber.on("message", (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe(keyRevocationChannel(h.prefix));
    try {
      const result = await api.apiKeys.revoke({ id: created.apiKey.id });
      expect(result).toMatchObject({ id: created.apiKey.id, propagated: true });
      const row = await h.db.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
      expect(row.revokedAt).toEqual(result.revokedAt);

      // Again: same revokedAt, still announced (harmless), no second audit entry.
      const again = await api.apiKeys.revoke({ id: created.apiKey.id });
      expect(again.revokedAt).toEqual(result.revokedAt);
      await expect.poll(() => messages.length, { timeout: 10_000 }).toBe(2);
      expect(messages).toEqual([hashApiKey(created.key), hashApiKey(created.key)]);
      expect(
        await h.db.auditLog.count({ where: { targetId: created.apiKey.id, action: "api_key.revoke" } }),
      ).toBe(1);
      expect((await api.apiKeys.list()).find((key) => key.id === created.apiKey.id)?.status).toBe("revoked");
    } finally {
      subscriber.disconnect();
    }
  });

  it("revoking an unknown id answers NOT_FOUND", async () => {
    expect(await codeOf(h.as(owner.userId).apiKeys.revoke({ id: "key_01jdoesnotexist000000000000" }))).toBe(
      "NOT_FOUND",
    );
  });
});
