-- Requests refused before routing (bad body, unknown model, no credit, rate limit) used to be recorded as already
-- ingested, with no usage debit and no share of the rollups, so reconciliation reported each of them. They are now
-- ingested like any failed request: a $0 debit, one request and one error in the rollups. This hands the ones
-- recorded before to the worker's sweep. They are the only generations without a receipt.
UPDATE "Generation" g SET "ingestedAt" = NULL
WHERE g."receipt" IS NULL AND g."status" = 'error' AND g."cost" = 0 AND g."ingestedAt" IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM "CreditLedgerEntry" e WHERE e."idempotencyKey" = 'usage:' || g."id"
  );
