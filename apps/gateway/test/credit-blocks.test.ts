import { usdToNano } from "@junction/core";
import { creditKeys, creditsChanged } from "@junction/queue";
import { createTestKey, createTestTenant } from "@junction/testing";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { CreditGuard } from "../src/credits.js";
import { twoGateways } from "./harness.js";

const gateways = twoGateways();
// Blocks close 1 s after opening by default; a stalled CI machine must not close one before the counters are read
// (idle() still closes them all).
const BLOCK_OPEN_MS = 30_000;
beforeAll(() => {
  for (const gateway of [gateways.harness.gateway, gateways.second])
    gateway.context.credits.blockOpenMs = BLOCK_OPEN_MS;
});

const request = {
  model: "sandbox/junction-small",
  max_tokens: 1,
  messages: [{ role: "user" as const, content: "Count me" }],
};

const redis = () => gateways.harness.gateway.context.redis;
const keysOf = (organizationId: string) =>
  creditKeys(gateways.harness.env.JUNCTION_REDIS_PREFIX, organizationId);

/** What Redis says is spendable and held, and the reservations it knows (by id prefix). */
async function counters(organizationId: string) {
  const keys = keysOf(organizationId);
  const [available, reserved, reservations] = await Promise.all([
    redis().get(keys.available),
    redis().get(keys.reserved),
    redis().hkeys(keys.reservations),
  ]);
  return {
    available: available === null ? null : BigInt(available),
    reserved: BigInt(reserved ?? "0"),
    blocks: reservations.filter((id) => id.startsWith("blk_")).length,
    exact: reservations.filter((id) => id.startsWith("gen_")).length,
  };
}

async function idle(): Promise<void> {
  await Promise.all([gateways.harness.gateway.idle(), gateways.second.idle()]);
}

describe("credit blocks: Redis off the request path while the balance is far from exhausted", () => {
  it("serves a well-funded key from one block per instance and leaves the counters exact", async () => {
    const tenant = await createTestTenant(gateways.harness.database.db, {
      name: "Funded",
      creditNano: 10n ** 12n,
    });
    const clients = [gateways.harness.gateway.url, gateways.second.url].map(
      (url) => new OpenAI({ apiKey: tenant.apiKey, baseURL: `${url}/v1`, maxRetries: 0 }),
    );
    // The first request of each instance opens its block; while the blocks are open, Redis holds them and no
    // per-request reservation.
    await Promise.all(clients.map((client) => client.chat.completions.create(request)));
    const during = await counters(tenant.organizationId);
    expect(during.blocks).toBe(2);
    expect(during.exact).toBe(0);

    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (clients[index % 2] as OpenAI).chat.completions.create(request),
      ),
    );
    expect(results).toHaveLength(40);
    const busy = await counters(tenant.organizationId);
    expect(busy.exact).toBe(0);

    // Closed blocks return what they did not spend: Redis agrees with Postgres to the nano-dollar.
    await idle();
    const after = await counters(tenant.organizationId);
    expect(after).toMatchObject({ reserved: 0n, blocks: 0, exact: 0 });
    const settled = await gateways.harness.gateway.context.credits.settledBalance(tenant.organizationId);
    expect(after.available).toBe(settled);
    const generations = await gateways.harness.database.db.generation.findMany({
      where: { organizationId: tenant.organizationId },
    });
    expect(generations).toHaveLength(42);
    const spent = generations.reduce((sum, generation) => sum + generation.cost, 0n);
    expect(spent).toBeGreaterThan(0n);
    expect(settled).toBe(10n ** 12n - spent);
  });

  it("reserves exactly when the balance is too small for a block", async () => {
    // Credit for 100 requests: a block of 32 needs four times that available.
    const explained = await fetch(`${gateways.harness.gateway.url}/v1/routing/explain`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${gateways.harness.tenant.apiKey}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(request),
    });
    const worst = ((await explained.json()) as { candidates: { worst_case_cost_usd: string }[] })
      .candidates[0]?.worst_case_cost_usd as string;
    const tenant = await createTestTenant(gateways.harness.database.db, {
      name: "Thin",
      creditNano: usdToNano(worst) * 100n,
    });
    await gateways.harness.openai(tenant.apiKey).chat.completions.create(request);
    const during = await counters(tenant.organizationId);
    expect(during.blocks).toBe(0);
    await idle();
    expect(await counters(tenant.organizationId)).toMatchObject({ reserved: 0n, blocks: 0, exact: 0 });
  });

  it("keeps a key's credit limit exact through its block", async () => {
    const key = await createTestKey(gateways.harness.database.db, gateways.harness.tenant.organizationId, {
      keyLimitNano: 10n ** 11n,
      limitReset: "monthly",
    });
    const client = gateways.harness.openai(key.apiKey);
    for (let i = 0; i < 5; i++) await client.chat.completions.create(request);
    expect((await counters(gateways.harness.tenant.organizationId)).blocks).toBeGreaterThanOrEqual(1);
    await idle();
    const principal = await gateways.harness.gateway.context.auth.authenticate({
      authorization: `Bearer ${key.apiKey}`,
    });
    const spent = await gateways.harness.gateway.context.credits.keyPeriodSpend(principal);
    expect(spent).toBeGreaterThan(0n);
    const remainingKeys = await redis().keys(
      `${gateways.harness.env.JUNCTION_REDIS_PREFIX}:credit:key:${key.keyId}:*`,
    );
    const remaining = remainingKeys.find((name) => name.endsWith(":remaining")) as string;
    const reserved = remainingKeys.find((name) => name.endsWith(":reserved")) as string;
    expect(BigInt((await redis().get(remaining)) ?? "-1")).toBe(10n ** 11n - spent);
    expect(BigInt((await redis().get(reserved)) ?? "0")).toBe(0n);
  });

  it("drops the block of a gateway that died and rebuilds the counters from Postgres", async () => {
    const tenant = await createTestTenant(gateways.harness.database.db, {
      name: "Orphan",
      creditNano: 10n ** 12n,
    });
    const principal = await gateways.harness.gateway.context.auth.authenticate({
      authorization: `Bearer ${tenant.apiKey}`,
    });
    // Another instance opens a block, spends part of it (the row is in Postgres) and vanishes.
    const dead = new CreditGuard(
      gateways.harness.database.db,
      redis(),
      gateways.harness.env.JUNCTION_REDIS_PREFIX,
      gateways.harness.env.UPSTREAM_TOTAL_TIMEOUT_MS,
    );
    dead.blockOpenMs = BLOCK_OPEN_MS; // its block stays held until the reaper drops it
    await dead.reserve(principal, 1_000_000n, "gen_deadgatewayreservation00000");
    const held = await counters(tenant.organizationId);
    expect(held).toMatchObject({ reserved: 32_000_000n, blocks: 1 });

    expect(
      await gateways.harness.gateway.context.credits.reapExpired(Date.now() + 24 * 3600_000),
    ).toBeGreaterThanOrEqual(1);
    const reaped = await counters(tenant.organizationId);
    expect(reaped).toMatchObject({ available: null, reserved: 0n, blocks: 0 });

    await gateways.harness.openai(tenant.apiKey).chat.completions.create(request);
    await idle();
    const settled = await gateways.harness.gateway.context.credits.settledBalance(tenant.organizationId);
    expect((await counters(tenant.organizationId)).available).toBe(settled);
  });
});

