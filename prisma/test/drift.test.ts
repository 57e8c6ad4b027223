import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The drift gate: schema.prisma and prisma/migrations must describe the same database. `migrate diff` replays the
 * migrations into a throwaway shadow database and compares; exit 2 means they disagree.
 */
const root = join(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "junction-drift-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function maintenanceUrl(databaseUrl = "postgresql://postgres@127.0.0.1:5432/junction"): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

function diff(schemaPath: string): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [
      "scripts/prisma.mjs",
      "migrate",
      "diff",
      "--from-migrations",
      "prisma/migrations",
      "--to-schema",
      schemaPath,
      "--exit-code",
      "--script",
    ],
    // The diff replays the migrations into a temporary shadow database and never touches the main one, so it
    // runs against the maintenance database: the gate needs no application database (a fresh CI machine has none).
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: maintenanceUrl(process.env.DATABASE_URL) },
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("schema and migrations", () => {
  it("agree", () => {
    const result = diff("prisma/schema.prisma");
    expect(result.output).not.toContain("ALTER TABLE");
    expect(result.status).toBe(0);
  });

  it("the gate fails when the schema changes without a migration", () => {
    const drifted = join(scratch, "schema.prisma");
    const schema = readFileSync(join(root, "prisma/schema.prisma"), "utf8")
      .replace(
        'output       = "../packages/db/src/generated/prisma"',
        `output       = "${join(scratch, "generated")}"`,
      )
      .replace("model Organization {", "model Organization {\n  driftProbe String?");
    writeFileSync(drifted, schema);
    const result = diff(drifted);
    expect(result.status).toBe(2);
    expect(result.output).toContain('ADD COLUMN     "driftProbe" TEXT');
  });
});
