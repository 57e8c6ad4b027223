#!/usr/bin/env node
// E2E global setup: a fresh `junction_e2e` database (dropped, created, migrated with the committed migrations,
// seeded with the catalog) and an empty Redis prefix. Playwright starts `webServer`s *before* `globalSetup`, and
// the gateway needs the catalog to boot, so playwright.config.ts runs this script as the first step of the first
// web server's command. Reads DATABASE_URL, REDIS_URL and JUNCTION_REDIS_PREFIX.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pg from "pg";

const databaseUrl = process.env.DATABASE_URL;
const prefix = process.env.JUNCTION_REDIS_PREFIX;
if (!databaseUrl || !prefix)
  throw new Error("global-setup: DATABASE_URL and JUNCTION_REDIS_PREFIX are required");
const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
if (!/^junction_e2e\w*$/.test(database))
  throw new Error(`global-setup: refusing to reset "${database}" (not junction_e2e*)`);
const root = fileURLToPath(new URL("../../..", import.meta.url));
const started = Date.now();

const admin = new URL(databaseUrl);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
try {
  await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${database}"`);
} finally {
  await client.end();
}

for (const [label, command, args] of [
  ["migrate", process.execPath, ["scripts/db-migrate.mjs"]],
  ["seed", "pnpm", ["--silent", "db:seed"]],
]) {
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error(`global-setup: ${label} failed (exit ${result.status})`);
}

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
try {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== "0");
} finally {
  redis.disconnect();
}
// An empty development mailbox, so the specs read only this run's emails.
if (process.env.JUNCTION_MAILBOX) rmSync(process.env.JUNCTION_MAILBOX, { force: true });
console.log(`[e2e] database ${database} ready, Redis prefix ${prefix} empty (${Date.now() - started} ms)`);
