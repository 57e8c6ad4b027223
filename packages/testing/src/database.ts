import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCoreEnv } from "@junction/config";
import { createDb, type Db } from "@junction/db";
import pg from "pg";

/**
 * Each test file gets its own database, cloned from a template built once from prisma/migrations (and, when asked,
 * the catalog). The template's name carries a hash of its inputs, so changing a migration rebuilds it.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const migrationsDir = join(repoRoot, "prisma/migrations");

export type TestDatabase = { url: string; db: Db; name: string; drop: () => Promise<void> };
export type TemplateOptions = {
  /** Extra content built into the template after the migrations (e.g. the catalog); `key` names it. */
  extra?: { key: string; build: (db: Db) => Promise<unknown> };
};

function serverUrl(database: string): string {
  const url = new URL(loadCoreEnv().DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

function migrationFiles(): { name: string; sql: string }[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(migrationsDir, name, "migration.sql"), "utf8") }));
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl("postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function ensureTemplate(options: TemplateOptions): Promise<string> {
  const hash = createHash("sha256");
  for (const file of migrationFiles()) hash.update(file.name).update(file.sql);
  if (options.extra) hash.update(options.extra.key);
  const name = `junction_tpl_${hash.digest("hex").slice(0, 16)}`;

  return withAdmin(async (admin) => {
    // Parallel test files race to build the same template: one builds, the others wait on the lock.
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount) return name;
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      const client = new pg.Client({ connectionString: serverUrl(building) });
      await client.connect();
      try {
        for (const file of migrationFiles()) await client.query(file.sql);
      } finally {
        await client.end();
      }
      if (options.extra) {
        const db = createDb(serverUrl(building), { max: 2 });
        try {
          await options.extra.build(db);
        } finally {
          await db.$disconnect();
        }
      }
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      return name;
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [name]);
    }
  });
}

/** A fresh database for one test file, built from the migrations; `drop()` removes it. */
export async function createTestDatabase(options: TemplateOptions = {}): Promise<TestDatabase> {
  const template = await ensureTemplate(options);
  const name = `junction_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = serverUrl(name);
  const db = createDb(url, { max: 5 });
  return {
    url,
    db,
    name,
    drop: async () => {
      await db.$disconnect();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
