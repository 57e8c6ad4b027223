import { newId } from "@junction/core";
import type { Db } from "./client.js";
import { type LedgerKind, Prisma } from "./generated/prisma/client.js";

/** The client or an interactive transaction: ledger writes often belong to a larger transaction. */
export type DbOrTx = Db | Prisma.TransactionClient;

export type LedgerEntryInput = {
  organizationId: string;
  kind: LedgerKind;
  amount: bigint;
  idempotencyKey: string;
  description?: string;
  generationId?: string;
  apiKeyId?: string;
  metadata?: Record<string, string | number | boolean | null>;
};

/**
 * Appends one ledger entry. The unique idempotency key makes a retried writer harmless: the second insert is a
 * no-op and `false` is returned. `createdAt` is the database's `now()` (the transaction's start), never an
 * application clock: ledger checkpoints rely on it (see `ledger-checkpoints` in the worker).
 */
export async function appendLedgerEntry(db: DbOrTx, entry: LedgerEntryInput): Promise<boolean> {
  const metadata = entry.metadata ? JSON.stringify(entry.metadata) : null;
  const inserted = await db.$executeRaw`
    INSERT INTO "CreditLedgerEntry" ("id", "organizationId", "kind", "amount", "idempotencyKey", "description",
      "generationId", "apiKeyId", "metadata", "createdAt")
    VALUES (${newId("ledgerEntry")}, ${entry.organizationId}, ${entry.kind}::"LedgerKind", ${entry.amount},
      ${entry.idempotencyKey}, ${entry.description ?? null}, ${entry.generationId ?? null}, ${entry.apiKeyId ?? null},
      ${metadata}::jsonb, now())
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
  return inserted === 1;
}

/** The organization's latest ledger checkpoint, as a CTE named `checkpoint`. */
const latestCheckpoint = (organizationId: string) => Prisma.sql`
  WITH checkpoint AS (
    SELECT "balance", "throughAt" FROM "LedgerCheckpoint" WHERE "organizationId" = ${organizationId}
    ORDER BY "throughAt" DESC, "id" DESC LIMIT 1
  )`;

/** Checkpoint balance + every entry after it (needs the `checkpoint` CTE). */
const checkpointedSum = (organizationId: string) => Prisma.sql`
  COALESCE((SELECT "balance" FROM checkpoint), 0)
  + (SELECT COALESCE(SUM("amount"), 0) FROM "CreditLedgerEntry"
     WHERE "organizationId" = ${organizationId}
       AND "createdAt" > COALESCE((SELECT "throughAt" FROM checkpoint), '-infinity'::timestamp))`;

/**
 * The balance is the sum of the ledger. A checkpoint (the latest one) holds the exact sum of every entry with
 * `createdAt <= throughAt`, so only the entries after it are added up here. The checkpoint writer only checkpoints
 * up to an instant no uncommitted transaction can still write below (see the worker's ledger-checkpoints job),
 * which keeps "checkpoint + entries after it" exact. One statement, so one snapshot.
 */
export async function ledgerBalance(db: DbOrTx, organizationId: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ total: bigint }[]>`
    ${latestCheckpoint(organizationId)}
    SELECT (${checkpointedSum(organizationId)})::bigint AS total`;
  return BigInt(rows[0]?.total ?? 0n);
}

/** The balance summed over the whole ledger, ignoring checkpoints (what reconciliation compares against). */
export async function fullLedgerBalance(db: DbOrTx, organizationId: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ total: bigint }[]>`
    SELECT COALESCE(SUM("amount"), 0)::bigint AS total FROM "CreditLedgerEntry"
    WHERE "organizationId" = ${organizationId}`;
  return BigInt(rows[0]?.total ?? 0n);
}

/**
 * What an organization can still spend: the ledger balance minus the cost of generations the worker has not yet
 * debited. The gateway reserves against this; the dashboard and GET /v1/credits show it. One statement, so the
 * debit and the generation's `ingestedAt` (committed together by the worker) are seen together or not at all.
 */
export async function settledBalance(db: DbOrTx, organizationId: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ balance: bigint }[]>`
    ${latestCheckpoint(organizationId)}
    SELECT (${checkpointedSum(organizationId)}
      - (SELECT COALESCE(SUM("cost"), 0) FROM "Generation"
         WHERE "organizationId" = ${organizationId} AND "ingestedAt" IS NULL))::bigint AS balance`;
  return BigInt(rows[0]?.balance ?? 0n);
}
