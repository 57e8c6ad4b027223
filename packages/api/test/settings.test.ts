import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, codeOf, createHarness, type Harness, signUpUser } from "./harness";

let h: Harness;
let org: Awaited<ReturnType<typeof signUpUser>>;
let other: Awaited<ReturnType<typeof signUpUser>>;
let viewer: { userId: string };
let member: { userId: string };
let admin: { userId: string };

beforeAll(async () => {
  h = await createHarness();
  org = await signUpUser(h, "Owner");
  other = await signUpUser(h, "Other");
  viewer = await addMember(h.db, org.organizationId, "viewer");
  member = await addMember(h.db, org.organizationId, "member");
  admin = await addMember(h.db, org.organizationId, "admin");
});
afterAll(async () => {
  await h?.close();
});

const orgRow = () => h.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
const policyVersions = (name: string) =>
  h.db.policyVersion.count({ where: { policy: { organizationId: org.organizationId, name } } });

describe("settings: organization", () => {
  it("viewers read the settings but members cannot change them", async () => {
    const settings = await h.as(viewer.userId).settings.organization();
    expect(settings).toMatchObject({ retentionDays: 30, promptLogging: false, canEdit: false });
    expect(
      await codeOf(
        h.as(member.userId).settings.updateOrganization({ promptLogging: true, retentionDays: 7 }),
      ),
    ).toBe("FORBIDDEN");
    expect(await codeOf(h.as(viewer.userId).settings.updateOrganization({ byokOnly: true }))).toBe(
      "FORBIDDEN",
    );
    const row = await orgRow();
    expect(row.promptLogging).toBe(false);
    expect(row.byokOnly).toBe(false);
  });

  it("admins change them, with an audit entry of what changed", async () => {
    const api = h.as(admin.userId);
    expect((await api.settings.organization()).canEdit).toBe(true);
    const result = await api.settings.updateOrganization({
      name: "Renamed Org",
      promptLogging: true,
      retentionDays: 7,
      byokOnly: false, // unchanged: not audited
      rateLimitRpm: 600,
      rateLimitTpm: null,
    });
    expect(result.changed.sort()).toEqual(["name", "promptLogging", "rateLimitRpm", "retentionDays"]);
    const row = await orgRow();
    expect(row).toMatchObject({
      name: "Renamed Org",
      promptLogging: true,
      retentionDays: 7,
      rateLimitRpm: 600,
    });
    const audit = await h.db.auditLog.findFirstOrThrow({
      where: { organizationId: org.organizationId, action: "organization.update_settings" },
    });
    expect(audit.actorUserId).toBe(admin.userId);
    expect(audit.metadata).toEqual({
      before: { name: "Owner's organization", promptLogging: false, retentionDays: 30, rateLimitRpm: null },
      after: { name: "Renamed Org", promptLogging: true, retentionDays: 7, rateLimitRpm: 600 },
    });
    // Clearing a limit makes it unlimited again.
    await api.settings.updateOrganization({ rateLimitRpm: null });
    expect((await orgRow()).rateLimitRpm).toBeNull();
  });

  it("refuses out-of-range values", async () => {
    const api = h.as(admin.userId);
    expect(await codeOf(api.settings.updateOrganization({ retentionDays: 0 }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.settings.updateOrganization({ retentionDays: 366 }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.settings.updateOrganization({ rateLimitTpm: -5 }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.settings.updateOrganization({ rateLimitConcurrency: 1.5 }))).toBe("BAD_REQUEST");
  });

  it("refuses mass assignment: extra keys are BAD_REQUEST and change nothing", async () => {
    const api = h.as(admin.userId);
    const before = await orgRow();
    for (const extra of [
      { organizationId: other.organizationId },
      { id: other.organizationId },
      { slug: "taken" },
      { stripeCustomerId: "cus_x" },
      { autoTopUpAmount: 10n },
      { activePolicyId: "pol_x" },
      { role: "owner" },
      { ownerId: member.userId },
      { credit: 1_000_000 },
    ]) {
      const input = { name: "Hijacked", ...extra } as unknown as Parameters<
        typeof api.settings.updateOrganization
      >[0];
      expect(await codeOf(api.settings.updateOrganization(input))).toBe("BAD_REQUEST");
    }
    const after = await orgRow();
    expect(after.name).toBe(before.name);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });
});

describe("settings: policies", () => {
  it("members cannot save or activate policies; viewers can list them", async () => {
    expect(
      await codeOf(h.as(member.userId).settings.savePolicy({ name: "default", rules: { zdrOnly: true } })),
    ).toBe("FORBIDDEN");
    expect(await codeOf(h.as(member.userId).settings.setActivePolicy({ policyId: null }))).toBe("FORBIDDEN");
    expect(await h.as(viewer.userId).settings.policies()).toEqual([]);
  });

  it("rejects invalid rules with BAD_REQUEST and saves nothing", async () => {
    const api = h.as(admin.userId);
    for (const rules of [
      { maxTokens: -1 },
      { maxRequestCostUsd: "five dollars" },
      { allowModels: "openai/*" },
      { unknownRule: true },
    ]) {
      const error = await api.settings
        .savePolicy({ name: "broken", rules: rules as never })
        .catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
    }
    expect(await h.db.policy.count({ where: { organizationId: org.organizationId, name: "broken" } })).toBe(
      0,
    );
  });

  it("saves immutable versions; the same rules twice keep one version", async () => {
    const api = h.as(admin.userId);
    const first = await api.settings.savePolicy({ name: "default", rules: { denyTraining: true } });
    expect(first).toMatchObject({ version: 1, created: true });
    const again = await api.settings.savePolicy({ name: "default", rules: { denyTraining: true } });
    expect(again).toMatchObject({ version: 1, created: false, policyId: first.policyId });
    expect(await policyVersions("default")).toBe(1);
    const second = await api.settings.savePolicy({
      name: "default",
      rules: { denyTraining: true, maxTokens: 4096 },
    });
    expect(second).toMatchObject({ version: 2, created: true });
    expect(await policyVersions("default")).toBe(2);
    const audits = await h.db.auditLog.findMany({
      where: { organizationId: org.organizationId, targetId: first.policyId },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((audit) => audit.action)).toEqual(["policy.create", "policy.update"]);

    const listed = await h.as(viewer.userId).settings.policies();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: "default", active: false, latest: { version: 2 } });
    expect(listed[0]?.latest?.hashPrefix).toHaveLength(12);
    expect(listed[0]?.latest?.rules).toEqual({ denyTraining: true, maxTokens: 4096 });
  });

  it("activates one of the organization's policies, and clears it", async () => {
    const api = h.as(admin.userId);
    const saved = await api.settings.savePolicy({ name: "strict", rules: { zdrOnly: true } });
    await api.settings.setActivePolicy({ policyId: saved.policyId });
    expect((await orgRow()).activePolicyId).toBe(saved.policyId);
    expect((await api.settings.policies()).find((policy) => policy.active)?.name).toBe("strict");
    const audit = await h.db.auditLog.findFirstOrThrow({
      where: { organizationId: org.organizationId, action: "organization.set_active_policy" },
    });
    expect(audit.metadata).toEqual({
      before: { activePolicyId: null },
      after: { activePolicyId: saved.policyId },
    });
    await api.settings.setActivePolicy({ policyId: null });
    expect((await orgRow()).activePolicyId).toBeNull();
  });

  it("another organization's policy cannot be activated (NOT_FOUND)", async () => {
    const foreign = await h.as(other.userId).settings.savePolicy({ name: "theirs", rules: {} });
    const api = h.as(admin.userId);
    expect(await codeOf(api.settings.setActivePolicy({ policyId: foreign.policyId }))).toBe("NOT_FOUND");
    expect(await codeOf(api.settings.setActivePolicy({ policyId: "pol_does_not_exist" }))).toBe("NOT_FOUND");
    expect((await orgRow()).activePolicyId).toBeNull();
    expect(
      await codeOf(
        api.settings.setActivePolicy({
          policyId: foreign.policyId,
          organizationId: other.organizationId,
        } as never),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        api.settings.savePolicy({ name: "x", rules: {}, organizationId: other.organizationId } as never),
      ),
    ).toBe("BAD_REQUEST");
    expect(await h.db.policy.count({ where: { organizationId: other.organizationId } })).toBe(1);
  });
});
