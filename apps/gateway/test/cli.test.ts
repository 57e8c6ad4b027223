import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

const run = promisify(execFile);
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

async function junction(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: join(import.meta.dirname, ".."),
      env: {
        ...process.env,
        DATABASE_URL: harness.database.url,
        REDIS_URL: harness.env.REDIS_URL,
        JUNCTION_REDIS_PREFIX: harness.env.JUNCTION_REDIS_PREFIX,
      },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

// Each test starts the CLI (through tsx) several times.
describe("the operator CLI", { timeout: 120_000 }, () => {
  it("creates an organization with credit and a key that works, shows the generation and verifies its receipt", async () => {
    const created = await junction("org", "create", "CLI Org", "--credit", "2.50");
    const key = created.stdout.match(/jk_live_[0-9A-Za-z]+/)?.[0] as string;
    expect(created.stdout).toContain("added $2.50");
    const client = new OpenAI({ apiKey: key, baseURL: `${harness.gateway.url}/v1`, maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model: "sandbox/junction-small", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    const id = response.headers.get("x-junction-generation-id") as string;

    const shown = await junction("generation", id);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id,
      status: "success",
      servedModel: "sandbox/junction-small",
    });
    expect((await junction("verify", id)).stdout).toContain("receipt valid");

    // A receipt exported to a file and edited no longer verifies.
    const row = await harness.database.db.generation.findUniqueOrThrow({ where: { id } });
    const file = join(mkdtempSync(join(tmpdir(), "receipt-")), "receipt.json");
    writeFileSync(
      file,
      JSON.stringify({
        receipt: { ...(row.receipt as object), servedModel: "openai/gpt-4o" },
        signature: row.signature,
      }),
    );
    const tampered = await junction("verify", file);
    expect(tampered.stdout).toContain("INVALID");
    expect(tampered.code).toBe(1);

    const models = await junction("models", "--search", "junction-small");
    expect(models.stdout).toContain("sandbox/junction-small");
    expect(models.stdout).toContain("$0.1000");
  });

  it("lists an organization's keys and revokes one by its id or by the key itself", async () => {
    const created = await junction("org", "create", "Key Org");
    const orgId = created.stdout.match(/organization (org_\w+)/)?.[1] as string;
    const firstId = created.stdout.match(/key (key_\w+) \(Default key\)/)?.[1] as string;
    const first = created.stdout.match(/jk_live_[0-9A-Za-z]+/)?.[0] as string;
    const second = await junction("key", "create", "--org", orgId, "--name", "Agent", "--limit", "1");
    const secondId = second.stdout.match(/key (key_\w+) \(Agent\)/)?.[1] as string;
    const listed = await junction("key", "list", "--org", orgId);
    expect(listed.stdout).toMatch(new RegExp(`${firstId} .* active .* no limit .* Default key`));
    expect(listed.stdout).toMatch(new RegExp(`${secondId} .* active .* \\$1\\.00 never .* Agent`));

    expect((await junction("key", "revoke", first)).stdout).toContain(`revoked ${firstId}`);
    expect((await junction("key", "revoke", secondId)).stdout).toContain(`revoked ${secondId}`);
    expect((await junction("key", "list", "--org", orgId)).stdout.match(/ revoked /g)).toHaveLength(2);
    const refused = await fetch(`${harness.gateway.url}/v1/credits`, {
      headers: { authorization: `Bearer ${first}` },
    });
    expect(refused.status).toBe(401);
    const unknown = await junction("key", "revoke", "key_doesnotexist");
    expect(unknown).toMatchObject({ code: 1, stderr: "error: no such key: key_doesnotexist…\n" });
  });

  it("prints its usage for --help, and a one-line error with the usage for an option it does not have", async () => {
    const [help, unknown] = await Promise.all([junction("--help"), junction("org", "list", "--orgs", "x")]);
    expect(help).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("Usage: pnpm junction <command>"),
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Unknown option '--orgs'/);
    expect(unknown.stderr).toContain("Usage: pnpm junction <command>");
    expect(unknown.stderr).not.toContain("    at "); // no stack trace
  });

  it("adds and removes credit exactly, a negative amount typed as the usage shows it", async () => {
    const { db } = harness.database;
    const organizationId = harness.tenant.organizationId;
    const amounts = async () =>
      (
        await db.creditLedgerEntry.findMany({
          where: { organizationId, kind: "adjustment" },
          orderBy: { createdAt: "asc" },
        })
      ).map((entry) => entry.amount);
    const before = await amounts();
    const added = await junction("credit", "add", "--org", organizationId, "0.1");
    const removed = await junction("credit", "add", "--org", organizationId, "-0.3", "--note", "refund");
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining("added $0.10") });
    expect(removed).toMatchObject({ code: 0, stdout: expect.stringContaining("added -$0.30") });
    expect((await amounts()).slice(before.length)).toEqual([100_000_000n, -300_000_000n]);
  });

  it("refuses bad arguments with a one-line error and exit 1, and writes nothing", async () => {
    const { db } = harness.database;
    const other = await junction("org", "create", "Other Org");
    const otherKey = other.stdout.match(/key (key_\w+)/)?.[1] as string;
    const org = harness.tenant.organizationId;
    const organizations = await db.organization.count();
    const cases: [string[], string][] = [
      [
        ["org", "create", "Half Made", "--credit", "abc"],
        '--credit must be an amount in USD such as 12.50: "abc"',
      ],
      [["org", "create", "Half Made", "--limit=-5"], '--limit must not be negative: "-5"'],
      [["key", "create", "--org", org, "--limit", "-5"], '--limit must not be negative: "-5"'],
      [["key", "create", "--org", "org_nope"], "no such organization: org_nope"],
      [["key", "list", "--org", "org_nope"], "no such organization: org_nope"],
      [["credit", "add", "--org", "org_nope", "1"], "no such organization: org_nope"],
      [["credit", "add", "--org", org, "1e30"], '(at most 1000000000 USD): "1e30"'],
      [["credit", "add", "--org", org, "0.0000000001"], "finer than 1e-9 USD"],
      [["credit", "add", "--org", org, "0"], "the amount must not be 0"],
      [["policy", "set", "--org", org, "--name", "p", "--rules", "{bad"], "--rules is not valid JSON"],
      [
        ["policy", "set", "--org", org, "--name", "p", "--rules", '{"allowModels":5}'],
        "`allowModels` Invalid",
      ],
      // Another organization's key never gets this organization's policy.
      [
        ["policy", "set", "--org", org, "--name", "p", "--rules", "{}", "--key", otherKey],
        `no such key in ${org}`,
      ],
      [["verify", "gen_nope"], "generation gen_nope not found"],
    ];
    const results = await Promise.all(cases.map(([args]) => junction(...args)));
    for (const [index, result] of results.entries()) {
      const [args, message] = cases[index] as [string[], string];
      expect({ args, ...result }).toMatchObject({ args, code: 1, stdout: "" });
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(await db.organization.count()).toBe(organizations);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: otherKey } })).toMatchObject({ policyId: null });
  });
});
