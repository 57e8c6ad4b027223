import { gatewaySchema, parseEnv } from "@junction/config";
import {
  createTestDatabase,
  createTestRedisPrefix,
  createTestTenant,
  startFakeOpenAi,
  withCatalog,
} from "@junction/testing";
import { startGateway } from "../apps/gateway/src/gateway.js";

/**
 * Routing figures for the routing issue's note: the extra latency of one fallback hop (a 500 from the first
 * endpoint, served by the second) and the breaker's reaction time across gateway instances (from the failure that
 * opens it on instance A to instance B routing around it).
 */
const llama = "meta-llama/llama-3.3-70b-instruct";
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

async function main(): Promise<void> {
  const database = await createTestDatabase(withCatalog());
  const redis = createTestRedisPrefix();
  // Groq (tried first) and Together (the fallback) are separate fakes, so faults queued for Groq stay Groq's.
  const [upstream, fallback] = await Promise.all([startFakeOpenAi(), startFakeOpenAi()]);
  const providerEnv = {
    GROQ_API_KEY: "g",
    GROQ_BASE_URL: `${upstream.url}/v1`,
    TOGETHER_API_KEY: "t",
    TOGETHER_BASE_URL: `${fallback.url}/v1`,
  };
  const env = parseEnv(gatewaySchema, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    JUNCTION_REDIS_PREFIX: redis.prefix,
    GATEWAY_PORT: "0",
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_BREAKER_FAILURES: "3",
    GATEWAY_BREAKER_COOLDOWN_MS: "60000",
  });
  const [a, b] = await Promise.all(
    [0, 1].map(() => startGateway(env, providerEnv, { log: () => undefined, random: () => 0 })),
  );
  if (!a || !b) throw new Error("gateways did not start");
  const tenant = await createTestTenant(database.db, { creditNano: 10n ** 15n });
  const call = async (url: string) => {
    const started = performance.now();
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: llama,
        messages: [{ role: "user", content: "hi" }],
        provider: { only: ["groq", "together_ai"] },
      }),
    });
    await response.arrayBuffer();
    return performance.now() - started;
  };
  try {
    const direct: number[] = [];
    const hop: number[] = [];
    for (let i = 0; i < 300; i++) {
      direct.push(await call(a.url));
      upstream.queue.push({ kind: "status", status: 500 });
      hop.push(await call(a.url));
      // Keep Groq's breaker closed: a success resets it.
      if (i % 2 === 0) await a.context.health.resetAll();
    }
    await a.context.health.resetAll();
    const reactions: number[] = [];
    for (let round = 0; round < 20; round++) {
      await a.context.health.resetAll();
      await new Promise((resolve) => setTimeout(resolve, 20));
      upstream.queue.push(
        { kind: "status", status: 500 },
        { kind: "status", status: 500 },
        { kind: "status", status: 500 },
      );
      await call(a.url);
      await call(a.url);
      const started = performance.now();
      await call(a.url); // the third failure opens Groq's breaker
      while (
        b.context.health.openUntilFor("groq:llama-3.3-70b-versatile") === null &&
        performance.now() - started < 2000
      ) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      reactions.push(performance.now() - started);
      upstream.queue.length = 0;
    }
    const fmt = (value: number) => `${value.toFixed(2)} ms`;
    console.table({
      "request, no fallback": { p50: fmt(percentile(direct, 50)), p99: fmt(percentile(direct, 99)) },
      "request with one fallback hop (500 → next)": {
        p50: fmt(percentile(hop, 50)),
        p99: fmt(percentile(hop, 99)),
      },
      "extra latency of the hop": {
        p50: fmt(percentile(hop, 50) - percentile(direct, 50)),
        p99: fmt(percentile(hop, 99) - percentile(direct, 99)),
      },
      "breaker reaction on another instance (from the opening failure's request start)": {
        p50: fmt(percentile(reactions, 50)),
        p99: fmt(percentile(reactions, 99)),
      },
    });
  } finally {
    await a.close();
    await b.close();
    await upstream.close();
    await fallback.close();
    await database.drop();
    await redis.cleanup();
  }
}

await main();
process.exit(0);
