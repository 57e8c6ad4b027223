import { keyCreditKeys, keyRevocationChannel } from "@junction/queue";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, codeOf, createHarness, type Harness, signUpUser } from "./harness";

let h: Harness;
let owner: Awaited<ReturnType<typeof signUpUser>>;
beforeAll(async () => {
  h = await createHarness();
  owner = await signUpUser(h, "Rhea");
});
afterAll(() => h?.close());

describe("per-key rate limits", () => {
  it("are set at creation and changed later; only given fields change; gateways are told at once", async () => {
    const api = h.as(owner.userId);
    const created = await api.apiKeys.create({ name: "limited", rateLimitRpm: 60, rateLimitConcurrency: 2 });
    expect(created.apiKey).toMatchObject({ rateLimitRpm: 60, rateLimitTpm: null, rateLimitConcurrency: 2 });

    const subscriber = new Redis(h.services.redis.options);
    const announced: string[] = [];
    await subscriber.subscribe(keyRevocationChannel(h.prefix));
    subscriber.on("message", (_channel, hash) => announced.push(hash));
    const result = await api.apiKeys.update({
      id: created.apiKey.id,
      rateLimitTpm: 10_000,
      rateLimitRpm: null,
    });
    expect(result.changed.sort()).toEqual(["rateLimitRpm", "rateLimitTpm"]);
    const row = await h.db.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
    expect(row).toMatchObject({
      rateLimitRpm: null,
      rateLimitTpm: 10_000,
      rateLimitConcurrency: 2,
      name: "limited",
    });
    for (let i = 0; i < 100 && announced.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(announced).toEqual([row.keyHash]);
    subscriber.disconnect();

    expect(await api.apiKeys.update({ id: created.apiKey.id, rateLimitTpm: 10_000 })).toEqual({
      id: created.apiKey.id,
      changed: [],
    });
  });

  it("a changed credit limit drops the gateways' counter of the old one, so the next request runs under the new", async () => {
    const api = h.as(owner.userId);
    const created = await api.apiKeys.create({ name: "capped", creditLimitUsd: "100", limitReset: "never" });
    // What a gateway keeps while the key is in use: what remains of its lifetime limit.
    const { keyRemaining } = keyCreditKeys(h.prefix, created.apiKey.id, 0);
    await h.redis.set(keyRemaining, "100000000000");
    await api.apiKeys.update({ id: created.apiKey.id, name: "renamed" });
    expect(await h.redis.get(keyRemaining)).toBe("100000000000"); // other changes leave it
    await api.apiKeys.update({ id: created.apiKey.id, creditLimitUsd: "5" });
    expect(await h.redis.get(keyRemaining)).toBeNull();
  });

  it("takes strict input: no organization, creator, role or credit through mass assignment; limits must be whole and positive", async () => {
    const api = h.as(owner.userId);
    const { apiKey } = await api.apiKeys.create({ name: "strict" });
    const other = await signUpUser(h, "Other");
    for (const extra of [
      { organizationId: other.organizationId },
      { createdById: other.userId },
      { role: "owner" },
      { credit: "1000" },
      { keyHash: "0".repeat(64) },
      { revokedAt: null },
    ]) {
      expect(await codeOf(api.apiKeys.update({ id: apiKey.id, ...extra } as never))).toBe("BAD_REQUEST");
      expect(await codeOf(api.apiKeys.create({ name: "x", ...extra } as never))).toBe("BAD_REQUEST");
    }
    for (const bad of [0, -1, 1.5, 1e12]) {
      expect(await codeOf(api.apiKeys.update({ id: apiKey.id, rateLimitRpm: bad }))).toBe("BAD_REQUEST");
    }
    const row = await h.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row).toMatchObject({
      organizationId: owner.organizationId,
      createdById: owner.userId,
      rateLimitRpm: null,
    });
    expect(await h.db.apiKey.count({ where: { name: "x" } })).toBe(0);
  });

  it("members change only their own keys; viewers none; revoked keys are frozen", async () => {
    const member = await addMember(h.db, owner.organizationId, "member");
    const viewer = await addMember(h.db, owner.organizationId, "viewer");
    const ownersKey = (await h.as(owner.userId).apiKeys.create({ name: "owner's" })).apiKey;
    const membersKey = (await h.as(member.userId).apiKeys.create({ name: "member's" })).apiKey;
    expect(await codeOf(h.as(member.userId).apiKeys.update({ id: ownersKey.id, rateLimitRpm: 1 }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(h.as(member.userId).apiKeys.update({ id: membersKey.id, rateLimitRpm: 5 }))).toBe(
      "ok",
    );
    expect(await codeOf(h.as(viewer.userId).apiKeys.update({ id: membersKey.id, rateLimitRpm: 1 }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(h.as(owner.userId).apiKeys.update({ id: membersKey.id, rateLimitRpm: 7 }))).toBe(
      "ok",
    );
    await h.as(owner.userId).apiKeys.revoke({ id: membersKey.id });
    expect(await codeOf(h.as(owner.userId).apiKeys.update({ id: membersKey.id, rateLimitRpm: 9 }))).toBe(
      "CONFLICT",
    );
    expect((await h.db.apiKey.findUniqueOrThrow({ where: { id: membersKey.id } })).rateLimitRpm).toBe(7);
  });
});
