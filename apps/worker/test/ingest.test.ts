import { parseEnv, workerSchema } from "@junction/config";
import { newId } from "@junction/core";
import { settledBalance } from "@junction/db";
import { Producers } from "@junction/queue";
import {
  createTestDatabase,
  createTestGeneration,
  createTestGenerations,
  createTestRedisPrefix,
  createTestTenant,
  type TestDatabase,
  type TestTenant,
} from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainBacklog, ingestGenerations, ingestGenerationUsage } from "../src/ingest-usage.js";
import { reenqueueUningested } from "../src/sweep.js";
import { UsageBatcher } from "../src/usage-batcher.js";
import { startWorkers } from "../src/worker.js";

let database: TestDatabase;
let tenant: TestTenant;
const redis = createTestRedisPrefix();
beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await createTestTenant(database.db, { creditNano: 1_000_000_000n });
});
afterAll(async () => {
  await database.drop();
  await redis.cleanup();
});

async function settledGeneration(cost: bigint, createdAt = new Date()): Promise<string> {
  const id = newId("generation");
  await database.db.generation.create({
    data: {
      id,
      organizationId: tenant.organizationId,
      apiKeyId: tenant.keyId,
      requestedModel: "sandbox/junction-small",
      servedModel: "sandbox/junction-small",
      providerId: "sandbox",
      apiFormat: "openai",
      route: "chat",
      status: "success",
      promptTokens: 10,
      completionTokens: 20,
      cost,
      createdAt,
    },
  });
  return id;
}

describe("usage ingestion", () => {
  it("turns a generation into exactly one debit and one rollup share, however often it is delivered", async () => {
    const id = await settledGeneration(12_345n);
    const balanceBefore = await settledBalance(database.db, tenant.organizationId);
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => ingestGenerationUsage(database.db, id)));
    expect(outcomes.filter((outcome) => outcome === "ingested")).toHaveLength(1);
    expect(await ingestGenerationUsage(database.db, id)).toBe("duplicate");
    const debits = await database.db.creditLedgerEntry.findMany({ where: { generationId: id } });
    expect(debits.map((entry) => entry.amount)).toEqual([-12_345n]);
    const rollup = await database.db.usageRollup.findFirstOrThrow({
      where: { organizationId: tenant.organizationId },
    });
    expect(rollup).toMatchObject({ requests: 1, promptTokens: 10n, completionTokens: 20n, cost: 12_345n });
    // The spendable balance already counted the generation before ingestion: it does not move.
    expect(await settledBalance(database.db, tenant.organizationId)).toBe(balanceBefore);
  });

  it("consumes usage jobs from BullMQ, and the sweep re-enqueues generations whose job was lost", async () => {
    const env = parseEnv(workerSchema, {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JUNCTION_REDIS_PREFIX: redis.prefix,
      WORKER_HEALTH_PORT: "0",
      // The worker's own sweep (at start-up) must leave the `lost` row below to the sweep under test.
      WORKER_REINGEST_AFTER_MS: "3600000",
    });
    const producers = new Producers({ url: redis.url, prefix: redis.prefix });
    const workers = await startWorkers(env, database.db);
    try {
      const queued = await settledGeneration(1_000n);
      await producers.enqueue("usage", { generationIds: [queued] }, queued);
      const lost = await settledGeneration(2_000n, new Date(Date.now() - 60_000)); // its job never made it to Redis
      expect(await reenqueueUningested(database.db, producers)).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < 100; i++) {
        const pending = await database.db.generation.count({
          where: { id: { in: [queued, lost] }, ingestedAt: null },
        });
        if (pending === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const entries = await database.db.creditLedgerEntry.findMany({
        where: { generationId: { in: [queued, lost] } },
      });
      expect(entries.map((entry) => entry.amount).sort()).toEqual([-1_000n, -2_000n].sort());
      await expect.poll(() => workers.health.lastHeartbeatAt, { timeout: 10_000 }).not.toBeNull();
    } finally {
      await workers.close();
      await producers.close();
    }
  });
});

describe("bulk ingestion", () => {
  it("overlapping batches, backlog drains and single jobs running at once count every generation exactly once", async () => {
    const other = await createTestTenant(database.db, { name: "bulk" });
    const base = Date.UTC(2026, 8, 1);
    const ids = await createTestGenerations(
      database.db,
      Array.from({ length: 600 }, (_, index) => ({
        organizationId: index % 2 ? tenant.organizationId : other.organizationId,
        apiKeyId: index % 3 ? (index % 2 ? tenant.keyId : other.keyId) : null,
        model: index % 5 ? "openai/gpt-4o-mini" : "anthropic/claude-sonnet-4",
        providerId: index % 5 ? "openai" : "anthropic",
        cost: BigInt(1_000 + index * 7),
        status: index % 11 ? ("success" as const) : ("error" as const),
        createdAt: new Date(base + (index % 48) * 3_600_000 + index),
      })),
    );
    const pending = await createTestGeneration(database.db, {
      organizationId: other.organizationId,
      cost: 99n,
      status: "pending",
      createdAt: new Date(base),
    });
    const batcher = new UsageBatcher(database.db, { maxBatch: 50, drainEveryMs: 1 });
    const [first, , , , , single] = await Promise.all([
      ingestGenerations(database.db, [...ids.slice(0, 300), pending, "gen_missing"]),
      ingestGenerations(database.db, ids.slice(200, 500)),
      ingestGenerations(database.db, [...ids].reverse().slice(0, 250)),
      drainBacklog(database.db, { limit: 100, createdBefore: new Date(base + 49 * 3_600_000) }),
      Promise.all(ids.slice(100, 400).map((id) => batcher.submit(id))),
      Promise.all(ids.slice(550).map((id) => ingestGenerationUsage(database.db, id))),
    ]);
    await drainBacklog(database.db, { createdBefore: new Date(base + 49 * 3_600_000) });
    await batcher.close();
    expect(first.get(pending)).toBe("pending");
    expect(first.get("gen_missing")).toBe("missing");
    expect(single.every((outcome) => outcome === "ingested" || outcome === "duplicate")).toBe(true);

    const debits = await database.db.creditLedgerEntry.groupBy({
      by: ["generationId"],
      where: { generationId: { in: ids } },
      _count: true,
      _sum: { amount: true },
    });
    expect(debits).toHaveLength(600);
    expect(debits.every((row) => row._count === 1)).toBe(true);
    const expectedCost = ids.reduce((sum, _, index) => sum + BigInt(1_000 + index * 7), 0n);
    expect(debits.reduce((sum, row) => sum + (row._sum.amount ?? 0n), 0n)).toBe(-expectedCost);
    const rollups = await database.db.usageRollup.aggregate({
      where: { hour: { gte: new Date(base), lt: new Date(base + 48 * 3_600_000) } },
      _sum: { cost: true, requests: true, errors: true },
    });
    expect(rollups._sum).toEqual({ cost: expectedCost, requests: 600, errors: 55 });
    expect(await database.db.generation.count({ where: { id: { in: ids }, ingestedAt: null } })).toBe(0);
    expect(await database.db.generation.findUniqueOrThrow({ where: { id: pending } })).toMatchObject({
      ingestedAt: null,
    });
  });
});
