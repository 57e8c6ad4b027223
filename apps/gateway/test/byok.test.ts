import { randomBytes } from "node:crypto";
import { parseKeyEncryptionKeys } from "@junction/core";
import { rotateProviderCredentials, saveProviderCredential } from "@junction/db";
import { createTestTenant } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generationRow, type Harness, startHarness } from "./harness.js";

const kekV1 = randomBytes(32).toString("base64");
const kekV2 = randomBytes(32).toString("base64");
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ JUNCTION_KEKS: `1:${kekV1}`, BYOK_FEE_BPS: "500" });
});
afterAll(() => harness.close());

const hello = [{ role: "user" as const, content: "Hello" }];

/** A funded organization with its own OpenAI key. */
async function tenantWithOwnOpenAiKey(name: string, secret: string) {
  const tenant = await createTestTenant(harness.database.db, { name, creditNano: 1_000_000_000n });
  await saveProviderCredential(harness.database.db, parseKeyEncryptionKeys(`1:${kekV1}`), {
    organizationId: tenant.organizationId,
    providerId: "openai",
    secret,
  });
  return tenant;
}

describe("bring your own key", () => {
  it("uses the organization's own key, stores it only encrypted, and bills only the fee", async () => {
    const tenant = await tenantWithOwnOpenAiKey("BYOK Org", "sk-org-own-key-123456");
    const stored = await harness.database.db.providerCredential.findFirstOrThrow({
      where: { organizationId: tenant.organizationId },
    });
    expect(JSON.stringify(stored)).not.toContain("sk-org-own-key");
    expect(stored.last4).toBe("3456");

    const { data, response } = await harness
      .openai(tenant.apiKey)
      .chat.completions.create({
        model: "openai/gpt-4o-mini",
        messages: hello,
        store: true,
        metadata: { team: "search" },
      })
      .withResponse();
    expect(harness.openaiUpstream.requests.at(-1)?.headers.authorization).toBe(
      "Bearer sk-org-own-key-123456",
    );
    // The account is the organization's own: its stored completions are its to keep.
    expect(harness.openaiUpstream.requests.at(-1)?.body).toMatchObject({
      store: true,
      metadata: { team: "search" },
    });
    const usage = data.usage as unknown as {
      is_byok: boolean;
      cost: number;
      cost_details: { upstream_inference_cost: number };
    };
    expect(usage.is_byok).toBe(true);
    expect(usage.cost_details.upstream_inference_cost).toBeCloseTo(0.000008175, 12);
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row.isByok).toBe(true);
    expect(row.cost).toBe(409n); // 5% of 8,175 nano-USD, rounded half-up
    expect(row.receipt).toMatchObject({ byok: { upstreamTotalNanoUsd: "8175", feeBps: 500 } });

    // Another organization still uses the platform key.
    await harness.openai().chat.completions.create({ model: "openai/gpt-4o-mini", messages: hello });
    expect(harness.openaiUpstream.requests.at(-1)?.headers.authorization).toBe(
      "Bearer sk-upstream-openai-secret",
    );
  });

  it("GET /v1/models with an organization's key also lists what its own keys serve", async () => {
    const tenant = await createTestTenant(harness.database.db, { name: "BYOK Groq", creditNano: 1n });
    await saveProviderCredential(harness.database.db, parseKeyEncryptionKeys(`1:${kekV1}`), {
      organizationId: tenant.organizationId,
      providerId: "groq",
      secret: "gsk-org-own-key",
    });
    type Listed = { id: string; endpoints: { provider: string }[] };
    const llama = async (key?: string) => {
      const response = await fetch(`${harness.gateway.url}/v1/models`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
      const { data } = (await response.json()) as { data: Listed[] };
      return data.find((model) => model.id === "meta-llama/llama-3.3-70b-instruct");
    };
    // The platform has no Groq key: the public listing leaves the model out, the organization sees its endpoint.
    expect(await llama()).toBeUndefined();
    expect(await llama("jk_live_not-a-real-key")).toBeUndefined();
    expect((await llama(tenant.apiKey))?.endpoints.map((endpoint) => endpoint.provider)).toEqual(["groq"]);
  });

  it("an organization's own key rate limited does not open the endpoint's breaker for everyone", async () => {
    const tenant = await tenantWithOwnOpenAiKey("BYOK 429", "sk-org-limited-key-0000");
    harness.openaiUpstream.queue.push({ kind: "status", status: 429, headers: { "retry-after": "30" } });
    const refused = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: hello }),
    });
    expect(refused.status).toBe(429);
    const row = await generationRow(harness, refused.headers.get("x-junction-generation-id") as string);
    const [attempt] = row.attempts as { endpoint: string; errorClass: string }[];
    expect(attempt?.errorClass).toBe("http_429");
    expect(harness.gateway.context.health.openUntilFor(attempt?.endpoint as string)).toBeNull();
  });

  it("BYOK only forbids platform keys", async () => {
    const tenant = await createTestTenant(harness.database.db, {
      name: "Strict BYOK",
      creditNano: 1_000_000_000n,
    });
    await harness.database.db.organization.update({
      where: { id: tenant.organizationId },
      data: { byokOnly: true },
    });
    const refused = await harness
      .openai(tenant.apiKey)
      .chat.completions.create({ model: "openai/gpt-4o-mini", messages: hello })
      .catch((error: unknown) => error);
    // As for a model this deployment cannot call: 404 (GET /v1/models leaves it out for this organization too).
    expect(refused).toMatchObject({ status: 404 });
    expect(String((refused as Error).message)).toContain("BYOK only: the organization has no openai key");
    const listed = await harness.openai(tenant.apiKey).models.list();
    expect(listed.data.map((model) => model.id)).not.toContain("openai/gpt-4o-mini");
  });

  it("a key that cannot be decrypted is an explicit error, and rotation re-wraps without losing a secret", async () => {
    const tenant = await createTestTenant(harness.database.db, {
      name: "Rotated",
      creditNano: 1_000_000_000n,
    });
    const other = parseKeyEncryptionKeys(`1:${kekV2}`); // a KEK this gateway does not have under version 1
    await saveProviderCredential(harness.database.db, other, {
      organizationId: tenant.organizationId,
      providerId: "openai",
      secret: "sk-unreadable",
    });
    const failed = await harness
      .openai(tenant.apiKey)
      .chat.completions.create({ model: "openai/gpt-4o-mini", messages: hello })
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ status: 500 });
    expect(String((failed as Error).message)).toContain("could not be decrypted");

    const rotating = await createTestTenant(harness.database.db, { name: "Rotation", creditNano: 1n });
    const v1 = parseKeyEncryptionKeys(`1:${kekV1}`);
    await saveProviderCredential(harness.database.db, v1, {
      organizationId: rotating.organizationId,
      providerId: "groq",
      secret: "gsk-keep-me",
    });
    const both = parseKeyEncryptionKeys(`2:${kekV2},1:${kekV1}`);
    const result = await rotateProviderCredentials(harness.database.db, both);
    expect(result.rewrapped).toBeGreaterThanOrEqual(1);
    expect(result.failed).toHaveLength(1); // the unreadable one is reported, not dropped
    const { loadProviderCredentials } = await import("@junction/db");
    const keys = await loadProviderCredentials(
      harness.database.db,
      parseKeyEncryptionKeys(`2:${kekV2}`),
      rotating.organizationId,
    );
    expect(keys.get("groq")).toBe("gsk-keep-me");
  });
});
