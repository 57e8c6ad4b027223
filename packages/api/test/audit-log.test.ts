import { randomBytes } from "node:crypto";
import { createStripeClient } from "@junction/billing";
import { parseKeyEncryptionKeys } from "@junction/core";
import { type FakeStripe, startFakeStripe } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCsv, redactAuditValue } from "../src/index";
import { appRouter } from "../src/root";
import { addMember, createHarness, type Harness, signUpUser } from "./harness";

/**
 * Every state-changing procedure is listed here: either an admin action with the audit row it must write, or an
 * exemption with its reason. A new mutation that is in neither list fails the first test, so the audit log's
 * coverage is enforced in one place.
 */
const IP = "198.51.100.23";
const SECRETS = ["sk-audit-provider-secret-000111", "correct horse battery"];

let h: Harness;
let fake: FakeStripe;
let owner: Awaited<ReturnType<typeof signUpUser>>;
const state: Record<string, string> = {};

type Api = ReturnType<Harness["as"]>;
type Expectation = { action: string; targetId?: () => string; before?: unknown; after?: unknown };
type AdminAction = {
  run: (api: Api) => Promise<unknown>;
  expect: Expectation | ((result: never) => Expectation);
};

const ACTIONS: Record<string, AdminAction> = {
  "account.createOrganization": {
    run: async (api) => {
      const created = await api.account.createOrganization({ name: "Audited second org" });
      state.secondOrg = created.id;
      return created;
    },
    expect: () => ({ action: "organization.create", targetId: () => state.secondOrg as string }),
  },
  "apiKeys.create": {
    run: async (api) => {
      const created = await api.apiKeys.create({ name: "Audited key", rateLimitRpm: 30 });
      state.keyId = created.apiKey.id;
      state.fullKey = created.key;
      return created;
    },
    expect: { action: "api_key.create", before: null, after: { name: "Audited key", rateLimitRpm: 30 } },
  },
  "apiKeys.update": {
    run: (api) =>
      api.apiKeys.update({ id: state.keyId as string, rateLimitRpm: 90, rateLimitConcurrency: 4 }),
    expect: {
      action: "api_key.update",
      before: { rateLimitRpm: 30, rateLimitConcurrency: null },
      after: { rateLimitRpm: 90, rateLimitConcurrency: 4 },
    },
  },
  "apiKeys.revoke": {
    run: (api) => api.apiKeys.revoke({ id: state.keyId as string }),
    expect: { action: "api_key.revoke", before: { revokedAt: null } },
  },
  "members.updateRole": {
    run: (api) => api.members.updateRole({ membershipId: state.memberMembershipId as string, role: "admin" }),
    expect: { action: "member.update_role", before: { role: "member" }, after: { role: "admin" } },
  },
  "members.remove": {
    run: (api) => api.members.remove({ membershipId: state.memberMembershipId as string }),
    expect: { action: "member.remove", before: { role: "admin" }, after: null },
  },
  "invitations.create": {
    run: async (api) => {
      const created = await api.invitations.create({ email: "invitee@example.com", role: "viewer" });
      state.invitationId = created.id;
      return created;
    },
    expect: { action: "invitation.create" },
  },
  "invitations.revoke": {
    run: (api) => api.invitations.revoke({ id: state.invitationId as string }),
    expect: { action: "invitation.revoke" },
  },
  "invitations.accept": {
    run: async () => {
      const invited = await h
        .as(owner.userId)
        .invitations.create({ email: "joiner@example.com", role: "member" });
      const joiner = await h.db.user.create({
        data: { id: `usr_joiner${Date.now()}`, email: "joiner@example.com", name: "Joiner" },
      });
      state.joinerId = joiner.id;
      const token = new URL(invited.link).pathname.split("/").pop() as string;
      return h.as(joiner.id, null, IP).invitations.accept({ token });
    },
    expect: { action: "invitation.accept" },
  },
  "providerKeys.add": {
    run: async (api) => {
      const added = await api.providerKeys.add({ providerId: "openai", secret: SECRETS[0] as string });
      state.providerKeyId = added.id;
      return added;
    },
    expect: { action: "provider_key.create" },
  },
  "providerKeys.revoke": {
    run: (api) => api.providerKeys.revoke({ id: state.providerKeyId as string }),
    expect: { action: "provider_key.revoke" },
  },
  "customEndpoints.create": {
    run: async (api) => {
      const created = await api.customEndpoints.create({
        name: "audited",
        baseUrl: "https://93.184.216.34/v1",
        models: ["m"],
        credentialId: null,
      });
      state.endpointId = created.id;
      return created;
    },
    expect: { action: "custom_endpoint.create", before: null, after: { name: "audited" } },
  },
  "customEndpoints.remove": {
    run: (api) => api.customEndpoints.remove({ id: state.endpointId as string }),
    expect: { action: "custom_endpoint.remove", before: { name: "audited" }, after: null },
  },
  "settings.updateOrganization": {
    run: (api) => api.settings.updateOrganization({ rateLimitTpm: 5000, promptLogging: true }),
    expect: {
      action: "organization.update_settings",
      before: { rateLimitTpm: null, promptLogging: false },
      after: { rateLimitTpm: 5000, promptLogging: true },
    },
  },
  "settings.savePolicy": {
    run: async (api) => {
      const saved = await api.settings.savePolicy({ name: "audited", rules: { zdrOnly: true } });
      state.policyId = saved.policyId;
      return saved;
    },
    expect: { action: "policy.create", after: { version: 1 } },
  },
  "settings.setActivePolicy": {
    run: (api) => api.settings.setActivePolicy({ policyId: state.policyId as string }),
    expect: { action: "organization.set_active_policy", before: { activePolicyId: null } },
  },
  "organization.delete": {
    // The second organization (created above): the owner's session names it as active.
    run: () =>
      h.as(owner.userId, state.secondOrg, IP).organization.delete({ confirmName: "Audited second org" }),
    expect: () => ({ action: "organization.delete", targetId: () => state.secondOrg as string }),
  },
  "credits.createTopUp": {
    run: (api) => api.credits.createTopUp({ amountUsd: "25" }),
    expect: { action: "billing.top_up_started", after: { amountUsd: "25" } },
  },
};

