import { randomBytes } from "node:crypto";
import { newId, parseKeyEncryptionKeys } from "@junction/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, isSessionActive, registerSession } from "../src/index";
import {
  addMember,
  codeOf,
  createHarness,
  type Harness,
  recordGeneration,
  STARTER_CREDIT,
  signUpUser,
} from "./harness";

/**
 * Two tenants; every procedure is called as tenant B with tenant A's ids (and a session that even names A's
 * organization as active). B must get NOT_FOUND/FORBIDDEN or its own data, never A's.
 */
let h: Harness;
type Tenant = Awaited<ReturnType<typeof signUpUser>> & {
  keyId: string;
  generationId: string;
  ledgerEntryIds: string[];
  memberMembershipId: string;
  ownerMembershipId: string;
  invoiceId: string;
  reportId: string;
  policyId: string;
  invitationId: string;
  invitationToken: string;
};
let a: Tenant;
let b: Tenant;

async function seedTenant(name: string, model: string, cost: bigint): Promise<Tenant> {
  const user = await signUpUser(h, name);
  const key = await h.as(user.userId).apiKeys.create({ name: `${name}'s key` });
  const generationId = await recordGeneration(h.db, {
    organizationId: user.organizationId,
    apiKeyId: key.apiKey.id,
    cost,
    model,
  });
  const ledger = await h.db.creditLedgerEntry.findMany({
    where: { organizationId: user.organizationId },
    select: { id: true },
  });
  const member = await addMember(h.db, user.organizationId, "member");
  const owner = await h.db.membership.findFirstOrThrow({
    where: { userId: user.userId, organizationId: user.organizationId },
  });
  const periodStart = new Date(Date.UTC(2026, 9, 1));
  const periodEnd = new Date(Date.UTC(2026, 10, 1));
  const invoice = await h.db.invoice.create({
    data: {
      id: newId("invoice"),
      organizationId: user.organizationId,
      periodStart,
      periodEnd,
      status: "finalized",
      total: cost,
    },
  });
  const report = await h.db.spendReport.create({
    data: {
      id: newId("report"),
      organizationId: user.organizationId,
      period: "monthly",
      periodStart,
      periodEnd,
      totalCost: cost,
      requests: 1,
      data: {},
    },
  });
  const policy = await h.as(user.userId).settings.savePolicy({ name: "default", rules: { zdrOnly: true } });
  await h.as(user.userId).settings.setActivePolicy({ policyId: policy.policyId });
  const invitation = await h
    .as(user.userId)
    .invitations.create({ email: `invitee-of-${name.toLowerCase()}@example.com`, role: "member" });
  return {
    ...user,
    invitationId: invitation.id,
    invitationToken: invitation.link.split("/invite/")[1] ?? "",
    policyId: policy.policyId,
    keyId: key.apiKey.id,
    invoiceId: invoice.id,
    reportId: report.id,
    generationId,
    ledgerEntryIds: ledger.map((entry) => entry.id),
    memberMembershipId: member.membershipId,
    ownerMembershipId: owner.id,
  };
}

let aEndpointId: string;
let aCredentialId: string;

beforeAll(async () => {
  h = await createHarness({ keks: parseKeyEncryptionKeys(`1:${randomBytes(32).toString("base64")}`) });
  a = await seedTenant("Alice", "sandbox/junction-large", 250_000n);
  b = await seedTenant("Bob", "sandbox/junction-small", 17_200n);
  aCredentialId = (
    await h.db.providerCredential.create({
      data: {
        id: newId("credential"),
        organizationId: a.organizationId,
        providerId: "custom",
        label: "Alice's upstream",
        ciphertext: "x",
        iv: "x",
        authTag: "x",
        wrappedDataKey: "x",
        last4: "abcd",
      },
    })
  ).id;
  aEndpointId = (
    await h.db.customEndpoint.create({
      data: {
        id: newId("customEndpoint"),
        organizationId: a.organizationId,
        name: "alice-llm",
        baseUrl: "https://alice-llm.example.com/v1",
        models: ["alice-model"],
        credentialId: aCredentialId,
      },
    })
  ).id;
});
afterAll(async () => {
  await h?.close();
});

/** Serialized output must not mention any of A's ids. */
function expectNoTraceOf(tenant: Tenant, value: unknown): void {
  const text = JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  for (const id of [
    tenant.organizationId,
    tenant.userId,
    tenant.keyId,
    tenant.generationId,
    tenant.memberMembershipId,
    tenant.invoiceId,
    tenant.reportId,
    tenant.policyId,
    tenant.invitationId,
    tenant.invitationToken,
    ...tenant.ledgerEntryIds,
  ]) {
    expect(text).not.toContain(id);
  }
  expect(text).not.toContain(tenant.email);
}

