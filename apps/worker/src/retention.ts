import type { Db } from "@junction/db";

/**
 * Prompt and response bodies (stored only for organizations that opted in) are deleted once past their
 * organization's retention. Generations keep only SHA-256 hashes of them, so receipts stay verifiable.
 */
export async function purgeExpiredBodies(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.generationBody.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
