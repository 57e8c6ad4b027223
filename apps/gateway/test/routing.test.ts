import { randomBytes } from "node:crypto";
import { parseKeyEncryptionKeys, stringifiesCanonically, verifyReceipt } from "@junction/core";
import { savePolicyVersion, saveProviderCredential } from "@junction/db";
import { createTestKey, createTestTenant } from "@junction/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UnsignedGeneration } from "../src/generation-writer.js";
import { RetryBudget } from "../src/routing/retry-budget.js";
import { generationRow, type Harness, startGatewayProcess, startHarness } from "./harness.js";

/**
 * Llama 3.3 70B here: DeepInfra (two endpoints, cheapest) refuses connections, Groq and Together answer through
 * the fake OpenAI-compatible upstream. Cheapest-first order: deepinfra (turbo), deepinfra, groq, together.
 */
let harness: Harness;
const kek = `1:${randomBytes(32).toString("base64")}`;
beforeAll(async () => {
  harness = await startHarness((fakes) => ({
    JUNCTION_KEKS: kek,
    DEEPINFRA_API_KEY: "di-upstream",
    DEEPINFRA_BASE_URL: "http://127.0.0.1:9/v1",
    GROQ_API_KEY: "gsk-upstream",
    GROQ_BASE_URL: `${fakes.openai}/v1`,
    TOGETHER_API_KEY: "together-upstream",
    TOGETHER_BASE_URL: `${fakes.openai}/v1`,
    UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "2000",
    GATEWAY_BREAKER_FAILURES: "3",
    GATEWAY_BREAKER_COOLDOWN_MS: "10000",
  }));
});
afterAll(() => harness.close());
beforeEach(async () => {
  harness.openaiUpstream.reset();
  harness.gateway.context.random = () => 0;
  harness.gateway.context.retryBudget = new RetryBudget();
  await harness.gateway.context.health.resetAll();
});

const llama = "meta-llama/llama-3.3-70b-instruct";
const hello = [{ role: "user" as const, content: "Hello" }];
type Attempt = { provider: string; status: string; errorClass?: string };

/** Polls until `done` holds (pub/sub between processes takes a moment, longer on a loaded machine). */
async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 3_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function call(body: Record<string, unknown>, apiKey = harness.tenant.apiKey) {
  const response = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: hello, ...body }),
  });
  const text = await response.text();
  const id = response.headers.get("x-junction-generation-id") as string;
  return {
    status: response.status,
    body: text ? JSON.parse(text.startsWith("data:") ? "{}" : text) : {},
    id,
    text,
  };
}