/** Mutations that are not an organization's admin actions, and why. */
const EXEMPT: Record<string, string> = {
  "auth.signUp": "creates the account; its first organization's creation is audited (organization.create)",
  "auth.sendVerificationEmail": "account-level, no organization; rate-limited",
  "auth.verifyEmail": "account-level, no organization",
  "auth.requestPasswordReset": "account-level, no organization; answers the same for unknown emails",
  "auth.resetPassword": "account-level, no organization; ends the user's sessions",
  "sessions.revoke": "account-level (the user's own sign-ins), no organization",
  "sessions.revokeOthers": "account-level (the user's own sign-ins), no organization",
};

beforeAll(async () => {
  fake = await startFakeStripe();
  h = await createHarness({
    keks: parseKeyEncryptionKeys(`1:${randomBytes(32).toString("base64")}`),
    stripe: createStripeClient({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_API_BASE: fake.url }),
  });
  owner = await signUpUser(h, "Audra");
  state.memberMembershipId = (await addMember(h.db, owner.organizationId, "member")).membershipId;
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

describe("audit log", () => {
  it("lists every mutation as an audited admin action or an explicit exemption", () => {
    const mutations = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    )
      .filter(([, procedure]) => procedure._def.type === "mutation")
      .map(([path]) => path)
      .sort();
    const listed = [...Object.keys(ACTIONS), ...Object.keys(EXEMPT)].filter((path) =>
      mutations.includes(path),
    );
    expect(mutations.filter((path) => !(path in ACTIONS) && !(path in EXEMPT))).toEqual([]);
    expect(listed.sort()).toEqual(mutations);
    for (const path of Object.keys(ACTIONS)) expect(mutations).toContain(path);
  });

  for (const [path, action] of Object.entries(ACTIONS)) {
    it(`${path} writes its audit row (actor, time, IP, redacted before/after)`, async () => {
      const startedAt = new Date(Date.now() - 1000);
      const before = await h.db.auditLog.findMany({ select: { id: true } });
      const result = await action.run(h.as(owner.userId, null, IP));
      const expected = typeof action.expect === "function" ? action.expect(result as never) : action.expect;
      const rows = await h.db.auditLog.findMany({
        where: { id: { notIn: before.map((row) => row.id) }, action: expected.action },
      });
      expect(rows).toHaveLength(1);
      const row = rows[0] as (typeof rows)[number];
      expect(row.actorUserId).toBe(path === "invitations.accept" ? state.joinerId : owner.userId);
      expect(row.ip).toBe(IP);
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(startedAt.getTime());
      expect(row.organizationId).toBe(
        path === "account.createOrganization" || path === "organization.delete"
          ? state.secondOrg
          : owner.organizationId,
      );
      if (expected.targetId) expect(row.targetId).toBe(expected.targetId());
      const metadata = (row.metadata ?? {}) as Record<string, unknown>;
      if ("before" in expected) expect(metadata.before).toMatchObject(expected.before as object);
      if ("after" in expected) {
        if (expected.after === null) expect(metadata.after).toBeNull();
        else expect(metadata.after).toMatchObject(expected.after as object);
      }
      const text = JSON.stringify(row);
      for (const secret of [...SECRETS, state.fullKey ?? "jk_none"]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/keyHash|tokenHash|passwordHash|ciphertext/);
    });
  }

  it("is append-only: the database refuses UPDATE and DELETE, but an organization's deletion cascades", async () => {
    const row = await h.db.auditLog.findFirstOrThrow({ where: { organizationId: owner.organizationId } });
    await expect(h.db.auditLog.update({ where: { id: row.id }, data: { action: "forged" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(h.db.auditLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(
      h.db.$executeRawUnsafe(`DELETE FROM "AuditLog" WHERE "organizationId" = $1`, owner.organizationId),
    ).rejects.toThrow(/append-only/);
    expect((await h.db.auditLog.findUniqueOrThrow({ where: { id: row.id } })).action).toBe(row.action);

    const doomed = await signUpUser(h, "Doomed");
    expect(await h.db.auditLog.count({ where: { organizationId: doomed.organizationId } })).toBeGreaterThan(
      0,
    );
    await h.db.organization.delete({ where: { id: doomed.organizationId } });
    expect(await h.db.auditLog.count({ where: { organizationId: doomed.organizationId } })).toBe(0);
    // A deleted user's rows stay, with the actor set to null by the foreign key.
    const leaver = await addMember(h.db, owner.organizationId, "admin");
    await h.as(leaver.userId, null, IP).settings.updateOrganization({ retentionDays: 12 });
    await h.db.user.delete({ where: { id: leaver.userId } });
    const orphaned = await h.db.auditLog.findFirstOrThrow({
      where: {
        organizationId: owner.organizationId,
        metadata: { path: ["after", "retentionDays"], equals: 12 },
      },
    });
    expect(orphaned.actorUserId).toBeNull();
  });

  it("has no procedure that changes or deletes audit rows", () => {
    const auditMutations = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    ).filter(([path, procedure]) => path.startsWith("audit.") && procedure._def.type === "mutation");
    expect(auditMutations).toEqual([]);
  });

  it("lists with filters and pagination, and exports the same rows as CSV", async () => {
    const api = h.as(owner.userId);
    const filters = await api.audit.filters();
    expect(filters.actions).toContain("api_key.update");
    const keyRows = await api.audit.list({ action: "api_key." });
    expect(keyRows.items.map((row) => row.action).sort()).toEqual([
      "api_key.create",
      "api_key.revoke",
      "api_key.update",
    ]);
    const byTarget = await api.audit.list({ targetId: state.keyId });
    expect(byTarget.items).toHaveLength(3);
    expect(await api.audit.list({ from: new Date(Date.now() + 60_000) })).toMatchObject({ items: [] });
    for (let i = 0; i < 55; i++) await api.settings.updateOrganization({ retentionDays: 20 + (i % 2) });
    const first = await api.audit.list({});
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).not.toBeNull();
    const second = await api.audit.list({ cursor: first.nextCursor as string });
    expect(second.items.length).toBeGreaterThan(0);
    expect(new Set([...first.items, ...second.items].map((row) => row.id)).size).toBe(
      first.items.length + second.items.length,
    );

    const csv = await auditCsv(h.db, owner.organizationId, { action: "api_key." });
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("time,action,actor_user_id,actor_email,target_type,target_id,ip,details");
    expect(lines).toHaveLength(4);
    expect(csv).toContain(`"${IP}"`);
    expect(csv).not.toContain(state.fullKey);
  });

  it("redacts secret fields and key-shaped strings whatever the caller passes", () => {
    const redacted = JSON.stringify(
      redactAuditValue({
        secret: "hunter2",
        apiKey: "anything",
        note: "rotated sk-proj-abcdefghijklmnop and jk_live_ABCDEFGHijklmnop1234 with Bearer abc.def.ghijklmnop",
        nested: { password: "p", keyHash: "h", maxTokens: 100 },
        limit: 10n,
      }),
    );
    expect(redacted).not.toMatch(/hunter2|anything|sk-proj|jk_live_ABC|abc\.def/);
    expect(redacted).toContain('"maxTokens":100');
    expect(redacted).toContain('"limit":"10"');
  });
});
