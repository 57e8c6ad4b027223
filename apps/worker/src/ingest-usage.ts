import { newId } from "@junction/core";
import type { Db } from "@junction/db";

/**
 * Turns one generation into exactly one usage debit and its share of the hourly rollup. Idempotent on the
 * generation id: the ledger's unique idempotency key decides, inside the same transaction as the rollup increment,
 * whether this delivery is the first.
 */
export async function ingestGenerationUsage(
  db: Db,
  generationId: string,
): Promise<"ingested" | "duplicate" | "missing" | "pending"> {
  return db.$transaction(async (tx) => {
    const generation = await tx.generation.findUnique({ where: { id: generationId } });
    if (!generation) return "missing";
    if (generation.status === "pending") return "pending";
    if (generation.ingestedAt) return "duplicate";

    const inserted = await tx.$executeRaw`
      INSERT INTO "CreditLedgerEntry" ("id", "organizationId", "kind", "amount", "idempotencyKey", "description",
        "generationId", "apiKeyId", "createdAt")
      VALUES (${newId("ledgerEntry")}, ${generation.organizationId}, 'usage'::"LedgerKind", ${-generation.cost},
        ${`usage:${generation.id}`}, ${`${generation.servedModel ?? generation.requestedModel}`}, ${generation.id},
        ${generation.apiKeyId}, now())
      ON CONFLICT ("idempotencyKey") DO NOTHING`;
    if (inserted === 0) return "duplicate";

    const hour = new Date(generation.createdAt);
    hour.setUTCMinutes(0, 0, 0);
    const failed = generation.status === "success" ? 0 : 1;
    await tx.$executeRaw`
      INSERT INTO "UsageRollup" ("id", "organizationId", "apiKeyId", "modelId", "providerId", "hour", "requests",
        "errors", "promptTokens", "completionTokens", "cachedTokens", "cacheWriteTokens", "cost", "updatedAt")
      VALUES (${newId("rollup")}, ${generation.organizationId}, ${generation.apiKeyId ?? ""},
        ${generation.servedModel ?? generation.requestedModel}, ${generation.providerId ?? "none"}, ${hour}, 1,
        ${failed}, ${generation.promptTokens}, ${generation.completionTokens}, ${generation.cachedTokens},
        ${generation.cacheWriteTokens}, ${generation.cost}, now())
      ON CONFLICT ("organizationId", "apiKeyId", "modelId", "providerId", "hour") DO UPDATE SET
        "requests" = "UsageRollup"."requests" + 1,
        "errors" = "UsageRollup"."errors" + EXCLUDED."errors",
        "promptTokens" = "UsageRollup"."promptTokens" + EXCLUDED."promptTokens",
        "completionTokens" = "UsageRollup"."completionTokens" + EXCLUDED."completionTokens",
        "cachedTokens" = "UsageRollup"."cachedTokens" + EXCLUDED."cachedTokens",
        "cacheWriteTokens" = "UsageRollup"."cacheWriteTokens" + EXCLUDED."cacheWriteTokens",
        "cost" = "UsageRollup"."cost" + EXCLUDED."cost",
        "updatedAt" = now()`;
    await tx.generation.update({ where: { id: generation.id }, data: { ingestedAt: new Date() } });
    return "ingested";
  });
}
