import { randomBytes } from "node:crypto";
import { parseKeyEncryptionKeys, type ResolvedAddress } from "@junction/core";
import { saveProviderCredential } from "@junction/db";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, createHarness, type Harness, signUpUser } from "./harness";

/** Fake DNS: what each name resolves to (the machine is offline, and tests must not depend on real DNS). */
const DNS: Record<string, ResolvedAddress[]> = {
  "llm.example.com": [{ address: "93.184.216.34", family: 4 }],
  "inward.example.com": [{ address: "10.0.0.5", family: 4 }],
  "mixed.example.com": [
    { address: "93.184.216.34", family: 4 },
    { address: "::ffff:169.254.169.254", family: 6 },
  ],
  "meta.example.com": [{ address: "fd00::1", family: 6 }],
};
const keks = parseKeyEncryptionKeys(`1:${randomBytes(32).toString("base64")}`);

let h: Harness;
let owner: Awaited<ReturnType<typeof signUpUser>>;
let credentialId: string;

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) => (error instanceof TRPCError ? `${error.code}: ${error.message}` : String(error)),
  );

beforeAll(async () => {
  h = await createHarness({
    keks,
    resolveHost: async (hostname) => {
      const answer = DNS[hostname];
      if (!answer) throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
      return answer;
    },
  });
  owner = await signUpUser(h, "Cora");
  credentialId = (
    await saveProviderCredential(h.db, keks, {
      organizationId: owner.organizationId,
      providerId: "custom",
      secret: "sk-cora-own-upstream-key-1234",
      label: "Acme key",
    })
  ).id;
});
afterAll(() => h?.close());

const input = (overrides: Record<string, unknown> = {}) => ({
  name: "acme",
  baseUrl: "https://llm.example.com/v1/",
  models: ["acme-large", "acme-small"],
  credentialId,
  ...overrides,
});

describe("custom endpoints", () => {
  it("an admin adds one (https, public DNS, own credential), lists it, removes it; each change audited", async () => {
    const api = h.as(owner.userId);
    const created = await api.customEndpoints.create(input());
    expect(created.baseUrl).toBe("https://llm.example.com/v1");
    const listed = await api.customEndpoints.list();
    expect(listed.endpoints).toHaveLength(1);
    expect(listed.endpoints[0]?.modelIds).toEqual(["custom/acme/acme-large", "custom/acme/acme-small"]);
    expect(listed.endpoints[0]?.credential).toMatchObject({ id: credentialId, last4: "1234" });
    expect(JSON.stringify(listed)).not.toContain("sk-cora");
    expect(await codeOf(api.customEndpoints.create(input()))).toMatch(/^CONFLICT/);

    await api.customEndpoints.remove({ id: created.id });
    expect((await api.customEndpoints.list()).endpoints).toEqual([]);
    const audit = await h.db.auditLog.findMany({
      where: { organizationId: owner.organizationId, targetId: created.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((row) => row.action)).toEqual(["custom_endpoint.create", "custom_endpoint.remove"]);
    expect(audit[0]?.metadata).toMatchObject({ before: null, after: { name: "acme", credentialId } });
    expect(audit[1]?.metadata).toMatchObject({ before: { name: "acme" }, after: null });
    expect(audit.every((row) => row.actorUserId === owner.userId && row.ip === "203.0.113.7")).toBe(true);
  });

  it.each([
    ["http://llm.example.com/v1", /https/],
    ["https://127.0.0.1/v1", /loopback/],
    ["https://[::ffff:10.0.0.1]/v1", /private/],
    ["https://169.254.169.254/latest", /link_local/],
    ["https://inward.example.com/v1", /resolves to 10\.0\.0\.5.*private/],
    ["https://mixed.example.com/v1", /link_local/],
    ["https://meta.example.com/v1", /unique_local/],
    ["https://nowhere.example.com/v1", /could not be resolved/],
    ["https://user:pw@llm.example.com/v1", /user name/],
  ])("refuses %s when saving", async (baseUrl, message) => {
    const result = await codeOf(h.as(owner.userId).customEndpoints.create(input({ name: "bad", baseUrl })));
    expect(result).toMatch(/^BAD_REQUEST/);
    expect(result).toMatch(message);
    expect(await h.db.customEndpoint.count({ where: { name: "bad" } })).toBe(0);
  });

  it("takes strict input: no organization, no foreign or unknown credential, no bad names", async () => {
    const api = h.as(owner.userId);
    const other = await signUpUser(h, "Dan");
    const foreign = await saveProviderCredential(h.db, keks, {
      organizationId: other.organizationId,
      providerId: "custom",
      secret: "sk-dan-secret-key-000000",
    });
    expect(await codeOf(api.customEndpoints.create(input({ credentialId: foreign.id })))).toMatch(
      /^NOT_FOUND/,
    );
    const smuggled = { ...input({ name: "smuggled" }), organizationId: other.organizationId } as never;
    expect(await codeOf(api.customEndpoints.create(smuggled))).toMatch(/^BAD_REQUEST/);
    expect(await codeOf(api.customEndpoints.create(input({ name: "Has Spaces" })))).toMatch(/^BAD_REQUEST/);
    expect(await codeOf(api.customEndpoints.create(input({ name: "nomodels", models: [] })))).toMatch(
      /^BAD_REQUEST/,
    );
    expect(await h.db.customEndpoint.count({ where: { organizationId: other.organizationId } })).toBe(0);
  });

  it("is for admins: members and viewers are refused", async () => {
    for (const role of ["member", "viewer"] as const) {
      const { userId } = await addMember(h.db, owner.organizationId, role);
      const api = h.as(userId);
      expect(await codeOf(api.customEndpoints.list())).toMatch(/^FORBIDDEN/);
      expect(await codeOf(api.customEndpoints.create(input({ name: `by-${role}` })))).toMatch(/^FORBIDDEN/);
    }
  });
});
