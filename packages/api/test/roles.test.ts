import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, codeOf, createHarness, type Harness, signUpUser } from "./harness";

let h: Harness;
let org: Awaited<ReturnType<typeof signUpUser>>;
let viewer: { userId: string; membershipId: string };
let member: { userId: string; membershipId: string };
let admin: { userId: string; membershipId: string };

beforeAll(async () => {
  h = await createHarness();
  org = await signUpUser(h, "Owner");
  viewer = await addMember(h.db, org.organizationId, "viewer");
  member = await addMember(h.db, org.organizationId, "member");
  admin = await addMember(h.db, org.organizationId, "admin");
});
afterAll(async () => {
  await h?.close();
});

describe("roles: viewer < member < admin < owner", () => {
  it("signed-out callers get UNAUTHORIZED from every non-public procedure", async () => {
    const anonymous = h.as(null);
    expect(await codeOf(anonymous.account.me())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.overview.summary())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.apiKeys.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.apiKeys.create({ name: "x" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.models.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.health())).toBe("ok");
  });

  it("viewers read but cannot create or revoke keys", async () => {
    const api = h.as(viewer.userId);
    expect(await codeOf(api.overview.summary())).toBe("ok");
    expect(await codeOf(api.apiKeys.list())).toBe("ok");
    expect(await codeOf(api.activity.list({}))).toBe("ok");
    expect(await codeOf(api.credits.summary())).toBe("ok");
    expect(await codeOf(api.members.list())).toBe("ok");
    expect(await codeOf(api.apiKeys.create({ name: "Viewer key" }))).toBe("FORBIDDEN");
    const ownerKey = await h.as(org.userId).apiKeys.create({ name: "Owner key" });
    expect(await codeOf(api.apiKeys.revoke({ id: ownerKey.apiKey.id }))).toBe("FORBIDDEN");
    expect(await h.db.apiKey.count({ where: { name: "Viewer key" } })).toBe(0);
  });

  it("members create keys and revoke their own, not other people's; they cannot manage billing", async () => {
    const api = h.as(member.userId);
    const mine = await api.apiKeys.create({ name: "Member key" });
    const ownerKey = await h.as(org.userId).apiKeys.create({ name: "Someone else's" });
    expect(await codeOf(api.apiKeys.revoke({ id: ownerKey.apiKey.id }))).toBe("FORBIDDEN");
    expect((await h.db.apiKey.findUniqueOrThrow({ where: { id: ownerKey.apiKey.id } })).revokedAt).toBeNull();
    expect(await codeOf(api.apiKeys.revoke({ id: mine.apiKey.id }))).toBe("ok");
    expect(await codeOf(api.credits.createTopUp({ amountUsd: "10" }))).toBe("FORBIDDEN");
    expect((await api.credits.summary()).canManageBilling).toBe(false);
  });

  it("admins manage every key and billing, but not members", async () => {
    const api = h.as(admin.userId);
    const memberKey = await h.as(member.userId).apiKeys.create({ name: "Member's second key" });
    expect(await codeOf(api.apiKeys.revoke({ id: memberKey.apiKey.id }))).toBe("ok");
    // Billing is theirs; without Stripe configured the top-up says so.
    const topUp = await api.credits.createTopUp({ amountUsd: "10" }).catch((error: unknown) => error);
    expect(topUp).toBeInstanceOf(TRPCError);
    expect((topUp as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((topUp as TRPCError).message).toMatch(/Stripe is not configured/);
    expect((await api.credits.summary()).canManageBilling).toBe(true);
    expect(await codeOf(api.members.updateRole({ membershipId: viewer.membershipId, role: "member" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(api.members.remove({ membershipId: viewer.membershipId }))).toBe("FORBIDDEN");
  });

  it("owners manage members, and an organization always keeps an owner", async () => {
    const api = h.as(org.userId);
    expect(await codeOf(api.members.updateRole({ membershipId: viewer.membershipId, role: "member" }))).toBe(
      "ok",
    );
    expect((await h.db.membership.findUniqueOrThrow({ where: { id: viewer.membershipId } })).role).toBe(
      "member",
    );
    await api.members.updateRole({ membershipId: viewer.membershipId, role: "viewer" });

    const ownMembership = await h.db.membership.findFirstOrThrow({
      where: { userId: org.userId, organizationId: org.organizationId },
    });
    expect(await codeOf(api.members.updateRole({ membershipId: ownMembership.id, role: "admin" }))).toBe(
      "CONFLICT",
    );
    expect(await codeOf(api.members.remove({ membershipId: ownMembership.id }))).toBe("CONFLICT");

    const extra = await addMember(h.db, org.organizationId, "member");
    expect(await codeOf(api.members.remove({ membershipId: extra.membershipId }))).toBe("ok");
    // A removed member loses access at once: the role is re-checked on every call.
    expect(await codeOf(h.as(extra.userId, org.organizationId).apiKeys.list())).toBe("FORBIDDEN");
  });

  it("a demotion takes effect on the next call, whatever the session says", async () => {
    const temp = await addMember(h.db, org.organizationId, "admin");
    const api = h.as(temp.userId, org.organizationId);
    expect(await codeOf(api.credits.createTopUp({ amountUsd: "5" }))).toBe("SERVICE_UNAVAILABLE");
    await h.as(org.userId).members.updateRole({ membershipId: temp.membershipId, role: "viewer" });
    expect(await codeOf(api.credits.createTopUp({ amountUsd: "5" }))).toBe("FORBIDDEN");
  });
});
