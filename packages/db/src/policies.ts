import { newId, type PolicyRules, policyRulesSchema, policyVersionHash } from "@junction/core";
import type { Db } from "./client.js";

/**
 * Saves a policy's rules as a new immutable version (creating the policy on first use). Editing never rewrites a
 * version: receipts keep pointing at exactly the rules they ran under.
 */
export async function savePolicyVersion(
  db: Db,
  input: { organizationId: string; name: string; rules: unknown; createdById?: string },
): Promise<{ policyId: string; version: number; hash: string; rules: PolicyRules }> {
  const rules = policyRulesSchema.parse(input.rules);
  const hash = policyVersionHash(rules);
  return db.$transaction(async (tx) => {
    const policy =
      (await tx.policy.findUnique({
        where: { organizationId_name: { organizationId: input.organizationId, name: input.name } },
      })) ??
      (await tx.policy.create({
        data: { id: newId("policy"), organizationId: input.organizationId, name: input.name },
      }));
    const latest = await tx.policyVersion.findFirst({
      where: { policyId: policy.id },
      orderBy: { version: "desc" },
    });
    if (latest?.hash === hash) return { policyId: policy.id, version: latest.version, hash, rules };
    const version = (latest?.version ?? 0) + 1;
    await tx.policyVersion.create({
      data: {
        id: newId("policyVersion"),
        policyId: policy.id,
        version,
        rules,
        hash,
        createdById: input.createdById ?? null,
      },
    });
    return { policyId: policy.id, version, hash, rules };
  });
}
