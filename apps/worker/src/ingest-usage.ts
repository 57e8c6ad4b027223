import { newId } from "@junction/core";
import { type Db, NO_PROVIDER, Prisma } from "@junction/db";

export type IngestOutcome = "ingested" | "duplicate" | "missing" | "pending";

/**
 * Turns generations into exactly one usage debit each and their share of the hourly rollups, many per statement.
 * One SQL statement does it all, so it commits or rolls back as a whole (a SIGKILL mid-way loses nothing and
 * counts nothing twice):
 *   1. lock the chosen generations (settled, not yet ingested);
 *   2. insert one ledger debit per generation: the ledger's unique idempotency key `usage:<generation id>` is the
 *      arbiter — only generations whose debit was inserted by *this* statement go further;
 *   3. add those generations to the hourly rollups (grouped, ordered by the rollup key so concurrent batches lock
 *      rollup rows in the same order and cannot deadlock);
 *   4. mark them ingested.
 * Returns the ids this call ingested.
 */
async function ingestSelected(db: Db, selection: Prisma.Sql, capacity: number): Promise<string[]> {
  if (capacity === 0) return [];
  const ledgerIds: string[] = [];
  const rollupIds: string[] = [];
  for (let index = 0; index < capacity; index++) {
    ledgerIds.push(newId("ledgerEntry"));
    rollupIds.push(newId("rollup"));
  }
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH picked AS (
      SELECT g."id", g."organizationId", g."apiKeyId", g."cost", g."promptTokens", g."completionTokens",
        g."cachedTokens", g."cacheWriteTokens", (g."status" <> 'success') AS "failed",
        COALESCE(g."servedModel", g."requestedModel") AS "modelId", COALESCE(g."providerId", ${NO_PROVIDER}) AS "providerId",
        date_trunc('hour', g."createdAt") AS "hour"
      FROM "Generation" g
      WHERE ${selection}
    ),
    numbered AS (SELECT p.*, row_number() OVER (ORDER BY p."id") AS "n" FROM picked p),
    fresh_ids AS (
      SELECT * FROM unnest(string_to_array(${ledgerIds.join(",")}, ','), string_to_array(${rollupIds.join(",")}, ','))
        WITH ORDINALITY AS t("ledgerId", "rollupId", "n")
    ),
    debits AS (
      INSERT INTO "CreditLedgerEntry" ("id", "organizationId", "kind", "amount", "idempotencyKey", "description",
        "generationId", "apiKeyId", "createdAt")
      SELECT f."ledgerId", p."organizationId", 'usage'::"LedgerKind", -p."cost", 'usage:' || p."id", p."modelId",
        p."id", p."apiKeyId", now()
      FROM numbered p JOIN fresh_ids f ON f."n" = p."n"
      ORDER BY p."id"
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING "generationId"
    ),
    fresh AS (
      SELECT p.*, f."rollupId" FROM numbered p
      JOIN debits d ON d."generationId" = p."id"
      JOIN fresh_ids f ON f."n" = p."n"
    ),
    rolled AS (
      INSERT INTO "UsageRollup" ("id", "organizationId", "apiKeyId", "modelId", "providerId", "hour", "requests",
        "errors", "promptTokens", "completionTokens", "cachedTokens", "cacheWriteTokens", "cost", "updatedAt")
      SELECT min(f."rollupId"), f."organizationId", COALESCE(f."apiKeyId", ''), f."modelId", f."providerId", f."hour",
        count(*)::int, (count(*) FILTER (WHERE f."failed"))::int, SUM(f."promptTokens")::bigint,
        SUM(f."completionTokens")::bigint, SUM(f."cachedTokens")::bigint, SUM(f."cacheWriteTokens")::bigint,
        SUM(f."cost")::bigint, now()
      FROM fresh f
      GROUP BY 2, 3, 4, 5, 6
      ORDER BY 2, 3, 4, 5, 6
      ON CONFLICT ("organizationId", "apiKeyId", "modelId", "providerId", "hour") DO UPDATE SET
        "requests" = "UsageRollup"."requests" + EXCLUDED."requests",
        "errors" = "UsageRollup"."errors" + EXCLUDED."errors",
        "promptTokens" = "UsageRollup"."promptTokens" + EXCLUDED."promptTokens",
        "completionTokens" = "UsageRollup"."completionTokens" + EXCLUDED."completionTokens",
        "cachedTokens" = "UsageRollup"."cachedTokens" + EXCLUDED."cachedTokens",
        "cacheWriteTokens" = "UsageRollup"."cacheWriteTokens" + EXCLUDED."cacheWriteTokens",
        "cost" = "UsageRollup"."cost" + EXCLUDED."cost",
        "updatedAt" = now()
      RETURNING 1
    ),
    marked AS (
      UPDATE "Generation" g SET "ingestedAt" = now() FROM fresh f WHERE g."id" = f."id" RETURNING g."id"
    )
    SELECT "id" FROM marked`;
  return rows.map((row) => row.id);
}

/**
 * Ingests the named generations (a batch of usage jobs). Waits for rows another transaction holds (locked in id
 * order, so two overlapping batches cannot deadlock) and reports each id's outcome: `pending` ones are retried by
 * the caller later.
 */
export async function ingestGenerations(
  db: Db,
  generationIds: string[],
): Promise<Map<string, IngestOutcome>> {
  const ids = [...new Set(generationIds)];
  const outcomes = new Map<string, IngestOutcome>();
  if (ids.length === 0) return outcomes;
  const selection = Prisma.sql`g."id" = ANY(string_to_array(${ids.join(",")}, ','))
    AND g."ingestedAt" IS NULL AND g."status" <> 'pending'
    ORDER BY g."id" FOR UPDATE OF g`;
  for (const id of await ingestSelected(db, selection, ids.length)) outcomes.set(id, "ingested");
  const rest = ids.filter((id) => !outcomes.has(id));
  if (rest.length) {
    const rows = await db.generation.findMany({
      where: { id: { in: rest } },
      select: { id: true, status: true },
    });
    const status = new Map(rows.map((row) => [row.id, row.status]));
    for (const id of rest) {
      const current = status.get(id);
      outcomes.set(id, current === undefined ? "missing" : current === "pending" ? "pending" : "duplicate");
    }
  }
  return outcomes;
}

/** One generation (a single usage job): exactly one debit and one rollup share, however often it is delivered. */
export async function ingestGenerationUsage(db: Db, generationId: string): Promise<IngestOutcome> {
  const outcomes = await ingestGenerations(db, [generationId]);
  return outcomes.get(generationId) ?? "missing";
}

/**
 * The bulk path: ingests up to `limit` settled generations that are not ingested yet, oldest first, whether or not
 * their usage job still exists. Rows another worker has locked are skipped (SKIP LOCKED), so several workers can
 * drain the backlog side by side. Returns how many this call ingested.
 */
export async function ingestBacklogBatch(
  db: Db,
  options: { limit?: number; createdBefore?: Date } = {},
): Promise<number> {
  const limit = options.limit ?? 1000;
  const before = options.createdBefore ?? new Date(Date.now() + 60_000);
  const selection = Prisma.sql`g."ingestedAt" IS NULL AND g."status" <> 'pending' AND g."createdAt" < ${before}
    ORDER BY g."createdAt", g."id" LIMIT ${limit} FOR UPDATE OF g SKIP LOCKED`;
  return (await ingestSelected(db, selection, limit)).length;
}

/**
 * Drains the backlog in batches until a batch finds nothing to do or the time budget is spent. (A short batch is
 * not the end: rows other workers hold are skipped, and the next batch continues past them.)
 */
export async function drainBacklog(
  db: Db,
  options: { limit?: number; createdBefore?: Date; budgetMs?: number } = {},
): Promise<number> {
  const limit = options.limit ?? 1000;
  const deadline = Date.now() + (options.budgetMs ?? 30_000);
  let total = 0;
  for (;;) {
    const ingested = await ingestBacklogBatch(db, {
      limit,
      ...(options.createdBefore && { createdBefore: options.createdBefore }),
    });
    total += ingested;
    if (ingested === 0 || Date.now() >= deadline) return total;
  }
}
