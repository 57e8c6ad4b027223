import { parseEnv, workerSchema } from "@junction/config";
import { newId } from "@junction/core";
import { settledBalance } from "@junction/db";
import { Producers } from "@junction/queue";
import {
  createTestDatabase,
  createTestRedisPrefix,
  createTestTenant,
  type TestDatabase,
  type TestTenant,
} from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestGenerationUsage } from "../src/ingest-usage.js";
import { reenqueueUningested } from "../src/sweep.js";
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
    });
    const producers = new Producers({ url: redis.url, prefix: redis.prefix });
    const workers = await startWorkers(env, database.db);
    try {
      const queued = await settledGeneration(1_000n);
      await producers.enqueue("usage", { generationId: queued }, queued);
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
      expect(workers.health.lastHeartbeatAt).not.toBeNull();
    } finally {
      await workers.close();
      await producers.close();
    }
  });
});