describe("counter refresh: a busy organization's counter is rebuilt from Postgres off the request path", () => {
  const guard = () => gateways.harness.gateway.context.credits;

  async function fundedClient(name: string) {
    const tenant = await createTestTenant(gateways.harness.database.db, { name, creditNano: 10n ** 12n });
    return { tenant, client: gateways.harness.openai(tenant.apiKey) };
  }

  /** `refresh`, with `during` run between its read of Postgres and its Lua step. */
  async function refreshWith(organizationId: string, during: () => Promise<unknown>): Promise<boolean> {
    const original = guard().settledBalance.bind(guard());
    guard().settledBalance = async (id) => {
      const balance = await original(id);
      await during();
      return balance;
    };
    try {
      return await guard().refresh(organizationId);
    } finally {
      guard().settledBalance = original;
    }
  }

  it("puts a drifted counter back to the truth and extends its life, without the request waiting for it", async () => {
    const { tenant, client } = await fundedClient("Refreshed");
    await client.chat.completions.create(request);
    await idle();
    const keys = keysOf(tenant.organizationId);
    // Drifted above the truth (the dangerous way), and about to expire.
    const truth = await guard().settledBalance(tenant.organizationId);
    await redis().set(keys.available, (truth + 1_000_000n).toString(), "PX", 5_000);
    const refreshAfterMs = guard().refreshAfterMs;
    guard().refreshAfterMs = 0;
    // The request's row waits until the refresh has read Postgres: this test is about the drift, not the race (that
    // is the next test), and a slow read must not see the row and its settlement both.
    const { writer } = gateways.harness.gateway.context;
    const [settledBalance, write] = [guard().settledBalance, writer.write];
    let readDone: () => void = () => undefined;
    const read = new Promise<void>((resolve) => {
      readDone = resolve;
    });
    guard().settledBalance = async (id) => {
      const balance = await settledBalance.call(guard(), id);
      readDone();
      return balance;
    };
    writer.write = (row, body) => read.then(() => write.call(writer, row, body));
    try {
      await client.chat.completions.create(request); // starts a refresh; does not wait for it
      await idle();
    } finally {
      guard().refreshAfterMs = refreshAfterMs;
      guard().settledBalance = settledBalance;
      writer.write = write;
    }
    const settled = await guard().settledBalance(tenant.organizationId);
    expect((await counters(tenant.organizationId)).available).toBe(settled);
    expect(await redis().pttl(keys.available)).toBeGreaterThan(30_000);
  });

  it("does not miss a cost settled while it reads Postgres (the rebuild on expiry did)", async () => {
    const { tenant, client } = await fundedClient("Racing");
    await client.chat.completions.create(request);
    await idle();
    // The balance is read first; then a request is served, written and settled; then the refresh completes.
    const refreshed = await refreshWith(tenant.organizationId, async () => {
      await client.chat.completions.create(request);
      await idle();
    });
    expect(refreshed).toBe(true);
    const settled = await guard().settledBalance(tenant.organizationId);
    const after = await counters(tenant.organizationId);
    expect(after.reserved).toBe(0n);
    expect(after.available).toBe(settled);
  });

  it("leaves a counter that a top-up dropped during the read to the next request's rebuild", async () => {
    const { tenant, client } = await fundedClient("Topped up");
    await client.chat.completions.create(request);
    await idle();
    const refreshed = await refreshWith(tenant.organizationId, () =>
      creditsChanged(redis(), gateways.harness.env.JUNCTION_REDIS_PREFIX, tenant.organizationId),
    );
    expect(refreshed).toBe(false);
    expect((await counters(tenant.organizationId)).available).toBeNull();
  });
});
