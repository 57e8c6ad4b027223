import { createStripeClient, creditsChanged, type Stripe, stripeConfigured } from "@junction/billing";
import type { WorkerEnv } from "@junction/config";
import type { Db } from "@junction/db";
import { connectionOptions, Producers, parsePayload, QUEUES, type QueuePayload } from "@junction/queue";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { runAutoTopUps } from "./auto-top-up.js";
import { runInvoices } from "./invoices.js";
import { writeLedgerCheckpoints } from "./ledger-checkpoints.js";
import { log } from "./log.js";
import { reconcile } from "./reconcile.js";
import { purgeExpiredBodies } from "./retention.js";
import { generateSpendReports } from "./spend-reports.js";
import { ingestUningested } from "./sweep.js";
import { UsageBatcher } from "./usage-batcher.js";

export type WorkerHealth = {
  startedAt: Date;
  lastHeartbeatAt: Date | null;
  processed: number;
  failed: number;
};

type RollupKind = QueuePayload<"rollups">["kind"];

/**
 * When each periodic job runs (BullMQ job schedulers, UTC). Any worker instance may run any of them; every job is
 * idempotent, and the schedulers make one job per tick across all instances.
 */
function schedules(
  env: WorkerEnv,
  stripe: boolean,
): { kind: RollupKind; every?: number; pattern?: string }[] {
  return [
    { kind: "reingest", every: env.WORKER_REINGEST_EVERY_MS },
    { kind: "spend_report", pattern: "5 * * * *" },
    { kind: "invoice", pattern: "15 * * * *" },
    { kind: "ledger_checkpoint", pattern: "*/10 * * * *" },
    { kind: "reconcile", pattern: "30 3 * * *" },
    { kind: "retention", pattern: "45 * * * *" },
    ...(stripe ? [{ kind: "auto_topup" as const, every: 60_000 }] : []),
  ];
}

/** One periodic job; the return value (JSON-safe) is kept by BullMQ as the job's result. */
async function runRollupJob(
  env: WorkerEnv,
  db: Db,
  billing: { stripe: Stripe; redis: Redis } | null,
  payload: QueuePayload<"rollups">,
): Promise<unknown> {
  const at = payload.at ? new Date(payload.at) : new Date();
  switch (payload.kind) {
    case "reingest":
      return { ingested: await ingestUningested(db, { olderThanMs: env.WORKER_REINGEST_AFTER_MS }) };
    case "spend_report":
      return generateSpendReports(db, { at });
    case "invoice":
      return runInvoices(db, { at, graceHours: env.INVOICE_GRACE_HOURS });
    case "ledger_checkpoint":
      return writeLedgerCheckpoints(db);
    case "reconcile": {
      const report = await reconcile(db, { to: at });
      return { ...report, discrepancies: report.discrepancies.slice(0, 20) };
    }
    case "auto_topup":
      if (!billing) return { skipped: "Stripe is not configured" };
      return runAutoTopUps(db, billing.stripe, payload.organizationId, {
        // The gateways rebuild the organization's spendable amount from Postgres at once.
        onCredited: (organizationId) =>
          creditsChanged(billing.redis, env.JUNCTION_REDIS_PREFIX, organizationId),
      });
    case "retention":
      return { purgedBodies: await purgeExpiredBodies(db, at) };
  }
}

/** Starts the BullMQ consumers and the periodic job schedulers. Returns a graceful `close()`. */
export async function startWorkers(
  env: WorkerEnv,
  db: Db,
): Promise<{ health: WorkerHealth; close: () => Promise<void> }> {
  const health: WorkerHealth = { startedAt: new Date(), lastHeartbeatAt: null, processed: 0, failed: 0 };
  const connection = connectionOptions(env.REDIS_URL);
  const prefix = env.JUNCTION_REDIS_PREFIX;
  const producers = new Producers({ url: env.REDIS_URL, prefix });
  const billing = stripeConfigured(env)
    ? {
        stripe: createStripeClient(env),
        redis: new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 }),
      }
    : null;
  const batcher = new UsageBatcher(db, {
    onError: (message, error) => log.error(message, error),
  });

  const workers = [
    new Worker(
      QUEUES.usage.name,
      async (job) => {
        const { generationIds } = parsePayload("usage", job.data);
        const outcomes = await Promise.all(generationIds.map((id) => batcher.submit(id)));
        // A generation still in flight is retried later by BullMQ's backoff (re-ingesting the others is a no-op).
        const pending = generationIds.filter((_, index) => outcomes[index] === "pending");
        if (pending.length) throw new Error(`generations still pending: ${pending.join(", ")}`);
        return outcomes.filter((outcome) => outcome === "ingested").length;
      },
      { connection, prefix, concurrency: env.WORKER_USAGE_CONCURRENCY },
    ),
    new Worker(
      QUEUES.rollups.name,
      async (job) => runRollupJob(env, db, billing, parsePayload("rollups", job.data)),
      // Two at a time, so a long reconciliation does not hold up the reingest sweep.
      { connection, prefix, concurrency: 2 },
    ),
    new Worker(
      QUEUES.heartbeat.name,
      async (job) => {
        parsePayload("heartbeat", job.data);
        health.lastHeartbeatAt = new Date();
      },
      { connection, prefix },
    ),
  ];
  for (const worker of workers) {
    worker.on("completed", () => health.processed++);
    worker.on("failed", () => health.failed++);
  }

  await producers
    .queue("heartbeat")
    .upsertJobScheduler(
      "heartbeat",
      { every: 30_000 },
      { name: "heartbeat", data: { at: new Date().toISOString() } },
    );
  const rollups = producers.queue("rollups");
  for (const { kind, every, pattern } of schedules(env, billing !== null)) {
    await rollups.upsertJobScheduler(kind, pattern ? { pattern, tz: "UTC" } : { every: every ?? 60_000 }, {
      name: kind,
      data: { kind },
    });
  }
  if (!billing) await rollups.removeJobScheduler("auto_topup");
  // Run one heartbeat now so a fresh worker proves its round trip through Redis at once, and sweep at once so a
  // restarted worker catches up with whatever was missed while it was down.
  await producers.enqueue("heartbeat", { at: new Date().toISOString() });
  await producers.enqueue("rollups", { kind: "reingest" });

  return {
    health,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await batcher.close();
      await producers.close();
      billing?.redis.disconnect();
    },
  };
}
