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
    const cached = this.cache.get(organizationId);
    if (cached && cached.expires > Date.now()) return cached.keys;
    const keys = this.keks
      ? await this.decrypted(this.keks, organizationId)
      : await this.noneReadable(organizationId);
    this.cache.set(organizationId, { keys, expires: Date.now() + TTL_MS });
    return keys;
  }

  private async decrypted(keks: KeyEncryptionKeys, organizationId: string): Promise<Map<string, string>> {
    try {
      return await loadProviderCredentials(this.db, keks, organizationId);
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
  }

  /**
   * A gateway without JUNCTION_KEKS (a replica deployed without it, while the dashboard has it) cannot read the keys
   * an organization saved. Serving it on platform keys instead would bill it in full and send its prompts through
   * the platform's accounts: like a key that cannot be decrypted, that is an explicit error.
   */
  private async noneReadable(organizationId: string): Promise<Map<string, string>> {
    const stored = await this.db.providerCredential.count({ where: { organizationId, revokedAt: null } });
    if (stored) {
      throw new JunctionError(
        "service_unavailable",
        "This organization's own provider keys cannot be read here: this deployment has no key-encryption key (JUNCTION_KEKS)",
        { metadata: { byok: "no_kek" } },
      );
    }
    return new Map();
  }
}
