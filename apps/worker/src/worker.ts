import type { WorkerEnv } from "@junction/config";
import type { Db } from "@junction/db";
import { connectionOptions, Producers, parsePayload, QUEUES } from "@junction/queue";
import { Worker } from "bullmq";
import { ingestGenerationUsage } from "./ingest-usage.js";
import { reenqueueUningested } from "./sweep.js";

export type WorkerHealth = {
  startedAt: Date;
  lastHeartbeatAt: Date | null;
  processed: number;
  failed: number;
};

/** Starts the BullMQ consumers and the periodic job schedulers. Returns a graceful `close()`. */
export async function startWorkers(
  env: WorkerEnv,
  db: Db,
): Promise<{ health: WorkerHealth; close: () => Promise<void> }> {
  const health: WorkerHealth = { startedAt: new Date(), lastHeartbeatAt: null, processed: 0, failed: 0 };
  const connection = connectionOptions(env.REDIS_URL);
  const prefix = env.JUNCTION_REDIS_PREFIX;
  const producers = new Producers({ url: env.REDIS_URL, prefix });

  const workers = [
    new Worker(
      QUEUES.usage.name,
      async (job) => {
        const { generationId } = parsePayload("usage", job.data);
        const outcome = await ingestGenerationUsage(db, generationId);
        // A generation still in flight is retried later by BullMQ's backoff.
        if (outcome === "pending") throw new Error(`generation ${generationId} is still pending`);
        return outcome;
      },
      { connection, prefix, concurrency: env.WORKER_CONCURRENCY },
    ),
    new Worker(
      QUEUES.rollups.name,
      async (job) => {
        const { kind } = parsePayload("rollups", job.data);
        if (kind === "reingest") return { reenqueued: await reenqueueUningested(db, producers) };
        return { skipped: kind };
      },
      { connection, prefix },
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
  await producers
    .queue("rollups")
    .upsertJobScheduler("reingest", { every: 60_000 }, { name: "reingest", data: { kind: "reingest" } });
  // Run one heartbeat now so a fresh worker proves its round trip through Redis at once.
  await producers.enqueue("heartbeat", { at: new Date().toISOString() });

  return {
    health,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await producers.close();
    },
  };
}