type Api = ReturnType<Harness["as"]>;

/** One probe per procedure: B (whose session claims A's organization is active) reaching for A's data. */
const probes: Record<string, (api: Api) => Promise<void>> = {
  health: async (api) => {
    expect((await api.health()).ok).toBe(true);
  },
  "auth.signUp": async (api) => {
    expect(
      await codeOf(api.auth.signUp({ name: "Mallory", email: a.email, password: "correct horse battery" })),
    ).toBe("CONFLICT");
    expect(await h.db.membership.count({ where: { organizationId: a.organizationId } })).toBe(2);
  },
  "auth.sendVerificationEmail": async (api) => {
    expect(await api.auth.sendVerificationEmail()).toEqual({ alreadyVerified: false });
    expect(await h.db.verificationToken.count({ where: { identifier: a.userId } })).toBe(0);
  },
  "auth.verifyEmail": async (api) => {
    // Tokens are not tenant data; a made-up one verifies nobody.
    expect(await api.auth.verifyEmail({ token: a.invitationToken })).toEqual({ verified: false });
    expect((await h.db.user.findUniqueOrThrow({ where: { id: a.userId } })).emailVerified).toBeNull();
  },
  "auth.requestPasswordReset": async (api) => {
    expect(await api.auth.requestPasswordReset({ email: b.email })).toEqual({ sent: true });
    expect(
      await h.db.verificationToken.count({ where: { identifier: a.userId, purpose: "password_reset" } }),
    ).toBe(0);
  },
  "auth.resetPassword": async (api) => {
    expect(
      await codeOf(api.auth.resetPassword({ token: a.invitationToken, password: "mallory's new password" })),
    ).toBe("BAD_REQUEST");
  },
  "invitations.list": async (api) => {
    const invitations = await api.invitations.list();
    expect(invitations.map((invitation) => invitation.id)).toEqual([b.invitationId]);
    expectNoTraceOf(a, invitations);
  },
  "invitations.create": async (api) => {
    const created = await api.invitations.create({ email: "someone-else@example.com", role: "viewer" });
    expect((await h.db.invitation.findUniqueOrThrow({ where: { id: created.id } })).organizationId).toBe(
      b.organizationId,
    );
    await api.invitations.revoke({ id: created.id });
  },
  "invitations.link": async (api) => {
    expect(await codeOf(api.invitations.link({ id: a.invitationId }))).toBe("NOT_FOUND");
  },
  "invitations.revoke": async (api) => {
    expect(await codeOf(api.invitations.revoke({ id: a.invitationId }))).toBe("NOT_FOUND");
    expect((await h.db.invitation.findUniqueOrThrow({ where: { id: a.invitationId } })).revokedAt).toBeNull();
  },
  "invitations.preview": async (api) => {
    // A link is a bearer credential for its own invitation only; previewing it shows no ids.
    expectNoTraceOf(a, { ...(await api.invitations.preview({ token: a.invitationToken })), email: "" });
  },
  "invitations.accept": async (api) => {
    // A's link is for another address: B cannot use it to join A's organization.
    expect(await codeOf(api.invitations.accept({ token: a.invitationToken }))).toBe("FORBIDDEN");
    expect(await h.db.membership.count({ where: { organizationId: a.organizationId } })).toBe(2);
  },
  "account.me": async (api) => {
    const me = await api.account.me();
    expect(me?.active?.organizationId).toBe(b.organizationId);
    expectNoTraceOf(a, me);
  },
  "account.createOrganization": async (api) => {
    const created = await api.account.createOrganization({ name: "Bob's second" });
    expect(
      await h.db.membership.findMany({ where: { organizationId: created.id }, select: { userId: true } }),
    ).toEqual([{ userId: b.userId }]);
  },
  "overview.summary": async (api) => {
    const summary = await api.overview.summary();
    expect(summary.balance).toBe(STARTER_CREDIT - 17_200n);
    expect(summary.month.cost).toBe(17_200n);
    expect(summary.activeKeys).toBe(1);
  },
  "overview.spend": async (api) => {
    const chart = await api.overview.spend({ range: "7d" });
    expect(chart.series.map((series) => series.id)).toEqual(["sandbox/junction-small"]);
    expect(chart.groups.map((group) => group.cost)).toEqual([17_200n]);
    const byKey = await api.overview.spend({ range: "30d", groupBy: "key" });
    expect(byKey.groups.map((group) => [group.id, group.label])).toEqual([[b.keyId, "Bob's key"]]);
    expectNoTraceOf(a, byKey);
  },
  "apiKeys.list": async (api) => {
    const keys = await api.apiKeys.list();
    expect(keys.map((key) => key.id)).toEqual([b.keyId]);
    expectNoTraceOf(a, keys);
  },
  "apiKeys.create": async (api) => {
    const created = await api.apiKeys.create({ name: "Made by Bob" });
    expect((await h.db.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } })).organizationId).toBe(
      b.organizationId,
    );
    await api.apiKeys.revoke({ id: created.apiKey.id });
  },
  "apiKeys.revoke": async (api) => {
    expect(await codeOf(api.apiKeys.revoke({ id: a.keyId }))).toBe("NOT_FOUND");
    expect((await h.db.apiKey.findUniqueOrThrow({ where: { id: a.keyId } })).revokedAt).toBeNull();
  },
  "activity.list": async (api) => {
    const own = await api.activity.list({});
    expect(own.items.map((item) => item.id)).toEqual([b.generationId]);
    expectNoTraceOf(a, own);
    expect(await codeOf(api.activity.list({ apiKeyId: a.keyId }))).toBe("NOT_FOUND");
    expect(await codeOf(api.activity.list({ cursor: a.generationId }))).toBe("NOT_FOUND");
    expect((await api.activity.list({ model: "sandbox/junction-large" })).items).toEqual([]);
  },
  "activity.filters": async (api) => {
    const filters = await api.activity.filters();
    expect(filters.models).toEqual(["sandbox/junction-small"]);
    expectNoTraceOf(a, filters);
  },
  "activity.get": async (api) => {
    expect(await codeOf(api.activity.get({ id: a.generationId }))).toBe("NOT_FOUND");
    expect((await api.activity.get({ id: b.generationId })).id).toBe(b.generationId);
  },
  "credits.summary": async (api) => {
    const summary = await api.credits.summary();
    expect(summary.balance).toBe(STARTER_CREDIT - 17_200n);
  },
  "credits.ledger": async (api) => {
    const ledger = await api.credits.ledger({});
    expect(ledger.items.map((entry) => entry.id).sort()).toEqual([...b.ledgerEntryIds].sort());
    expectNoTraceOf(a, ledger);
    for (const id of a.ledgerEntryIds)
      expect(await codeOf(api.credits.ledger({ cursor: id }))).toBe("NOT_FOUND");
  },
  "credits.createTopUp": async (api) => {
    expect(await codeOf(api.credits.createTopUp({ amountUsd: "5" }))).toBe("SERVICE_UNAVAILABLE");
    expect(await h.db.creditLedgerEntry.count({ where: { organizationId: a.organizationId } })).toBe(
      a.ledgerEntryIds.length,
    );
  },
  "billing.invoices": async (api) => {
    const invoices = await api.billing.invoices();
    expect(invoices.map((invoice) => invoice.id)).toEqual([b.invoiceId]);
    expect(invoices[0]?.total).toBe(17_200n);
    expectNoTraceOf(a, invoices);
  },
  "billing.reports": async (api) => {
    const reports = await api.billing.reports();
    expect(reports.map((report) => report.id)).toEqual([b.reportId]);
    expectNoTraceOf(a, reports);
  },
  "models.list": async (api) => {
    // The catalog is shared, not tenant data.
    expect((await api.models.list({ search: "junction-small" })).models.map((model) => model.id)).toContain(
      "sandbox/junction-small",
    );
  },
  "members.list": async (api) => {
    const members = await api.members.list();
    expect(members.map((member) => member.user.id).sort()).toHaveLength(2);
    expectNoTraceOf(a, members);
  },
  "members.updateRole": async (api) => {
    expect(await codeOf(api.members.updateRole({ membershipId: a.memberMembershipId, role: "owner" }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(api.members.updateRole({ membershipId: a.ownerMembershipId, role: "viewer" }))).toBe(
      "NOT_FOUND",
    );
    expect((await h.db.membership.findUniqueOrThrow({ where: { id: a.memberMembershipId } })).role).toBe(
      "member",
    );
  },
  "members.remove": async (api) => {
    expect(await codeOf(api.members.remove({ membershipId: a.memberMembershipId }))).toBe("NOT_FOUND");
    expect(await codeOf(api.members.remove({ membershipId: a.ownerMembershipId }))).toBe("NOT_FOUND");
    expect(await h.db.membership.count({ where: { organizationId: a.organizationId } })).toBe(2);
  },
  "settings.organization": async (api) => {
    const settings = await api.settings.organization();
    expect(settings.activePolicyId).toBe(b.policyId);
    expectNoTraceOf(a, settings);
  },
  "settings.updateOrganization": async (api) => {
    await api.settings.updateOrganization({ retentionDays: 14, rateLimitRpm: 60 });
    expect(await h.db.organization.findUniqueOrThrow({ where: { id: b.organizationId } })).toMatchObject({
      retentionDays: 14,
      rateLimitRpm: 60,
    });
    expect(await h.db.organization.findUniqueOrThrow({ where: { id: a.organizationId } })).toMatchObject({
      retentionDays: 30,
      rateLimitRpm: null,
    });
    const input = { retentionDays: 1, organizationId: a.organizationId } as never;
    expect(await codeOf(api.settings.updateOrganization(input))).toBe("BAD_REQUEST");
    expect(
      (await h.db.organization.findUniqueOrThrow({ where: { id: a.organizationId } })).retentionDays,
    ).toBe(30);
  },
  "settings.policies": async (api) => {
    const policies = await api.settings.policies();
    expect(policies.map((policy) => policy.id)).toEqual([b.policyId]);
    expectNoTraceOf(a, policies);
  },
  "settings.savePolicy": async (api) => {
    // Same name as A's policy: B gets (or keeps) its own.
    const saved = await api.settings.savePolicy({ name: "default", rules: { zdrOnly: true } });
    expect(saved.policyId).toBe(b.policyId);
    expect(await h.db.policyVersion.count({ where: { policyId: a.policyId } })).toBe(1);
  },
  "settings.setActivePolicy": async (api) => {
    expect(await codeOf(api.settings.setActivePolicy({ policyId: a.policyId }))).toBe("NOT_FOUND");
    expect(
      (await h.db.organization.findUniqueOrThrow({ where: { id: b.organizationId } })).activePolicyId,
    ).toBe(b.policyId);
    expect(
      (await h.db.organization.findUniqueOrThrow({ where: { id: a.organizationId } })).activePolicyId,
    ).toBe(a.policyId);
  },
};

Object.assign(probes, {
  "customEndpoints.list": async (api: Api) => {
    const listed = await api.customEndpoints.list();
    expect(listed.endpoints).toEqual([]);
    expect(listed.credentials).toEqual([]);
    expect(JSON.stringify(listed)).not.toContain(aEndpointId);
    expect(JSON.stringify(listed)).not.toContain(aCredentialId);
  },
  "customEndpoints.create": async (api: Api) => {
    // An IP literal needs no DNS. A's credential is not B's to attach.
    const base = { name: "bob-llm", baseUrl: "https://93.184.216.34/v1", models: ["m"] };
    expect(await codeOf(api.customEndpoints.create({ ...base, credentialId: aCredentialId }))).toBe(
      "NOT_FOUND",
    );
    const smuggled = { ...base, credentialId: null, organizationId: a.organizationId } as never;
    expect(await codeOf(api.customEndpoints.create(smuggled))).toBe("BAD_REQUEST");
    // Same name as one of A's: B's namespace is its own.
    const created = await api.customEndpoints.create({ ...base, name: "alice-llm", credentialId: null });
    expect((await h.db.customEndpoint.findUniqueOrThrow({ where: { id: created.id } })).organizationId).toBe(
      b.organizationId,
    );
    await api.customEndpoints.remove({ id: created.id });
  },
  "apiKeys.update": async (api: Api) => {
    expect(await codeOf(api.apiKeys.update({ id: a.keyId, rateLimitRpm: 1 }))).toBe("NOT_FOUND");
    expect(await codeOf(api.apiKeys.update({ id: a.keyId, name: "pwned" }))).toBe("NOT_FOUND");
    const smuggled = { id: b.keyId, organizationId: a.organizationId, createdById: a.userId } as never;
    expect(await codeOf(api.apiKeys.update(smuggled))).toBe("BAD_REQUEST");
    expect(await h.db.apiKey.findUniqueOrThrow({ where: { id: a.keyId } })).toMatchObject({
      name: "Alice's key",
      rateLimitRpm: null,
    });
    expect((await h.db.apiKey.findUniqueOrThrow({ where: { id: b.keyId } })).organizationId).toBe(
      b.organizationId,
    );
  },
  "audit.list": async (api: Api) => {
    const own = await api.audit.list({});
    expect(own.items.length).toBeGreaterThan(0);
    expectNoTraceOf(a, own);
    const aAudit = await h.db.auditLog.findFirstOrThrow({ where: { organizationId: a.organizationId } });
    expect(await codeOf(api.audit.list({ cursor: aAudit.id }))).toBe("NOT_FOUND");
    expect((await api.audit.list({ targetId: a.keyId })).items).toEqual([]);
    expect((await api.audit.list({ actorUserId: a.userId })).items).toEqual([]);
  },
  "audit.filters": async (api: Api) => {
    const filters = await api.audit.filters();
    expect(filters.actors.map((actor) => actor.id)).toEqual([b.userId]);
    expectNoTraceOf(a, filters);
  },
  "sessions.list": async (api: Api) => {
    await registerSession(h.redis, h.prefix, a.userId, { id: "alice-session", ip: "192.0.2.1" });
    const sessions = await api.sessions.list();
    expect(sessions.map((session) => session.id)).not.toContain("alice-session");
    expectNoTraceOf(a, sessions);
  },
  "sessions.revoke": async (api: Api) => {
    await registerSession(h.redis, h.prefix, a.userId, { id: "alice-session" });
    expect(await codeOf(api.sessions.revoke({ id: "alice-session" }))).toBe("NOT_FOUND");
    expect(await isSessionActive(h.redis, h.prefix, a.userId, "alice-session")).toBe(true);
  },
  "sessions.revokeOthers": async (api: Api) => {
    await registerSession(h.redis, h.prefix, a.userId, { id: "alice-session" });
    await api.sessions.revokeOthers();
    expect(await isSessionActive(h.redis, h.prefix, a.userId, "alice-session")).toBe(true);
  },
  "customEndpoints.remove": async (api: Api) => {
    expect(await codeOf(api.customEndpoints.remove({ id: aEndpointId }))).toBe("NOT_FOUND");
    expect(await h.db.customEndpoint.count({ where: { id: aEndpointId } })).toBe(1);
  },
});

Object.assign(probes, {
  "providerKeys.list": async (api: Api) => {
    const listed = await api.providerKeys.list();
    expect(listed.keys).toEqual([]);
    expect(JSON.stringify(listed)).not.toContain(aCredentialId);
  },
  "providerKeys.add": async (api: Api) => {
    const smuggled = {
      providerId: "openai",
      secret: "sk-bob-0123456789",
      organizationId: a.organizationId,
    } as never;
    expect(await codeOf(api.providerKeys.add(smuggled))).toBe("BAD_REQUEST");
    const added = await api.providerKeys.add({ providerId: "openai", secret: "sk-bob-0123456789" });
    expect(
      (await h.db.providerCredential.findUniqueOrThrow({ where: { id: added.id } })).organizationId,
    ).toBe(b.organizationId);
    await api.providerKeys.revoke({ id: added.id });
  },
  "organization.delete": async (api: Api) => {
    // B is owner of its own organization only; A's name confirms nothing for B.
    expect(await codeOf(api.organization.delete({ confirmName: "Alice's organization" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await h.db.membership.count({ where: { organizationId: a.organizationId } })).toBe(2);
    expect(
      await h.db.apiKey.count({ where: { organizationId: a.organizationId, revokedAt: { not: null } } }),
    ).toBe(0);
  },
  "routing.explain": async (api: Api) => {
    // Reads the shared catalog and B's own BYOK keys only.
    const explained = await api.routing.explain({
      model: "sandbox/junction-small",
      rules: { zdrOnly: false },
    });
    expect(explained.candidates.map((candidate) => candidate.isByok)).toEqual([false]);
    expectNoTraceOf(a, explained);
  },
  "providerKeys.revoke": async (api: Api) => {
    expect(await codeOf(api.providerKeys.revoke({ id: aCredentialId }))).toBe("NOT_FOUND");
    expect(
      (await h.db.providerCredential.findUniqueOrThrow({ where: { id: aCredentialId } })).revokedAt,
    ).toBeNull();
  },
});

describe("tenant isolation", () => {
  it("has a probe for every procedure of the router", () => {
    expect(Object.keys(probes).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  for (const [path, probe] of Object.entries(probes)) {
    it(`${path}: tenant B never sees or touches tenant A`, async () => {
      // B's session names A's organization as active: membership decides, so B still acts as B.
      await probe(h.as(b.userId, a.organizationId));
      await probe(h.as(b.userId, null));
    });
  }

  it("A's own view is intact", async () => {
    const api = h.as(a.userId);
    expect((await api.activity.get({ id: a.generationId })).cost).toBe(250_000n);
    expect((await api.apiKeys.list()).map((key) => key.id)).toEqual([a.keyId]);
  });
});
