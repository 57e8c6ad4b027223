import type { Db } from "@junction/db";
import type { Producers } from "@junction/queue";

/**
 * Finds settled generations the worker has not ingested (their usage job was lost: Redis flushed or restarted,
 * an enqueue failed) and enqueues them again. Ingestion is idempotent, so a duplicate job is harmless.
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
  for (const row of rows) await producers.enqueue("usage", { generationId: row.id }, row.id);
  return rows.length;
}
