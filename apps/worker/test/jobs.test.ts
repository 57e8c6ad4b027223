import { createStripeClient, createTopUpCheckout, handleStripeWebhook } from "@junction/billing";
import { parseEnv, workerSchema } from "@junction/config";
import { connectionOptions, Producers, type QueuePayload } from "@junction/queue";
import {
  createTestDatabase,
  createTestGeneration,
  createTestRedisPrefix,
  createTestTenant,
  type FakeStripe,
  startFakeStripe,
  type TestDatabase,
} from "@junction/testing";
import { QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkers } from "../src/worker.js";

let database: TestDatabase;
let fake: FakeStripe;
const redis = createTestRedisPrefix();
let producers: Producers;
let events: QueueEvents;
let workers: Awaited<ReturnType<typeof startWorkers>>;

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), startFakeStripe()]);
  const env = parseEnv(workerSchema, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    JUNCTION_REDIS_PREFIX: redis.prefix,
    WORKER_HEALTH_PORT: "0",
    WORKER_REINGEST_EVERY_MS: "3600000", // no scheduled sweep during the tests (the start-up one still runs)
    STRIPE_SECRET_KEY: "sk_test_worker",
    STRIPE_API_BASE: fake.url,
  });
  producers = new Producers({ url: redis.url, prefix: redis.prefix });
  events = new QueueEvents("rollups", { connection: connectionOptions(redis.url), prefix: redis.prefix });
  await events.waitUntilReady();
  workers = await startWorkers(env, database.db);
});
afterAll(async () => {
  await workers.close();
  await events.close();
  await producers.close();
  await Promise.all([database.drop(), fake.close(), redis.cleanup()]);
});

async function run(payload: QueuePayload<"rollups">): Promise<unknown> {
  const job = await producers.queue("rollups").add(payload.kind, payload);
  return job.waitUntilFinished(events, 30_000);
}

describe("periodic jobs through BullMQ", () => {
  it("registers a UTC job scheduler for every periodic job", async () => {
    const schedulers = await producers.queue("rollups").getJobSchedulers();
    const byId = new Map(schedulers.map((scheduler) => [scheduler.key, scheduler]));
    for (const kind of ["spend_report", "invoice", "ledger_checkpoint", "reconcile", "retention"]) {
      expect(byId.get(kind)?.tz).toBe("UTC");
    }
    expect(byId.has("reingest")).toBe(true);
    expect(byId.has("auto_topup")).toBe(true);
  });

  it("runs reports, invoices, checkpoints, reconciliation and auto top-up as jobs with JSON results", async () => {
    const tenant = await createTestTenant(database.db, { creditNano: 10n ** 10n });
    const generationId = await createTestGeneration(database.db, {
      organizationId: tenant.organizationId,
      cost: 42n,
      createdAt: new Date("2026-08-10T10:00:00Z"),
    });
    // The start-up sweep may take the row first (or hold it, SKIP LOCKED, while this one runs): the count is 0 or
    // 1, and either way the generation is ingested.
    const reingested = (await run({ kind: "reingest" })) as { ingested: number };
    expect([0, 1]).toContain(reingested.ingested);
    await expect
      .poll(
        async () =>
          (await database.db.generation.findUniqueOrThrow({ where: { id: generationId } })).ingestedAt,
        { timeout: 10_000 },
      )
      .not.toBeNull();
    expect(await run({ kind: "spend_report", at: "2026-08-10T12:00:00.000Z" })).toEqual({ reports: 2 });
    const invoices = await run({ kind: "invoice", at: "2026-09-05T00:00:00.000Z" });
    expect(invoices).toMatchObject({ finalized: [{ number: "JNC-000001", total: "42" }] });
    expect(await run({ kind: "ledger_checkpoint" })).toMatchObject({ written: 0 });
    const reconciled = await run({ kind: "reconcile", at: "2026-09-05T00:00:00.000Z" });
    expect(reconciled).toMatchObject({ ok: true, checked: { generations: 1, invoices: 1 } });
    expect(await run({ kind: "retention" })).toEqual({ purgedBodies: 0 });

    // Auto top-up: an organization that paid by card once, now below its threshold.
    const stripe = createStripeClient({ STRIPE_SECRET_KEY: "sk_test_worker", STRIPE_API_BASE: fake.url });
    const session = await createTopUpCheckout(database.db, stripe, {
      organizationId: tenant.organizationId,
      amountUsd: "5",
      successUrl: "https://app.example/ok",
      cancelUrl: "https://app.example/cancel",
    });
    const { checkoutSessionCompleted } = fake.completeCheckout(session.id);
    const payload = JSON.stringify(checkoutSessionCompleted);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_worker" });
    await handleStripeWebhook(database.db, stripe, payload, header, "whsec_worker");
    await database.db.organization.update({
      where: { id: tenant.organizationId },
      data: { autoTopUpThreshold: 10n ** 12n, autoTopUpAmount: 20_000_000_000n },
    });
    const topUp = await run({ kind: "auto_topup", organizationId: tenant.organizationId });
    expect(topUp).toMatchObject({
      checked: 1,
      started: [{ organizationId: tenant.organizationId, outcome: "charged" }],
    });
  });
});
