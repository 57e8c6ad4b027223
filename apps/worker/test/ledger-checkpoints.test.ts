import { appendLedgerEntry, fullLedgerBalance, ledgerBalance, settledBalance } from "@junction/db";
import {
  createTestDatabase,
  createTestGeneration,
  createTestTenant,
  type TestDatabase,
} from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkpointHorizon,
  verifyLedgerCheckpoints,
  writeLedgerCheckpoints,
} from "../src/ledger-checkpoints.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function credit(organizationId: string, amount: bigint, key: string) {
  await appendLedgerEntry(database.db, { organizationId, kind: "adjustment", amount, idempotencyKey: key });
}

describe("ledger checkpoints", () => {
  it("keep the balance exact: checkpoint + entries after it == the whole ledger", async () => {
    const { organizationId } = await createTestTenant(database.db, { creditNano: 1_000_000n });
    for (let index = 0; index < 20; index++) await credit(organizationId, BigInt(-index - 1), `cp1:${index}`);
    await sleep(1100); // the horizon is whole seconds
    const run = await writeLedgerCheckpoints(database.db, { marginMs: 0, minEntries: 1 });
    expect(run.written).toBeGreaterThanOrEqual(1);
    const checkpoint = await database.db.ledgerCheckpoint.findFirstOrThrow({ where: { organizationId } });
    expect(checkpoint.balance).toBe(1_000_000n - 210n);
    for (let index = 0; index < 5; index++) await credit(organizationId, 1_000n, `cp1:after:${index}`);
    expect(await ledgerBalance(database.db, organizationId)).toBe(1_000_000n - 210n + 5_000n);
    expect(await fullLedgerBalance(database.db, organizationId)).toBe(1_000_000n - 210n + 5_000n);

    // Incremental: the next checkpoint builds on the previous one.
    await sleep(1100);
    await writeLedgerCheckpoints(database.db, { marginMs: 0, minEntries: 1 });
    const checkpoints = await database.db.ledgerCheckpoint.findMany({
      where: { organizationId },
      orderBy: { throughAt: "desc" },
    });
    expect(checkpoints[0]?.balance).toBe(1_000_000n - 210n + 5_000n);
    expect(await ledgerBalance(database.db, organizationId)).toBe(1_000_000n - 210n + 5_000n);

    // settledBalance still subtracts generations not yet debited.
    await createTestGeneration(database.db, { organizationId, cost: 123n });
    expect(await settledBalance(database.db, organizationId)).toBe(1_000_000n - 210n + 5_000n - 123n);
    expect((await verifyLedgerCheckpoints(database.db)).mismatches).toEqual([]);
  });

  it("never misses an entry committed late with an earlier timestamp (an open transaction holds the horizon back)", async () => {
    const { organizationId } = await createTestTenant(database.db, { creditNano: 500n });
    await sleep(1100);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted: () => void = () => undefined;
    const insertedSignal = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    // A writer whose transaction started now (so its entry's createdAt is now) but commits only later.
    const late = database.db.$transaction(
      async (tx) => {
        await appendLedgerEntry(tx, {
          organizationId,
          kind: "adjustment",
          amount: 77n,
          idempotencyKey: "late:1",
        });
        inserted();
        await held;
      },
      { timeout: 20_000 },
    );
    await insertedSignal;
    await sleep(1500);
    const openSince = await database.db.$queryRaw<{ oldest: Date }[]>`
      SELECT min("xact_start") AS "oldest" FROM pg_stat_activity
      WHERE "datname" = current_database() AND "pid" <> pg_backend_pid() AND "xact_start" IS NOT NULL`;
    const horizon = await checkpointHorizon(database.db, 0);
    expect(horizon).toBeInstanceOf(Date);
    expect((horizon as Date).getTime()).toBeLessThan(openSince[0]?.oldest.getTime() ?? 0);

    const run = await writeLedgerCheckpoints(database.db, { marginMs: 0, minEntries: 1 });
    expect(run.written).toBeGreaterThanOrEqual(1);
    release();
    await late;
    // The late entry is after the checkpoint's horizon, so it is summed, not lost.
    expect(await ledgerBalance(database.db, organizationId)).toBe(577n);
    expect(await fullLedgerBalance(database.db, organizationId)).toBe(577n);
    expect((await verifyLedgerCheckpoints(database.db)).mismatches).toEqual([]);
  });

  it("verification finds a wrong checkpoint and repair removes it, so the balance falls back to the plain sum", async () => {
    const { organizationId } = await createTestTenant(database.db, { creditNano: 1_000n });
    await sleep(1100);
    await writeLedgerCheckpoints(database.db, { marginMs: 0, minEntries: 1 });
    await database.db.ledgerCheckpoint.updateMany({ where: { organizationId }, data: { balance: 999n } });
    expect(await ledgerBalance(database.db, organizationId)).toBe(999n);
    const found = await verifyLedgerCheckpoints(database.db, { repair: true });
    expect(
      found.mismatches.map((mismatch) => [mismatch.organizationId, mismatch.stored, mismatch.actual]),
    ).toEqual([[organizationId, "999", "1000"]]);
    expect(await ledgerBalance(database.db, organizationId)).toBe(1_000n);
  });

  it("keeps only the newest checkpoints per organization", async () => {
    const { organizationId } = await createTestTenant(database.db, { creditNano: 1n });
    for (let round = 0; round < 4; round++) {
      await credit(organizationId, 1n, `prune:${round}`);
      await sleep(1100);
      await writeLedgerCheckpoints(database.db, { marginMs: 0, minEntries: 1, keep: 2 });
    }
    expect(await database.db.ledgerCheckpoint.count({ where: { organizationId } })).toBe(2);
    expect(await ledgerBalance(database.db, organizationId)).toBe(5n);
  });
});
