import { gatewaySchema, parseEnv } from "@junction/config";
import { ledgerBalance } from "@junction/db";
import { createTestDatabase, createTestRedisPrefix, createTestTenant, withCatalog } from "@junction/testing";
import { startGateway } from "../apps/gateway/src/gateway.js";
import { ingestGenerationUsage } from "../apps/worker/src/ingest-usage.js";

/**
 * "1,000 concurrent requests against an org whose credit covers exactly 100 of them": two gateway instances share
 * Postgres and Redis; requests alternate between them. Checks: at most 100 served, the balance never below zero,
 * and the ledger exact after the worker ingests (generation costs == usage debits == credit − balance).
 */
export async function moneyConcurrency(
  options: { requests?: number; covered?: number } = {},
): Promise<Record<string, string | number | boolean>> {
  const requests = options.requests ?? 1000;
  const covered = options.covered ?? 100;
  const database = await createTestDatabase(withCatalog());
  const redis = createTestRedisPrefix();
  const env = parseEnv(gatewaySchema, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    JUNCTION_REDIS_PREFIX: redis.prefix,
    GATEWAY_PORT: "0",
    GATEWAY_HOST: "127.0.0.1",
    SANDBOX_TOKENS_PER_SECOND: "1000000",
  });
  const gateways = await Promise.all([0, 1].map(() => startGateway(env, {}, { log: () => undefined })));
  try {
    // One output token: the sandbox's actual cost equals the worst case reserved, so credit for N buys exactly N.
    const body = JSON.stringify({
      model: "sandbox/junction-small",
      max_tokens: 1,
      messages: [{ role: "user", content: "Count me" }],
    });
    const probe = await createTestTenant(database.db, { name: "probe", creditNano: 10n ** 12n });
    const explained = (await (
      await fetch(`${gateways[0]?.url}/v1/routing/explain`, {
        method: "POST",
        headers: { authorization: `Bearer ${probe.apiKey}`, "content-type": "application/json" },
        body,
      })
    ).json()) as { candidates: { worst_case_cost_usd: string }[] };
    const [whole = "0", fraction = ""] = (explained.candidates[0]?.worst_case_cost_usd ?? "0").split(".");
    const unit = BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, "0"));
    const credit = unit * BigInt(covered);
    const tenant = await createTestTenant(database.db, { name: "bench", creditNano: credit });

    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: requests }, async (_, index) => {
        const response = await fetch(`${gateways[index % 2]?.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
          body,
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const served = statuses.filter((status) => status === 200).length;
    const refused = statuses.filter((status) => status === 402).length;

    const generations = await database.db.generation.findMany({
      where: { organizationId: tenant.organizationId },
    });
    for (const generation of generations) await ingestGenerationUsage(database.db, generation.id);
    const costs = generations.reduce((sum, generation) => sum + generation.cost, 0n);
    const debits = await database.db.creditLedgerEntry.aggregate({
      where: { organizationId: tenant.organizationId, kind: "usage" },
      _sum: { amount: true },
    });
    const balance = await ledgerBalance(database.db, tenant.organizationId);
    return {
      requests,
      "credit covers": covered,
      served,
      "refused (402)": refused,
      "other statuses": requests - served - refused,
      seconds: Number(seconds.toFixed(2)),
      "final balance (nano-USD)": balance.toString(),
      "balance never below zero": balance >= 0n,
      "at most covered served": served <= covered,
      "generation costs == usage debits": costs === -(debits._sum.amount ?? 0n),
      "credit − balance == costs": credit - balance === costs,
    };
  } finally {
    for (const gateway of gateways) await gateway.close();
    await database.drop();
    await redis.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log("money: 1,000 concurrent requests, credit for exactly 100 (two gateway instances)");
  console.table(await moneyConcurrency());
  process.exit(0);
}
