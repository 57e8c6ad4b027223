import { randomBytes } from "node:crypto";
import { parseKeyEncryptionKeys } from "@junction/core";
import { loadProviderCredentials } from "@junction/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, codeOf, createHarness, type Harness, signUpUser } from "./harness";

const keks = parseKeyEncryptionKeys(`1:${randomBytes(32).toString("base64")}`);
let h: Harness;
let org: Awaited<ReturnType<typeof signUpUser>>;
const SECRET = "sk-test-byok-0123456789abcdefWXYZ";

beforeAll(async () => {
  h = await createHarness({ keks });
  org = await signUpUser(h, "Byok");
});
afterAll(async () => {
  await h?.close();
});

describe("providerKeys (BYOK)", () => {
  it("stores the key envelope-encrypted for the gateway, and never returns or audits the secret", async () => {
    const api = h.as(org.userId);
    const added = await api.providerKeys.add({ providerId: "openai", label: "Prod OpenAI", secret: SECRET });
    expect(added).toMatchObject({ providerId: "openai", last4: "WXYZ" });
    expect(JSON.stringify(added)).not.toContain(SECRET);
    const row = await h.db.providerCredential.findUniqueOrThrow({ where: { id: added.id } });
    expect(JSON.stringify(row)).not.toContain(SECRET);
    // The gateway's loader decrypts it with the same KEKs.
    expect((await loadProviderCredentials(h.db, keks, org.organizationId)).get("openai")).toBe(SECRET);

    const listed = await api.providerKeys.list();
    expect(listed.configured).toBe(true);
    expect(listed.keys).toEqual([
      { id: added.id, providerId: "openai", label: "Prod OpenAI", last4: "WXYZ", createdAt: row.createdAt },
    ]);
    expect(listed.providers.map((provider) => provider.id)).toContain("openai");
    expect(listed.providers.map((provider) => provider.id)).not.toContain("sandbox");
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    const audits = await h.db.auditLog.findMany({ where: { organizationId: org.organizationId } });
    expect(audits.map((audit) => audit.action)).toContain("provider_key.create");
    expect(JSON.stringify(audits)).not.toContain(SECRET);

    await api.providerKeys.revoke({ id: added.id });
    expect((await api.providerKeys.list()).keys).toEqual([]);
    expect((await loadProviderCredentials(h.db, keks, org.organizationId)).has("openai")).toBe(false);
  });

  it("admins manage keys; members and viewers only see them; unknown providers are refused", async () => {
    const member = await addMember(h.db, org.organizationId, "member");
    const added = await h.as(org.userId).providerKeys.add({ providerId: "groq", secret: SECRET });
    expect((await h.db.providerCredential.findUniqueOrThrow({ where: { id: added.id } })).label).toBe("groq");
    const api = h.as(member.userId);
    expect((await api.providerKeys.list()).keys.map((key) => key.id)).toEqual([added.id]);
    expect(await codeOf(api.providerKeys.add({ providerId: "openai", secret: SECRET }))).toBe("FORBIDDEN");
    expect(await codeOf(api.providerKeys.revoke({ id: added.id }))).toBe("FORBIDDEN");
    expect(
      await codeOf(h.as(org.userId).providerKeys.add({ providerId: "no-such-provider", secret: SECRET })),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(h.as(org.userId).providerKeys.add({ providerId: "openai", secret: "has space x" })),
    ).toBe("BAD_REQUEST");
  });

  it("explains when the deployment has no key-encryption key", async () => {
    const bare = await createHarness();
    try {
      const user = await signUpUser(bare, "NoKek");
      expect((await bare.as(user.userId).providerKeys.list()).configured).toBe(false);
      expect(
        await codeOf(bare.as(user.userId).providerKeys.add({ providerId: "openai", secret: SECRET })),
      ).toBe("SERVICE_UNAVAILABLE");
    } finally {
      await bare.close();
    }
  });
});
