import { type PolicyRules, policyRulesSchema } from "@junction/core";
import type { Db } from "@junction/db";
import type { RoutePolicy } from "@junction/routing/router";

const TTL_MS = 5_000;

/**
 * The policy a request runs under: the key's attached policy, else the organization's active one. Versions are
 * immutable, so the latest version is read (cached briefly: a new version applies within seconds).
 */
export class PolicyCache {
  private readonly cache = new Map<string, { policy: RoutePolicy | undefined; expires: number }>();

  constructor(private readonly db: Db) {}

  async forRequest(organizationId: string, keyPolicyId: string | null): Promise<RoutePolicy | undefined> {
    const cacheKey = `${organizationId}:${keyPolicyId ?? ""}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expires > Date.now()) return cached.policy;
    let policyId = keyPolicyId;
    if (!policyId) {
      const org = await this.db.organization.findUnique({
        where: { id: organizationId },
        select: { activePolicyId: true },
      });
      policyId = org?.activePolicyId ?? null;
    }
    let policy: RoutePolicy | undefined;
    if (policyId) {
      const row = await this.db.policy.findFirst({
        where: { id: policyId, organizationId, archivedAt: null },
        include: { versions: { orderBy: { version: "desc" }, take: 1 } },
      });
      const version = row?.versions[0];
      if (row && version) {
        policy = {
          id: row.id,
          name: row.name,
          versionHash: version.hash,
          rules: policyRulesSchema.parse(version.rules) as PolicyRules,
        };
      }
    }
    this.cache.set(cacheKey, { policy, expires: Date.now() + TTL_MS });
    return policy;
  }
}
