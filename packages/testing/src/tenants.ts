import { apiKeyDisplayPrefix, generateApiKey, hashApiKey, newId } from "@junction/core";
import { appendLedgerEntry, createOrganization, type Db } from "@junction/db";

export type TestTenant = { organizationId: string; keyId: string; apiKey: string };

/** An organization with an API key and, optionally, credit — what every gateway test starts from. */
export async function createTestTenant(
  db: Db,
  options: {
    name?: string;
    creditNano?: bigint;
    keyLimitNano?: bigint;
    limitReset?: "never" | "daily" | "weekly" | "monthly";
  } = {},
): Promise<TestTenant> {
  const org = await createOrganization(db, { name: options.name ?? "Test Org" });
  const tenant = await createTestKey(db, org.id, options);
  if (options.creditNano) {
    await appendLedgerEntry(db, {
      organizationId: org.id,
      kind: "adjustment",
      amount: options.creditNano,
      idempotencyKey: `test-credit:${org.id}`,
    });
  }
  return tenant;
}

export async function createTestKey(
  db: Db,
  organizationId: string,
  options: {
    keyLimitNano?: bigint;
    limitReset?: "never" | "daily" | "weekly" | "monthly";
    expiresAt?: Date;
  } = {},
): Promise<TestTenant> {
  const apiKey = generateApiKey();
  const keyId = newId("apiKey");
  await db.apiKey.create({
    data: {
      id: keyId,
      organizationId,
      name: "test key",
      keyHash: hashApiKey(apiKey),
      displayPrefix: apiKeyDisplayPrefix(apiKey),
      creditLimit: options.keyLimitNano ?? null,
      limitReset: options.limitReset ?? "never",
      expiresAt: options.expiresAt ?? null,
    },
  });
  return { organizationId, keyId, apiKey };
}
