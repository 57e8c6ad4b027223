import { newId } from "@junction/core";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, signUpUser } from "./harness";

let h: Harness;
let org: Awaited<ReturnType<typeof signUpUser>>;
const MODEL = "deepseek/deepseek-v3";

beforeAll(async () => {
  h = await createHarness();
  org = await signUpUser(h, "Router");
});
afterAll(async () => {
  await h?.close();
});

describe("routing.explain (the gateway's planner on a draft policy)", () => {
  it("without a policy: every endpoint, cheapest first, with worst-case costs and weights", async () => {
    const explained = await h.as(org.userId).routing.explain({ model: MODEL, rules: null });
    expect(explained.error).toBeNull();
    expect(explained.strategy).toBe("weighted");
    expect(explained.candidates.map((candidate) => candidate.providerId)).toEqual([
      "deepinfra",
      "deepseek",
      "fireworks_ai",
      "together_ai",
    ]);
    expect(explained.candidates.map((candidate) => candidate.order)).toEqual([1, 2, 3, 4]);
    const weights = explained.candidates.map((candidate) => candidate.weight ?? 0);
    expect(weights[0]).toBeGreaterThan(weights[3] ?? 1);
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 9);
    expect(explained.candidates[0]?.worstCase).toBeGreaterThan(0n);
    expect(explained.excluded).toEqual([]);
  });

  it("the draft's rules exclude endpoints with the policy's reason", async () => {
    const api = h.as(org.userId);
    const explained = await api.routing.explain({
      model: MODEL,
      rules: { denyTraining: true, denyProviders: ["together*"] },
    });
    expect(explained.candidates.map((candidate) => candidate.providerId)).toEqual([
      "deepinfra",
      "fireworks_ai",
    ]);
    expect(explained.excluded).toEqual([
      expect.objectContaining({
        provider: "deepseek",
        reason: 'policy "draft": provider may train on prompts',
      }),
      expect.objectContaining({
        provider: "together_ai",
        reason: 'policy "draft": provider together_ai is denied',
      }),
    ]);
    const blocked = await api.routing.explain({ model: MODEL, rules: { allowModels: ["openai/*"] } });
    expect(blocked.candidates).toEqual([]);
    expect(blocked.error).toContain('Policy "draft" does not allow this request');
    expect(blocked.excluded[0]?.reason).toContain("is not in the allowed models");
    const unknown = await api.routing.explain({ model: "nobody/nothing", rules: null });
    expect(unknown.error).toContain("not found");
    const invalid = await api.routing
      .explain({ model: MODEL, rules: { maxTokens: -1 } as never })
      .catch((e) => e);
    expect(invalid).toBeInstanceOf(TRPCError);
    expect((invalid as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("BYOK-only organizations route only to providers they have a key for (no secret is decrypted)", async () => {
    await h.db.providerCredential.create({
      data: {
        id: newId("credential"),
        organizationId: org.organizationId,
        providerId: "fireworks_ai",
        label: "fw",
        ciphertext: "not-decryptable",
        iv: "x",
        authTag: "x",
        wrappedDataKey: "x",
        last4: "abcd",
      },
    });
    await h.db.organization.update({ where: { id: org.organizationId }, data: { byokOnly: true } });
    const explained = await h.as(org.userId).routing.explain({ model: MODEL, rules: null });
    expect(explained.candidates.map((candidate) => [candidate.providerId, candidate.isByok])).toEqual([
      ["fireworks_ai", true],
    ]);
    expect(explained.excluded.map((entry) => entry.reason)).toContain(
      "BYOK only: the organization has no deepinfra key",
    );
  });
});