async function explain(
  body: Record<string, unknown>,
  apiKey = harness.tenant.apiKey,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${harness.gateway.url}/v1/routing/explain`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ messages: hello, ...body }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      candidates: { provider: string; endpoint: string }[];
      excluded: { endpoint: string; reason: string }[];
    },
  };
}

describe("fallbacks", () => {
  it.each([
    ["a 500", { kind: "status", status: 500 }, "http_500"],
    ["a 429", { kind: "status", status: 429 }, "http_429"],
    ["a first-byte timeout", { kind: "hang" }, "timeout_first_byte"],
  ] as const)(
    "falls back past refused connections and %s, and reports who served",
    async (_name, fault, errorClass) => {
      harness.openaiUpstream.queue.push(fault);
      const result = await call({ model: llama });
      expect(result.status).toBe(200);
      expect(result.body.provider).toBe("Together AI");
      expect(result.body.model).toBe(llama);
      const row = await generationRow(harness, result.id);
      expect((row.attempts as Attempt[]).map((a) => [a.provider, a.status, a.errorClass ?? null])).toEqual([
        ["deepinfra", "error", "connect"],
        ["deepinfra", "error", "connect"],
        ["groq", "error", errorClass],
        ["together_ai", "success", null],
      ]);
      expect(row.endpointId).toBe("together_ai:meta-llama/Llama-3.3-70B-Instruct-Turbo");
    },
  );

  it("falls back across `models` when the first model cannot be served", async () => {
    harness.openaiUpstream.queue.push({ kind: "status", status: 503 });
    const result = await call({
      model: "openai/gpt-4o-mini",
      models: ["sandbox/junction-small"],
      provider: { sort: "price" },
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ model: "sandbox/junction-small", provider: "Junction Sandbox" });
  });

  it("falls back when a provider refuses the upstream key (401), which is not the client's fault", async () => {
    harness.openaiUpstream.queue.push({ kind: "status", status: 401 });
    const result = await call({ model: llama, provider: { only: ["groq", "together_ai"] } });
    expect(result.status).toBe(200);
    expect(result.body.provider).toBe("Together AI");
    const row = await generationRow(harness, result.id);
    expect((row.attempts as Attempt[]).map((a) => [a.provider, a.errorClass ?? null])).toEqual([
      ["groq", "http_401"],
      ["together_ai", null],
    ]);
  });

  it("allow_fallbacks: false tries no other provider after a failure, and the error says so", async () => {
    harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
    const result = await call({
      model: llama,
      provider: { only: ["groq", "together_ai"], allow_fallbacks: false },
    });
    expect(result.status).toBe(502);
    expect(result.body.error.message).toContain("provider.allow_fallbacks is false");
    expect(harness.openaiUpstream.requests).toHaveLength(1);
    // With provider.order, the ordered providers are tried in turn (and only they).
    harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
    const ordered = await call({
      model: llama,
      provider: { order: ["Groq", "together"], allow_fallbacks: false },
    });
    expect(ordered.status).toBe(200);
    expect(ordered.body.provider).toBe("Together AI");
    const row = await generationRow(harness, ordered.id);
    expect((row.attempts as Attempt[]).map((a) => a.provider)).toEqual(["groq", "together_ai"]);
  });

  it("never retries after the first byte", async () => {
    harness.openaiUpstream.queue.push({ kind: "drop-mid-stream", afterEvents: 2 });
    const result = await call({ model: llama, stream: true, provider: { only: ["groq", "together_ai"] } });
    expect(result.text).toContain('"finish_reason":"error"');
    const row = await generationRow(harness, result.id);
    expect((row.attempts as Attempt[]).map((a) => a.provider)).toEqual(["groq"]);
    expect(harness.openaiUpstream.requests).toHaveLength(1);
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures, is shared with another gateway process, and recovers", async () => {
    const second = await startGatewayProcess(harness);
    try {
      const explainOnSecond = async (sort?: string) => {
        const response = await fetch(`${second.url}/v1/routing/explain`, {
          method: "POST",
          headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({
            model: llama,
            messages: hello,
            provider: { only: ["groq", "together_ai"], ...(sort && { sort }) },
          }),
        });
        return (await response.json()) as {
          candidates: { provider: string }[];
          excluded: { endpoint: string; reason: string }[];
        };
      };
      // Warm-up: the fresh process answers once (both endpoints in) before the breaker's cool-down starts ticking.
      expect((await explainOnSecond("price")).candidates.map((c) => c.provider)).toEqual([
        "groq",
        "together_ai",
      ]);
      // Three failures in a row on Groq (Together serves each time).
      for (let i = 0; i < 3; i++) {
        harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
        expect((await call({ model: llama, provider: { only: ["groq", "together_ai"] } })).status).toBe(200);
      }
      const explained = await eventually(explainOnSecond, (plan) => plan.candidates.length === 1, 8_000);
      expect(explained.candidates.map((c) => c.provider)).toEqual(["together_ai"]);
      expect(explained.excluded.find((e) => e.endpoint === "groq:llama-3.3-70b-versatile")?.reason).toMatch(
        /circuit open until/,
      );

      // After the cool-down, one request probes Groq again (half-open); its success closes the breaker.
      await eventually(
        async () => harness.gateway.context.health.openUntilFor("groq:llama-3.3-70b-versatile"),
        (until) => until === null,
        15_000,
      );
      harness.openaiUpstream.reset();
      const probe = await call({ model: llama, provider: { only: ["groq", "together_ai"] } });
      expect(probe.body.provider).toBe("Groq");
      const closed = await eventually(
        () => explainOnSecond("price"),
        (plan) => plan.candidates.length === 2,
      );
      expect(closed.candidates.map((c) => c.provider)).toEqual(["groq", "together_ai"]);
    } finally {
      await second.close();
    }
  }, 90_000);

  it("lets one request probe a half-open endpoint while the others go elsewhere; a failed probe re-opens it", async () => {
    const groq = "groq:llama-3.3-70b-versatile";
    const health = harness.gateway.context.health;
    const route = { model: llama, provider: { only: ["groq", "together_ai"] } };
    const askedGroq = () =>
      harness.openaiUpstream.requests.filter((r) => r.headers.authorization === "Bearer gsk-upstream").length;
    const halfOpenAgain = async () => {
      harness.openaiUpstream.reset();
      // A 429 with Retry-After: 1 opens Groq's breaker for a second; Together serves meanwhile.
      harness.openaiUpstream.queue.push({ kind: "status", status: 429, headers: { "retry-after": "1" } });
      expect((await call(route)).status).toBe(200);
      expect(health.halfOpen(groq)).toBe(false);
      await eventually(
        async () => health.halfOpen(groq),
        (half) => half,
        5_000,
      );
      harness.openaiUpstream.reset();
    };

    await halfOpenAgain();
    // Every answer takes half a second, so the probe is still out while the other three arrive.
    harness.openaiUpstream.fallback = { kind: "slow-first-byte", delayMs: 500 };
    const results = await Promise.all([1, 2, 3, 4].map(() => call(route)));
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);
    expect(askedGroq()).toBe(1);
    expect(results.filter((result) => result.body.provider === "Groq")).toHaveLength(1);
    // The probe succeeded: closed, not merely half-open.
    expect(health.halfOpen(groq)).toBe(false);
    expect(health.openUntilFor(groq)).toBeNull();

    await halfOpenAgain();
    // One failure is far below the threshold of 3, but a failed probe opens it again for a whole cool-down.
    harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
    const failed = await call(route);
    expect(failed.status).toBe(200);
    expect(askedGroq()).toBe(1);
    expect((health.openUntilFor(groq) ?? 0) - Date.now()).toBeGreaterThan(8_000);

    // With nowhere else to go, the request that does not probe is told to come back in a second.
    await health.resetAll();
    await halfOpenAgain();
    harness.openaiUpstream.fallback = { kind: "slow-first-byte", delayMs: 500 };
    const groqOnly = { model: llama, provider: { only: ["groq"] } };
    const [first, second] = await Promise.all([call(groqOnly), call(groqOnly)]);
    const refused = first?.status === 503 ? first : second;
    expect([first?.status, second?.status].sort()).toEqual([200, 503]);
    expect(refused?.body.error.message).toMatch(
      /another request is probing it: groq:llama-3.3-70b-versatile/,
    );
    expect(refused?.body.error.metadata.retry_after_seconds).toBe(1);
  }, 30_000);

  it("a 429's Retry-After keeps the endpoint out for exactly that long", async () => {
    harness.openaiUpstream.queue.push({ kind: "status", status: 429, headers: { "retry-after": "30" } });
    await call({ model: llama, provider: { only: ["groq", "together_ai"] } });
    const until = harness.gateway.context.health.openUntilFor("groq:llama-3.3-70b-versatile") ?? 0;
    expect(until - Date.now()).toBeGreaterThan(28_000);
    expect(until - Date.now()).toBeLessThanOrEqual(30_000);
    // The model's endpoints view shows it, with when it lets a probe through.
    const view = await fetch(`${harness.gateway.url}/v1/models/${llama}/endpoints`);
    const { data } = (await view.json()) as {
      data: {
        id: string;
        endpoints: { id: string; name: string; health: { breaker: string; reopens_at: string } }[];
      };
    };
    expect(data.id).toBe(llama);
    const health = (id: string) => data.endpoints.find((endpoint) => endpoint.id === id)?.health;
    expect(health("groq:llama-3.3-70b-versatile")).toMatchObject({
      breaker: "open",
      reopens_at: new Date(until).toISOString(),
    });
    expect(health("together_ai:meta-llama/Llama-3.3-70B-Instruct-Turbo")?.breaker).toBe("closed");
    expect(data.endpoints.map((endpoint) => endpoint.name)).toContain(`Groq | ${llama}`);
  });
});

describe("routing choices", () => {
  it("explain agrees with the order a real request takes", async () => {
    const request = { model: llama, provider: { sort: "price" } };
    const plan = await explain(request);
    expect(plan.body.strategy).toBe("price");
    expect(plan.body.candidates.map((c) => c.provider)).toEqual([
      "deepinfra",
      "deepinfra",
      "groq",
      "together_ai",
    ]);
    expect(plan.body.excluded.map((e) => e.reason)).toEqual(
      expect.arrayContaining([
        "provider cerebras has no credentials configured",
        "provider fireworks_ai has no credentials configured",
      ]),
    );
    harness.openaiUpstream.fallback = { kind: "status", status: 500 };
    const real = await call(request);
    expect(real.status).toBe(502);
    const row = await generationRow(harness, real.id);
    expect((row.attempts as { endpoint: string }[]).map((a) => a.endpoint)).toEqual(
      plan.body.candidates.map((c) => c.endpoint),
    );
  });

  it("takes Anthropic's betas from the header as a real request does, and quotes a long prompt's long-context prices", async () => {
    const long = {
      model: "anthropic/claude-sonnet-4-5",
      messages: [{ role: "user", content: "alpha beta ".repeat(120_000) }],
    };
    // A body field is no way around the header (and not a 500 when it is not a list).
    const withoutBeta = await explain({ ...long, anthropic_beta: 5 });
    expect(withoutBeta.status).toBe(400);
    expect(JSON.stringify(withoutBeta.body)).toMatch(/prompt is too long: \d+ tokens > 200000 maximum/);
    const withBeta = await explain(long, harness.tenant.apiKey, {
      "anthropic-beta": "context-1m-2025-08-07",
    });
    expect(withBeta.body.candidates).toMatchObject([
      { endpoint: "anthropic:claude-sonnet-4-5", pricing: { prompt: "0.000006", completion: "0.0000225" } },
    ]);
  });

  it("honours provider.order, only, ignore, allow_fallbacks, max_price and the :floor suffix", async () => {
    expect(
      (await explain({ model: llama, provider: { order: ["together_ai", "groq"] } })).body.candidates.map(
        (c) => c.provider,
      ),
    ).toEqual(["together_ai", "groq", "deepinfra", "deepinfra"]);
    const noFallbacks = await explain({
      model: llama,
      provider: { order: ["together_ai"], allow_fallbacks: false },
    });
    expect(noFallbacks.body.candidates.map((c) => c.provider)).toEqual(["together_ai"]);
    expect(
      (await explain({ model: llama, provider: { ignore: ["deepinfra"] } })).body.candidates.map(
        (c) => c.provider,
      ),
    ).toEqual(["groq", "together_ai"]);
    const capped = await explain({ model: llama, provider: { max_price: { prompt: 0.6 } } });
    expect(capped.body.candidates.map((c) => c.provider)).toEqual(["deepinfra", "deepinfra", "groq"]);
    expect((await explain({ model: `${llama}:floor` })).body.strategy).toBe("price");
    const bad = await explain({ model: llama, provider: { sort: "vibes" } });
    expect(bad.status).toBe(400);
  });

  it("the default favours cheaper endpoints by inverse-square price weights", async () => {
    const plan = await explain({ model: llama });
    expect(plan.body.strategy).toBe("weighted");
    const weights = plan.body.candidates.map((c) => (c as unknown as { weight: number }).weight);
    expect(weights[0]).toBeGreaterThan(weights[2] as number);
    expect(weights.reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 6);
    harness.gateway.context.random = () => 0.999; // the dearest endpoint is drawn first
    const drawn = await explain({ model: llama });
    expect(drawn.body.candidates[0]?.provider).toBe("together_ai");
  });

  it("is capability-aware and says why each endpoint was excluded", async () => {
    const tooLong = await explain({ model: llama, max_tokens: 132_000 });
    // Only Together (whose limits the catalog does not know) is left; the others say why they were excluded.
    expect(tooLong.body.candidates.map((c) => c.provider)).toEqual(["together_ai"]);
    expect(tooLong.body.excluded.find((e) => e.endpoint === "groq:llama-3.3-70b-versatile")?.reason).toBe(
      "max_tokens 132000 exceeds the endpoint's maximum output of 32768",
    );
    const impossible = await explain({
      model: llama,
      max_tokens: 10_000_000,
      provider: { ignore: ["together_ai"] },
    });
    expect(impossible.status).toBe(400);
    expect(JSON.stringify(impossible.body)).toContain("exceeds the endpoint's maximum output");
    // When every endpoint refuses for the same field, the error names it.
    const tooMuch = await explain({ model: "sandbox/junction-small", max_tokens: 20_000 });
    expect(tooMuch.status).toBe(400);
    expect((tooMuch.body as unknown as { error: { param: string } }).error.param).toBe("max_tokens");
    const vision = await explain({
      model: llama,
      messages: [
        { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] },
      ],
    });
    expect(vision.status).toBe(400);
    expect(JSON.stringify(vision.body)).toContain("does not support image input");
    const pdf = await explain({
      model: llama,
      messages: [
        {
          role: "user",
          content: [{ type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=" } }],
        },
      ],
    });
    expect(pdf.status).toBe(400);
    expect(JSON.stringify(pdf.body)).toContain("does not support file input");
  });

  it("keeps a long conversation on the endpoint that cached its prefix", async () => {
    const longSystem = "You are a meticulous assistant. ".repeat(300);
    const conversation = [
      { role: "system", content: longSystem },
      { role: "user", content: "First question" },
    ];
    harness.gateway.context.random = () => 0.999; // first pick: Together
    const first = await call({
      model: llama,
      messages: conversation,
      provider: { only: ["groq", "together_ai"] },
    });
    expect(first.body.provider).toBe("Together AI");
    await new Promise((resolve) => setTimeout(resolve, 100));
    harness.gateway.context.random = () => 0; // would pick Groq, but the prefix is cached on Together
    const next = await call({
      model: llama,
      messages: [
        ...conversation.slice(0, 1),
        { role: "user", content: "First question" },
        { role: "user", content: "Second" },
      ].slice(0, 2),
      provider: { only: ["groq", "together_ai"] },
    });
    expect(next.body.provider).toBe("Together AI");
  });
});

describe("policies", () => {
  it("block and allow as written, with 403 naming the policy and the version hash in the receipt", async () => {
    const key = await createTestKey(harness.database.db, harness.tenant.organizationId);
    const saved = await savePolicyVersion(harness.database.db, {
      organizationId: harness.tenant.organizationId,
      name: "sandbox-only",
      rules: { allowModels: ["sandbox/*"], maxTokens: 500 },
    });
    await harness.database.db.apiKey.update({ where: { id: key.keyId }, data: { policyId: saved.policyId } });
    const blocked = await call({ model: "openai/gpt-4o-mini" }, key.apiKey);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.message).toContain('Policy "sandbox-only"');
    const tooMany = await call({ model: "sandbox/junction-small", max_tokens: 600 }, key.apiKey);
    expect(tooMany.status).toBe(403);
    const allowed = await call({ model: "sandbox/junction-small" }, key.apiKey);
    expect(allowed.status).toBe(200);
    const row = await generationRow(harness, allowed.id);
    expect(row.policyVersionHash).toBe(saved.hash);
    expect((row.receipt as { policy: { versionHash: string } }).policy.versionHash).toBe(saved.hash);
  });

  it("data policies exclude providers that train or retain", async () => {
    await savePolicyVersion(harness.database.db, {
      organizationId: harness.tenant.organizationId,
      name: "org-default",
      rules: { zdrOnly: true },
    });
    const policy = await harness.database.db.policy.findFirstOrThrow({ where: { name: "org-default" } });
    const org = await harness.database.db.organization.update({
      where: { id: harness.tenant.organizationId },
      data: { activePolicyId: policy.id },
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 5_100)); // policy cache TTL
      const plan = await explain({ model: "openai/gpt-4o-mini" });
      expect(plan.status).toBe(403);
      expect(JSON.stringify(plan.body)).toContain("does not offer zero data retention");
    } finally {
      await harness.database.db.organization.update({
        where: { id: org.id },
        data: { activePolicyId: null },
      });
    }
  });
});

describe("provenance receipts", () => {
  it("every generation has a receipt that verifies offline with the published key, and any edit fails", async () => {
    harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
    const writer = harness.gateway.context.writer;
    const write = writer.write;
    const written: UnsignedGeneration[] = [];
    writer.write = (row, body) => {
      written.push(row);
      return write.call(writer, row, body);
    };
    let result: Awaited<ReturnType<typeof call>>;
    try {
      result = await call({ model: llama, provider: { only: ["groq", "together_ai"] } });
    } finally {
      writer.write = write;
    }
    // Built with its keys in order at every depth (a failed attempt's errorClass included): signing and storing it
    // serialize it with plain JSON.stringify.
    expect(written.map((row) => row.id)).toEqual([result.id]);
    expect(stringifiesCanonically(written[0]?.receipt)).toBe(true);
    const generation = (await (
      await fetch(`${harness.gateway.url}/v1/generations/${result.id}`, {
        headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
      })
    ).json()) as { data: { receipt: Record<string, unknown>; signature: string } };
    const key = (await (await fetch(`${harness.gateway.url}/.well-known/junction-receipt-key`)).json()) as {
      public_key_pem: string;
    };
    const { receipt, signature } = generation.data;
    expect(receipt).toMatchObject({
      generationId: result.id,
      requestedModel: llama,
      servedModel: llama,
      provider: "together_ai",
      attempts: [
        { provider: "groq", errorClass: "http_500" },
        { provider: "together_ai", status: "success" },
      ],
    });
    expect(verifyReceipt(receipt, signature, key.public_key_pem)).toBe(true);
    expect(verifyReceipt({ ...receipt, provider: "groq" }, signature, key.public_key_pem)).toBe(false);
    const cost = receipt.cost as Record<string, string>;
    expect(
      verifyReceipt({ ...receipt, cost: { ...cost, totalNanoUsd: "1" } }, signature, key.public_key_pem),
    ).toBe(false);
  });
});

/** A funded organization with its own provider key (BYOK), stored as given. */
async function tenantWithOwnKey(providerId: string, secret: string) {
  const tenant = await createTestTenant(harness.database.db, { creditNano: 1_000_000_000n });
  await saveProviderCredential(harness.database.db, parseKeyEncryptionKeys(kek), {
    organizationId: tenant.organizationId,
    providerId,
    secret,
  });
  return tenant;
}

describe("retry budget", () => {
  it("stops fallbacks from multiplying load once spent", async () => {
    harness.gateway.context.retryBudget = new RetryBudget(0, 1); // one fallback in total
    harness.openaiUpstream.fallback = { kind: "status", status: 500 };
    const first = await call({ model: llama, provider: { only: ["groq", "together_ai"] } });
    expect((await generationRow(harness, first.id)).attempts).toHaveLength(2);
    const second = await call({ model: llama, provider: { only: ["groq", "together_ai"] } });
    expect(second.status).toBe(502);
    expect(second.body.error.message).toContain("retry budget");
    expect((await generationRow(harness, second.id)).attempts).toHaveLength(1);
  });

  it("fallbacks after an organization's own key failed spend that organization's share, not everyone's", async () => {
    harness.gateway.context.retryBudget = new RetryBudget(0, 1); // one fallback each
    const own = await tenantWithOwnKey("groq", "gsk-org-own-failing-key");
    const only = { model: llama, provider: { only: ["groq", "together_ai"] } };
    // The organization's own Groq key fails, twice: its first fallback is its own, the second is refused.
    for (const expected of [200, 502]) {
      harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
      const result = await call(only, own.apiKey);
      expect(result.status).toBe(expected);
    }
    // Another tenant's failure on the platform's key is still retried elsewhere.
    harness.openaiUpstream.queue.push({ kind: "status", status: 500 });
    const other = await call(only);
    expect(other.status).toBe(200);
    expect(
      ((await generationRow(harness, other.id)).attempts as Attempt[]).map((a) => [a.provider, a.status]),
    ).toEqual([
      ["groq", "error"],
      ["together_ai", "success"],
    ]);
  });

  it("an organization's own key that cannot be sent (a line break in it) counts against it, not the shared endpoint", async () => {
    const own = await tenantWithOwnKey("groq", "gsk-org-own\r\nX-Injected: 1");
    const only = { model: llama, provider: { only: ["groq", "together_ai"] } };
    // More failures than open the breaker (3 here): each falls back to Together, and says what is wrong.
    for (let index = 0; index < 4; index++) {
      const result = await call(only, own.apiKey);
      expect(result.status).toBe(200);
      const attempts = (await generationRow(harness, result.id)).attempts as Attempt[];
      expect(attempts.map((a) => [a.provider, a.status, a.errorClass ?? null])).toEqual([
        ["groq", "error", "credential"],
        ["together_ai", "success", null],
      ]);
    }
    expect(harness.openaiUpstream.requests.map((r) => r.headers.authorization)).not.toContain(
      expect.stringContaining("X-Injected"),
    );
    // Groq still serves everyone else.
    const explained = await explain(only);
    expect(explained.body.candidates.map((c) => c.provider)).toEqual(["groq", "together_ai"]);
  });
});

/** What GET /v1/models lists as each Llama endpoint's supported parameters, by provider. */
async function llamaParameters() {
  const models = (await (
    await fetch(`${harness.gateway.url}/v1/models?all=true`, {
      headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
    })
  ).json()) as {
    data: { id: string; endpoints: { provider: string; supported_parameters: string[] }[] }[];
  };
  const endpoints = models.data.find((model) => model.id === llama)?.endpoints ?? [];
  return (provider: string) => endpoints.find((e) => e.provider === provider)?.supported_parameters;
}

describe("fields that bind the answer (logit_bias)", () => {
  const only = (...providers: string[]) => ({ model: llama, provider: { only: providers } });
  const lastBody = () => harness.openaiUpstream.requests.at(-1)?.body as Record<string, unknown>;

  it("pass over the hosts that refuse them (Groq answers 400), saying why, and reach one that takes them", async () => {
    const biased = { ...only("groq", "together_ai"), logit_bias: { "9642": 100 } };
    const result = await call(biased);
    expect(result.status).toBe(200);
    const attempts = (await generationRow(harness, result.id)).attempts as Attempt[];
    expect(attempts.map((a) => [a.provider, a.status])).toEqual([["together_ai", "success"]]);
    expect(lastBody()).toMatchObject({ logit_bias: { "9642": 100 } });
    const explained = await explain(biased);
    expect(explained.body.candidates.map((c) => c.provider)).toEqual(["together_ai"]);
    expect(JSON.stringify(explained.body.excluded)).toContain("does not take logit_bias");
    // OpenAI's legacy functions bind no host: they go as tools, to the first host in line.
    const legacy = await call({
      ...only("groq", "together_ai"),
      functions: [{ name: "get_weather", parameters: { type: "object" } }],
    });
    expect(legacy.status).toBe(200);
    const legacyAttempts = (await generationRow(harness, legacy.id)).attempts as Attempt[];
    expect(legacyAttempts.map((a) => a.provider)).toEqual(["groq"]);
    expect(lastBody()).toMatchObject({ tools: [{ type: "function", function: { name: "get_weather" } }] });
    expect(lastBody()).not.toHaveProperty("functions");
  });

  it("a request only refusing hosts could serve is a 400 naming the field, before any host is called", async () => {
    const sent = harness.openaiUpstream.requests.length;
    const result = await call({ ...only("groq"), logit_bias: { "9642": 100 } });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ param: "logit_bias" });
    expect(harness.openaiUpstream.requests).toHaveLength(sent);
  });

  it("are listed only for the endpoints that take them", async () => {
    const parameters = await llamaParameters();
    expect(parameters("together_ai")).toContain("logit_bias");
    expect(parameters("groq")).not.toContain("logit_bias");
  });
});

describe("open models' samplers (top_k, min_p, repetition_penalty, top_a)", () => {
  const samplers = { top_k: 40, min_p: 0.05, repetition_penalty: 1.1, top_a: 0.2 };

  it("reach the hosts that take them and no other, and are listed as the endpoint's supported parameters", async () => {
    const lastBody = () => harness.openaiUpstream.requests.at(-1)?.body as Record<string, unknown>;
    expect((await call({ model: llama, ...samplers, provider: { only: ["together_ai"] } })).status).toBe(200);
    expect(lastBody()).toMatchObject({ top_k: 40, min_p: 0.05, repetition_penalty: 1.1 });
    expect(lastBody()).not.toHaveProperty("top_a"); // OpenRouter's alone
    // Groq refuses what it does not know: it is sent none of them, and the answer is the same.
    expect((await call({ model: llama, ...samplers, provider: { only: ["groq"] } })).status).toBe(200);
    for (const sampler of Object.keys(samplers)) expect(lastBody()).not.toHaveProperty(sampler);

    const parameters = await llamaParameters();
    expect(parameters("together_ai")).toEqual(
      expect.arrayContaining(["top_k", "min_p", "repetition_penalty"]),
    );
    expect(parameters("groq")).not.toContain("min_p");
  });

  it("with provider.require_parameters, route only to the endpoints that are sent them", async () => {
    const result = await call({ model: llama, min_p: 0.05, provider: { require_parameters: true } });
    expect(result.status).toBe(200);
    const attempts = (await generationRow(harness, result.id)).attempts as Attempt[];
    expect(attempts.map((attempt) => attempt.provider)).not.toContain("groq");
    expect(attempts.at(-1)).toMatchObject({ provider: "together_ai", status: "success" });
    const explained = await explain({ model: llama, min_p: 0.05, provider: { require_parameters: true } });
    expect(JSON.stringify(explained.body)).toContain("does not take min_p (require_parameters)");
  });

  it("are checked at the edge: out of range is a 400 naming the field", async () => {
    for (const [field, value] of [
      ["min_p", 1.5],
      ["top_a", -1],
      ["repetition_penalty", 0],
    ] as const) {
      const result = await call({ model: llama, [field]: value });
      expect(result.status).toBe(400);
      expect(result.body.error.param).toBe(field);
    }
  });
});
