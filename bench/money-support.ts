import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Db } from "@junction/db";
import { Producers } from "@junction/queue";
import { createTestDatabase, createTestRedisPrefix, type TestDatabase } from "@junction/testing";

/** Helpers for bench/money.ts: the worker as a child process (killable with SIGKILL) and the money totals. */
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export type WorkerProcess = {
  pid: number;
  output: string[];
  exited: Promise<number | string | null>;
  /** kill -9: no graceful shutdown, in-flight transactions are cut off mid-way. */
  kill9(): Promise<void>;
  /** SIGTERM: the worker's graceful shutdown. */
  stop(): Promise<void>;
};

/**
 * Starts `apps/worker/src/main.ts` under Node with tsx's loader in-process (so the pid is the worker itself, not a
 * tsx wrapper that would survive a SIGKILL of its child) and waits until it consumes its queues.
 */
export function startWorkerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  const remember = (text: string) => {
    for (const line of text.split("\n")) if (line.trim()) output.push(line);
    if (output.length > 300) output.splice(0, output.length - 300);
  };
  child.stdout?.setEncoding("utf8").on("data", remember);
  child.stderr?.setEncoding("utf8").on("data", remember);
  const worker: WorkerProcess = {
    pid: child.pid ?? -1,
    output,
    exited,
    kill9: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`worker not ready after ${timeoutMs} ms:\n${output.join("\n")}`));
    }, timeoutMs);
    const check = () => {
      if (output.some((line) => line.includes("consuming queues"))) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve(worker);
      }
    };
    child.stdout?.on("data", check);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${how}) before it was ready:\n${output.join("\n")}`));
    });
  });
}

/** A bench section's own database, Redis prefix and producers, and the env a worker process needs for them. */
export type Rig = {
  database: TestDatabase;
  redis: ReturnType<typeof createTestRedisPrefix>;
  producers: Producers;
  startWorker(): Promise<WorkerProcess>;
};

/** Runs `section` with a fresh rig and always tears it down (workers killed, prefix deleted, database dropped). */
export async function withRig<T>(
  extraEnv: Record<string, string>,
  section: (rig: Rig) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase();
  const redis = createTestRedisPrefix();
  const producers = new Producers({ url: redis.url, prefix: redis.prefix });
  const workers: WorkerProcess[] = [];
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    JUNCTION_REDIS_PREFIX: redis.prefix,
    WORKER_HEALTH_PORT: "0",
    ...extraEnv,
  };
  try {
    return await section({
      database,
      redis,
      producers,
      startWorker: async () => {
        const worker = await startWorkerProcess(env);
        workers.push(worker);
        return worker;
      },
    });
  } finally {
    for (const worker of workers) await worker.kill9();
    await producers.close();
    await redis.cleanup();
    await database.drop();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type MoneyTotals = {
  generations: number;
  notIngested: number;
  costs: bigint;
  usageDebits: number;
  debitedGenerations: number;
  debitSum: bigint;
  rollupRequests: number;
  rollupCost: bigint;
};

/** Every way the bench's money is counted, for the organizations it created. */
export async function moneyTotals(db: Db, organizationIds: string[]): Promise<MoneyTotals> {
  const [row] = await db.$queryRaw<MoneyTotals[]>`
    SELECT
      (SELECT count(*)::int FROM "Generation" WHERE "organizationId" = ANY(${organizationIds})) AS "generations",
      (SELECT count(*)::int FROM "Generation"
        WHERE "organizationId" = ANY(${organizationIds}) AND "ingestedAt" IS NULL) AS "notIngested",
      (SELECT COALESCE(SUM("cost"), 0)::bigint FROM "Generation" WHERE "organizationId" = ANY(${organizationIds}))
        AS "costs",
      (SELECT count(*)::int FROM "CreditLedgerEntry"
        WHERE "organizationId" = ANY(${organizationIds}) AND "kind" = 'usage') AS "usageDebits",
      (SELECT count(DISTINCT "generationId")::int FROM "CreditLedgerEntry"
        WHERE "organizationId" = ANY(${organizationIds}) AND "kind" = 'usage') AS "debitedGenerations",
      (SELECT COALESCE(SUM("amount"), 0)::bigint FROM "CreditLedgerEntry"
        WHERE "organizationId" = ANY(${organizationIds}) AND "kind" = 'usage') AS "debitSum",
      (SELECT COALESCE(SUM("requests"), 0)::int FROM "UsageRollup" WHERE "organizationId" = ANY(${organizationIds}))
        AS "rollupRequests",
      (SELECT COALESCE(SUM("cost"), 0)::bigint FROM "UsageRollup" WHERE "organizationId" = ANY(${organizationIds}))
        AS "rollupCost"`;
  if (!row) throw new Error("no totals");
  return row;
}

/** Prints one section's figures as an aligned two-column table. */
export function printSection(title: string, figures: Record<string, string | number | boolean>): void {
  console.log(`\n== ${title}`);
  const width = Math.max(...Object.keys(figures).map((key) => key.length));
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(width)}  ${String(value)}`);
}
