import { type KeyEncryptionKeys, newId, openSecret, rewrapSecret, sealSecret } from "@junction/core";
import type { Db } from "./client.js";

/** BYOK: an organization's own provider key, stored envelope-encrypted (see packages/core/src/envelope.ts). */
export async function saveProviderCredential(
  db: Db,
  keks: KeyEncryptionKeys,
  input: { organizationId: string; providerId: string; secret: string; label?: string },
): Promise<{ id: string; last4: string }> {
  const id = newId("credential");
  const sealed = sealSecret(keks, input.secret, input.organizationId, id);
  const last4 = input.secret.slice(-4);
  await db.providerCredential.create({
    data: {
      id,
      organizationId: input.organizationId,
      providerId: input.providerId,
      label: input.label ?? input.providerId,
      last4,
      ...sealed,
    },
  });
  return { id, last4 };
}

/** The organization's live provider keys, decrypted (newest per provider). Throws EnvelopeError on failure. */
export async function loadProviderCredentials(
  db: Db,
  keks: KeyEncryptionKeys,
  organizationId: string,
): Promise<Map<string, string>> {
  const rows = await db.providerCredential.findMany({
    where: { organizationId, revokedAt: null },
    orderBy: { createdAt: "asc" },
  });
  const keys = new Map<string, string>();
  for (const row of rows) keys.set(row.providerId, openSecret(keks, row, organizationId, row.id));
  return keys;
}

/**
 * Re-wraps every data key under the current key-encryption key. Secrets themselves are not re-encrypted. A secret
 * that cannot be unwrapped is reported (never dropped), so the rotation can be retried once its KEK is configured.
 */
export async function rotateProviderCredentials(
  db: Db,
  keks: KeyEncryptionKeys,
): Promise<{ rewrapped: number; current: number; failed: { id: string; error: string }[] }> {
  const rows = await db.providerCredential.findMany({ where: { keyVersion: { not: keks.current.version } } });
  const failed: { id: string; error: string }[] = [];
  let rewrapped = 0;
  for (const row of rows) {
    try {
      const next = rewrapSecret(keks, row, row.organizationId, row.id);
      // Only if nobody rotated it meanwhile: the version we read is still the one stored.
      const updated = await db.providerCredential.updateMany({
        where: { id: row.id, keyVersion: row.keyVersion },
        data: next,
      });
      rewrapped += updated.count;
    } catch (error) {
      failed.push({ id: row.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { rewrapped, current: keks.current.version, failed };
}
