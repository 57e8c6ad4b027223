import { newId } from "@junction/core";
import type { Db } from "./client.js";
import type { LedgerKind } from "./generated/prisma/client.js";

export type LedgerEntryInput = {
  organizationId: string;
  kind: LedgerKind;
  amount: bigint;
  idempotencyKey: string;
  description?: string;
  generationId?: string;
  apiKeyId?: string;
};

/**
 * Appends one ledger entry. The unique idempotency key makes a retried writer harmless: the second insert is a
 * no-op and `false` is returned.
 */
export async function appendLedgerEntry(db: Db, entry: LedgerEntryInput): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "CreditLedgerEntry" ("id", "organizationId", "kind", "amount", "idempotencyKey", "description",
      "generationId", "apiKeyId", "createdAt")
    VALUES (${newId("ledgerEntry")}, ${entry.organizationId}, ${entry.kind}::"LedgerKind", ${entry.amount},
      ${entry.idempotencyKey}, ${entry.description ?? null}, ${entry.generationId ?? null}, ${entry.apiKeyId ?? null},
      now())
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
  return inserted === 1;
}

/** The balance is the sum of the ledger. */
export async function ledgerBalance(db: Db, organizationId: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ total: bigint }[]>`
    SELECT COALESCE(SUM("amount"), 0)::bigint AS total FROM "CreditLedgerEntry"
    WHERE "organizationId" = ${organizationId}`;
  return BigInt(rows[0]?.total ?? 0n);
}

/**
 * What an organization can still spend: the ledger balance minus the cost of generations the worker has not yet
 * debited. The gateway reserves against this; the dashboard and GET /v1/credits show it.
 */
export async function settledBalance(db: Db, organizationId: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ balance: bigint }[]>`
    SELECT (SELECT COALESCE(SUM("amount"), 0) FROM "CreditLedgerEntry" WHERE "organizationId" = ${organizationId})
         - (SELECT COALESCE(SUM("cost"), 0) FROM "Generation"
            WHERE "organizationId" = ${organizationId} AND "ingestedAt" IS NULL) AS balance`;
  return BigInt(rows[0]?.balance ?? 0n);
}
