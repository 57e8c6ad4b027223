import Anthropic from "@anthropic-ai/sdk";
import { type GatewayEnv, gatewaySchema, parseEnv } from "@junction/config";
import {
  createTestDatabase,
  createTestRedisPrefix,
  createTestTenant,
  type FakeUpstream,
  startFakeAnthropic,
  startFakeOpenAi,
  type TestDatabase,
  type TestTenant,
  withCatalog,
} from "@junction/testing";
import OpenAI from "openai";
import { afterAll, beforeAll } from "vitest";
import { type RunningGateway, startGateway } from "../src/gateway.js";

export type Harness = {
  env: GatewayEnv;
  providerEnv: Record<string, string>;
  database: TestDatabase;
  gateway: RunningGateway;
  openaiUpstream: FakeUpstream;
  anthropicUpstream: FakeUpstream;
  tenant: TestTenant;
  openai: (apiKey?: string) => OpenAI;
  anthropic: (apiKey?: string) => Anthropic;
  close: () => Promise<void>;
};

/** A gateway on a fresh seeded database, its own Redis prefix, fake OpenAI and Anthropic upstreams, and a funded tenant. */
export async function startHarness(
  settings:
    | Record<string, string>
    | ((fakes: { openai: string; anthropic: string }) => Record<string, string>) = {},
): Promise<Harness> {
  const database = await createTestDatabase(withCatalog());
  const redis = createTestRedisPrefix();
  const [openaiUpstream, anthropicUpstream] = await Promise.all([startFakeOpenAi(), startFakeAnthropic()]);
  const overrides =
    typeof settings === "function"
      ? settings({ openai: openaiUpstream.url, anthropic: anthropicUpstream.url })
      : settings;
  const providerEnv = {
    OPENAI_API_KEY: "sk-upstream-openai-secret",
    OPENAI_BASE_URL: `${openaiUpstream.url}/v1`,
    ANTHROPIC_API_KEY: "sk-ant-upstream-secret",
    ANTHROPIC_BASE_URL: anthropicUpstream.url,
    ...overrides,
  };
  const env = parseEnv(gatewaySchema, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    JUNCTION_REDIS_PREFIX: redis.prefix,
    GATEWAY_PORT: "0",
    GATEWAY_HOST: "127.0.0.1",
    SANDBOX_TOKENS_PER_SECOND: "100000",
    ...overrides,
  });
  // random → 0: the default weighted routing deterministically picks the cheapest endpoint first.
  const gateway = await startGateway(env, providerEnv, { log: () => undefined, random: () => 0 });
  const tenant = await createTestTenant(database.db, { creditNano: 10_000_000_000n });
  return {
    env,
    providerEnv,
    database,
    gateway,
    openaiUpstream,
    anthropicUpstream,
    tenant,
    openai: (apiKey = tenant.apiKey) => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 }),
    anthropic: (apiKey = tenant.apiKey) => new Anthropic({ apiKey, baseURL: gateway.url, maxRetries: 0 }),
    close: async () => {
      await gateway.close();
      await Promise.all([openaiUpstream.close(), anthropicUpstream.close()]);
      await database.drop();
      await redis.cleanup();
    },
  };
}

/** Forgets what the fake upstreams were asked and told to do: each test starts from their defaults. */
export function resetUpstreams(harness: Harness): void {
  harness.openaiUpstream.reset();
  harness.anthropicUpstream.reset();
}

/** A generation's row, once the gateway has written it (responses end before their row is in Postgres). */
export async function generationRow(harness: Harness, id: string) {
  await harness.gateway.idle();
  return harness.database.db.generation.findUniqueOrThrow({ where: { id } });
}

/** A second gateway as a real OS process (tsx src/main.ts) sharing the harness's Postgres and Redis. */
export async function startGatewayProcess(
  harness: Harness,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: new URL("..", import.meta.url).pathname,
    env: {
      ...process.env,
      ...harness.providerEnv,
      DATABASE_URL: harness.env.DATABASE_URL,
      REDIS_URL: harness.env.REDIS_URL,
      JUNCTION_REDIS_PREFIX: harness.env.JUNCTION_REDIS_PREFIX,
      GATEWAY_PORT: "0",
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_BREAKER_FAILURES: String(harness.env.GATEWAY_BREAKER_FAILURES),
      GATEWAY_BREAKER_COOLDOWN_MS: String(harness.env.GATEWAY_BREAKER_COOLDOWN_MS),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`gateway process did not start: ${output}`)), 60_000);
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`gateway process exited (${code}): ${output}`)));
  });
  return {
    url,
    close: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/** Another gateway instance in this process, sharing the harness's Postgres and Redis (and nothing else). */
/** For one test file: a harness and a second gateway instance on its database and Redis prefix (filled in beforeAll). */
export function twoGateways(): { harness: Harness; second: RunningGateway } {
  const gateways = {} as { harness: Harness; second: RunningGateway };
  beforeAll(async () => {
    gateways.harness = await startHarness();
    gateways.second = await startSecondGateway(gateways.harness);
  });
  afterAll(async () => {
    await gateways.second.close();
    await gateways.harness.close();
  });
  return gateways;
}

export function startSecondGateway(harness: Harness): Promise<RunningGateway> {
  return startGateway({ ...harness.env, GATEWAY_PORT: 0 }, harness.providerEnv, {
    log: () => undefined,
    random: () => 0,
  });
}

/**
 * Rate-limit minutes are fixed windows: a burst must not straddle the start of a new one (it gets a fresh count).
 * `marginMs` is how long the burst may take.
 */
export async function awayFromMinuteBoundary(marginMs = 3_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
