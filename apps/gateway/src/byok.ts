import { EnvelopeError, JunctionError, type KeyEncryptionKeys, parseKeyEncryptionKeys } from "@junction/core";
import { type Db, loadProviderCredentials } from "@junction/db";

const TTL_MS = 30_000;

/**
 * Organizations' own provider keys (BYOK), decrypted in memory for 30 s at most. A key that cannot be decrypted is
 * an explicit error for that organization — never a silent fall back to platform keys.
 */
export class ByokKeys {
  private readonly cache = new Map<string, { keys: Map<string, string>; expires: number }>();
  readonly keks: KeyEncryptionKeys | undefined;

  constructor(
    private readonly db: Db,
    keksText: string | undefined,
  ) {
    this.keks = keksText ? parseKeyEncryptionKeys(keksText) : undefined;
  }

  async forOrganization(organizationId: string): Promise<Map<string, string>> {
    if (!this.keks) return new Map();
    const cached = this.cache.get(organizationId);
    if (cached && cached.expires > Date.now()) return cached.keys;
    let keys: Map<string, string>;
    try {
      keys = await loadProviderCredentials(this.db, this.keks, organizationId);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      throw new JunctionError(
        "internal_error",
        `A BYOK provider key of this organization could not be decrypted: ${error.message}`,
        {
          metadata: { byok: "decrypt_failed" },
        },
      );
    }
    this.cache.set(organizationId, { keys, expires: Date.now() + TTL_MS });
    return keys;
  }
}
