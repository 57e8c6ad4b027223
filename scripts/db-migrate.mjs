#!/usr/bin/env node
// `pnpm db:migrate`: create the database named in DATABASE_URL if it is missing, then apply the committed
// migrations with `prisma migrate deploy` (through scripts/prisma.mjs, i.e. the offline schema engine).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";

const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/junction";
const target = new URL(url);
const database = decodeURIComponent(target.pathname.slice(1));
const where = `${target.hostname}:${target.port || 5432}`;
const root = fileURLToPath(new URL("..", import.meta.url));

// Connect to the `postgres` maintenance database on the same server to check for / create the target database.
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
try {
  await client.connect();
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (rowCount) console.log(`db:migrate: database "${database}" exists on ${where}`);
  else {
    await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
    console.log(`db:migrate: created database "${database}" on ${where}`);
  }
} catch (e) {
  console.error(`db:migrate: cannot prepare database "${database}" on ${where}: ${e.message}`);
  process.exit(1);
} finally {
  await client.end().catch(() => {});
}

console.log("db:migrate: applying migrations (prisma migrate deploy)");
const { status } = spawnSync(
  process.execPath,
  [fileURLToPath(new URL("./prisma.mjs", import.meta.url)), "migrate", "deploy", ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: url },
  },
);
console.log(status === 0 ? "db:migrate: done" : `db:migrate: failed (exit ${status})`);
process.exit(status ?? 1);
