import type { Db } from "@junction/db";
import type { Producers } from "@junction/queue";
import { drainBacklog } from "./ingest-usage.js";

/**
 * The reingest sweep: settled generations older than `olderThanMs` that are still not ingested (their usage job was
 * lost: Redis flushed or restarted, an enqueue failed, the job exhausted its retries) are ingested directly from
 * Postgres through the bulk path. Nothing depends on Redis still holding a job, and ingestion is idempotent.
 */
export async function ingestUningested(
  db: Db,
  options: { olderThanMs?: number; batch?: number; budgetMs?: number } = {},
): Promise<number> {
  return drainBacklog(db, {
    createdBefore: new Date(Date.now() - (options.olderThanMs ?? 30_000)),
    limit: options.batch ?? 1000,
    budgetMs: options.budgetMs ?? 30_000,
  });
}

/**
 * Finds settled generations the worker has not ingested and enqueues them again (kept for callers that want the
 * queue path; the scheduled sweep uses `ingestUningested`). Ingestion is idempotent, so a duplicate job is harmless.
 */
export async function reenqueueUningested(
  db: Db,
  producers: Producers,
  olderThanMs = 30_000,
  batch = 1000,
): Promise<number> {
  const rows = await db.generation.findMany({
    where: {
      ingestedAt: null,
      status: { not: "pending" },
      createdAt: { lt: new Date(Date.now() - olderThanMs) },
    },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: batch,
  });
  const generationIds = rows.map((row) => row.id);
  if (generationIds.length) await producers.enqueue("usage", { generationIds }, `sweep-${generationIds[0]}`);
  return rows.length;
}
