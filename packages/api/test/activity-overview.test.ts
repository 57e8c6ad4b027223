import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, recordGeneration, STARTER_CREDIT, signUpUser } from "./harness";

let h: Harness;
let owner: Awaited<ReturnType<typeof signUpUser>>;
let keyId: string;
beforeAll(async () => {
  h = await createHarness();
  owner = await signUpUser(h, "Owner");
  keyId = (await h.as(owner.userId).apiKeys.create({ name: "Main" })).apiKey.id;
});
afterAll(async () => {
  await h?.close();
});

describe("activity", () => {
  it("shows a request with its cost arithmetic, recomputed from the pinned price table", async () => {
    // 12 prompt tokens × $0.10/M + 40 completion tokens × $0.40/M = 1,200 + 16,000 = 17,200 nano-USD.
    const id = await recordGeneration(h.db, {
      organizationId: owner.organizationId,
      apiKeyId: keyId,
      cost: 17_200n,
    });
    const detail = await h.as(owner.userId).activity.get({ id });
    expect(detail).toMatchObject({ id, cost: 17_200n, apiKey: { id: keyId, name: "Main" }, stream: false });
    expect(detail.attempts).toEqual([
      {
        endpoint: "sandbox:junction-small",
        provider: "sandbox",
        status: "success",
        errorClass: null,
        latencyMs: 12,
      },
    ]);
    expect(detail.arithmetic).toMatchObject({
      prices: { input: 100_000_000n, output: 400_000_000n, cachedInput: 25_000_000n },
      breakdown: { inputCost: 1_200n, outputCost: 16_000n, total: 17_200n },
      matchesRecordedCost: true,
    });
    expect(detail).not.toHaveProperty("organizationId");
  });

  it("shows which long-context and one-hour cache prices a request was charged at", async () => {
    // anthropic/claude-sonnet-4-5 over 200,000 prompt tokens: $6/M input, $12/M an hour's cache write, $22.50/M
    // output. 250,000 prompt tokens, 1,000 of them written to the one-hour cache and 1,000 to the five-minute one
    // ($7.50/M): 248,000 × 6,000 + 1,000 × 7,500 + 1,000 × 12,000 + 100 × 22,500 nano-USD per million.
    const cost = 1_488_000_000n + 7_500_000n + 12_000_000n + 2_250_000n;
    const id = await recordGeneration(h.db, {
      organizationId: owner.organizationId,
      apiKeyId: keyId,
      cost,
      model: "anthropic/claude-sonnet-4-5",
      endpointId: "anthropic:claude-sonnet-4-5",
      tokens: {
        promptTokens: 250_000,
        completionTokens: 100,
        cacheWriteTokens: 2_000,
        cacheWrite1hTokens: 1_000,
      },
    });
    const detail = await h.as(owner.userId).activity.get({ id });
    expect(detail.arithmetic).toMatchObject({
      longContextAbove: 200_000,
      prices: { input: 6_000_000_000n, cacheWrite: 7_500_000_000n, cacheWrite1h: 12_000_000_000n },
      breakdown: { cacheWriteCost: 19_500_000n, cacheWrite1hCost: 12_000_000n, total: cost },
      matchesRecordedCost: true,
    });
  });

  it("filters by key, model and status and pages with a cursor", async () => {
    const api = h.as(owner.userId);
    const other = (await api.apiKeys.create({ name: "Other" })).apiKey.id;
    const base = Date.now() - 60_000;
    for (let i = 0; i < 3; i++) {
      await recordGeneration(h.db, {
        organizationId: owner.organizationId,
        apiKeyId: other,
        cost: 1n,
        model: "sandbox/junction-large",
        at: new Date(base + i),
      });
    }
    const byKey = await api.activity.list({ apiKeyId: other });
    expect(byKey.items).toHaveLength(3);
    expect(byKey.items.every((item) => item.apiKeyName === "Other")).toBe(true);
    expect((await api.activity.list({ model: "sandbox/junction-large" })).items).toHaveLength(3);
    expect((await api.activity.list({ status: "error" })).items).toHaveLength(0);

    const first = await api.activity.list({ apiKeyId: other, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1]?.id);
    const second = await api.activity.list({
      apiKeyId: other,
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(3);
  });
});

describe("overview", () => {
  it("balance, spend and the cost-by-day chart come from the ledger and the rollups", async () => {
    const fresh = await signUpUser(h, "Fresh");
    const api = h.as(fresh.userId);
    const empty = await api.overview.summary();
    expect(empty).toMatchObject({
      balance: STARTER_CREDIT,
      activeKeys: 0,
      hasRequests: false,
      gatewayUrl: "http://gateway.test",
    });

    const key = (await api.apiKeys.create({ name: "k" })).apiKey.id;
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
    await recordGeneration(h.db, { organizationId: fresh.organizationId, apiKeyId: key, cost: 17_200n });
    await recordGeneration(h.db, {
      organizationId: fresh.organizationId,
      apiKeyId: key,
      cost: 500n,
      at: yesterday,
      model: "sandbox/junction-large",
    });
    // Not yet ingested by the worker: already held against the balance, not yet in the rollups.
    await recordGeneration(h.db, {
      organizationId: fresh.organizationId,
      apiKeyId: key,
      cost: 99n,
      ingested: false,
    });

    const summary = await api.overview.summary();
    expect(summary.balance).toBe(STARTER_CREDIT - 17_200n - 500n - 99n);
    expect(summary.today).toEqual({ cost: 17_200n, requests: 1, errors: 0 });
    expect(summary.hasRequests).toBe(true);

    const chart = await api.overview.spend({ range: "7d" });
    expect(chart.buckets).toHaveLength(7);
    expect(chart.series.map((series) => series.id)).toEqual([
      "sandbox/junction-small",
      "sandbox/junction-large",
    ]);
    expect(chart.buckets.at(-1)).toMatchObject({
      total: 17_200n,
      requests: 1,
      bySeries: { "sandbox/junction-small": 17_200n, "sandbox/junction-large": 0n },
    });
    expect(chart.buckets.at(-2)?.bySeries["sandbox/junction-large"]).toBe(500n);
    expect(chart.buckets.reduce((sum, day) => sum + day.total, 0n)).toBe(17_700n);

    const credits = await api.credits.summary();
    expect(credits).toMatchObject({ pendingCost: 99n, pendingRequests: 1 });
  });

  it("the credits ledger lists money that moved: not the $0 debits of refused and failed requests", async () => {
    const user = await signUpUser(h, "Ledger");
    const paid = await recordGeneration(h.db, {
      organizationId: user.organizationId,
      apiKeyId: null,
      cost: 5n,
    });
    const free = await recordGeneration(h.db, {
      organizationId: user.organizationId,
      apiKeyId: null,
      cost: 0n,
    });
    const ledger = await h.as(user.userId).credits.ledger({});
    const generations = ledger.items.map((entry) => entry.generationId);
    expect(generations).toContain(paid);
    expect(generations).not.toContain(free);
    expect(ledger.items.some((entry) => entry.kind !== "usage")).toBe(true); // the starter credit is still there
  });
});
