import { createTestTenant } from "@junction/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/gateway.js";
import { type Harness, startHarness, startSecondGateway } from "./harness.js";

let harness: Harness;
let second: RunningGateway;
beforeAll(async () => {
  harness = await startHarness();
  second = await startSecondGateway(harness);
});
afterAll(async () => {
  await second.close();
  await harness.close();
});

// One output token: the sandbox's actual cost equals the reserved worst case, so credit for N requests buys N.
const request = {
  model: "sandbox/junction-small",
  max_tokens: 1,
  messages: [{ role: "user" as const, content: "Count me" }],
};

/** The worst case of `request` (with `maxTokens` output tokens): with one output token, also its cost. */
async function costOfOne(apiKey: string, maxTokens = request.max_tokens): Promise<bigint> {
  const explained = await fetch(`${harness.gateway.url}/v1/routing/explain`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ ...request, max_tokens: maxTokens }),
  });
  const body = (await explained.json()) as { candidates: { worst_case_cost_usd: string }[] };
  return BigInt(Math.round(Number(body.candidates[0]?.worst_case_cost_usd) * 1e9));
}

describe("reserve-then-settle across two gateway instances", () => {
  it("serves exactly what the credit covers under concurrency; the balance never goes below zero", async () => {
    const probe = await createTestTenant(harness.database.db, { creditNano: 1_000_000_000n });
    const unit = await costOfOne(probe.apiKey);
    expect(unit).toBeGreaterThan(0n);
    const tenant = await createTestTenant(harness.database.db, { name: "Exact", creditNano: unit * 20n });
    const clients = [harness.gateway.url, second.url].map(
      (url) => new OpenAI({ apiKey: tenant.apiKey, baseURL: `${url}/v1`, maxRetries: 0 }),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, index) =>
        (clients[index % 2] as OpenAI).chat.completions.create(request),
      ),
    );
    const served = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result) => result.status === "rejected");
    expect(served).toHaveLength(20);
    for (const failure of refused) {
      expect((failure as PromiseRejectedResult).reason).toMatchObject({ status: 402 });
    }
    // Rows and settlements are written after the responses: wait for both instances.
    await Promise.all([harness.gateway.idle(), second.idle()]);
    const generations = await harness.database.db.generation.findMany({
      where: { organizationId: tenant.organizationId, status: "success" },
    });
    const spent = generations.reduce((sum, generation) => sum + generation.cost, 0n);
    expect(spent).toBe(unit * 20n);
    const credits = await fetch(`${harness.gateway.url}/v1/credits`, {
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    });
    expect(((await credits.json()) as { data: { balance_nano_usd: string } }).data.balance_nano_usd).toBe(
      "0",
    );
  });

  it("a key's credit limit holds across instances too", async () => {
    const unit = await costOfOne(harness.tenant.apiKey);
    const { createTestKey } = await import("@junction/testing");
    const key = await createTestKey(harness.database.db, harness.tenant.organizationId, {
      keyLimitNano: unit * 5n,
      limitReset: "daily",
    });
    const clients = [harness.gateway.url, second.url].map(
      (url) => new OpenAI({ apiKey: key.apiKey, baseURL: `${url}/v1`, maxRetries: 0 }),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) =>
        (clients[index % 2] as OpenAI).chat.completions.create(request),
      ),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(5);
    // Refused while the five served ones still held the limit: those may return what they do not spend.
    const refusal = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refusal.reason).toMatchObject({ status: 402, error: { metadata: { limit_source: "in_flight" } } });
  });

  it("a finished request holds only its cost: the client's next request fits at once, and both are billed exactly", async () => {
    const { createTestKey } = await import("@junction/testing");
    const [first, second] = [
      await costOfOne(harness.tenant.apiKey, 200),
      await costOfOne(harness.tenant.apiKey, 150),
    ];
    // Room for the first request's worst case and one nano-USD short of the second's as well: the second fits only
    // if the first, once answered (far fewer than 200 tokens), no longer holds its whole worst case.
    const limit = first + second - 1n;
    const key = await createTestKey(harness.database.db, harness.tenant.organizationId, {
      keyLimitNano: limit,
    });
    const client = harness.openai(key.apiKey);
    const costs: bigint[] = [];
    for (const maxTokens of [200, 150]) {
      // Back to back, as an agent loop sends them: no waiting for the first row to reach Postgres.
      const answer = await client.chat.completions.create({ ...request, max_tokens: maxTokens });
      const usage = answer.usage as unknown as { cost_details: { total_nano_usd: string } };
      costs.push(BigInt(usage.cost_details.total_nano_usd));
    }
    expect(costs[0]).toBeLessThan(first);
    // Once settled, Redis holds nothing for the key and has taken exactly the two costs, as Postgres has.
    await harness.gateway.idle();
    const spent = (costs[0] as bigint) + (costs[1] as bigint);
    const redis = harness.gateway.context.redis;
    const counters = await redis.keys(`${harness.env.JUNCTION_REDIS_PREFIX}:credit:key:${key.keyId}:*`);
    const counter = async (suffix: string) =>
      BigInt((await redis.get(counters.find((name) => name.endsWith(suffix)) as string)) ?? "-1");
    expect(await counter(":remaining")).toBe(limit - spent);
    expect(await counter(":reserved")).toBe(0n);
    const principal = await harness.gateway.context.auth.authenticate({
      authorization: `Bearer ${key.apiKey}`,
    });
    expect(await harness.gateway.context.credits.keyPeriodSpend(principal)).toBe(spent);
  });

  it("what ended requests hold until settled is spent, not in flight: a 402 at the end of credit says credits", async () => {
    const probe = await createTestTenant(harness.database.db, { creditNano: 1_000_000_000n });
    const worst = await costOfOne(probe.apiKey, 200);
    // Credit for one request's worst case: its cost leaves less than a second worst case.
    const tenant = await createTestTenant(harness.database.db, {
      name: "Last request",
      creditNano: worst + 10n,
    });
    const client = harness.openai(tenant.apiKey);
    await client.chat.completions.create({ ...request, max_tokens: 200 });
    // Sent before the first request's row is durable: its cost is still held, but it will not come back.
    await expect(client.chat.completions.create({ ...request, max_tokens: 200 })).rejects.toMatchObject({
      status: 402,
      error: { metadata: { limit_source: "credits" } },
    });
  });

  it("says in_flight, not key_limit, when a key's limit is held by its own live requests", async () => {
    const probe = await createTestTenant(harness.database.db, { creditNano: 1_000_000_000n });
    const worst = await costOfOne(probe.apiKey, 1000);
    const tenant = await createTestTenant(harness.database.db, {
      name: "Busy key",
      creditNano: 1_000_000_000n,
      keyLimitNano: worst + 10n,
    });
    const principal = await harness.gateway.context.auth.authenticate({
      authorization: `Bearer ${tenant.apiKey}`,
    });
    // A live request holds half of the key's limit.
    await harness.gateway.context.credits.reserve(principal, worst / 2n, "gen_livereservationonthekey0000");
    const ask = () =>
      harness
        .openai(tenant.apiKey)
        .chat.completions.create({ ...request, max_tokens: 1000 })
        .catch((e: unknown) => e);
    expect(await ask()).toMatchObject({ status: 402, error: { metadata: { limit_source: "in_flight" } } });
    // A request the limit cannot cover even when nothing is held is over the key's limit.
    const over = await harness
      .openai(tenant.apiKey)
      .chat.completions.create({ ...request, max_tokens: 3000 })
      .catch((e: unknown) => e);
    expect(over).toMatchObject({ status: 402, error: { metadata: { limit_source: "key_limit" } } });
  });

  it("returns the reservations of a gateway that died mid-request", async () => {
    const tenant = await createTestTenant(harness.database.db, { name: "Crash", creditNano: 1_000_000n });
    const principal = await harness.gateway.context.auth.authenticate({
      authorization: `Bearer ${tenant.apiKey}`,
    });
    // A reservation taken by a gateway that then vanished (never settled), already past its deadline.
    await harness.gateway.context.credits.reserve(principal, 600_000n, "gen_crashedreservation000000000");
    const refused = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ ...request, max_tokens: 1000 }),
    });
    expect(refused.status).toBe(402);
    expect(
      ((await refused.json()) as { error: { metadata: { limit_source: string } } }).error.metadata
        .limit_source,
    ).toBe("in_flight");
    expect(
      await harness.gateway.context.credits.reapExpired(Date.now() + 24 * 3600_000),
    ).toBeGreaterThanOrEqual(1);
    const served = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ ...request, max_tokens: 1000 }),
    });
    expect(served.status).toBe(200);
  });
});
