/**
 * pnpm bench:money — the money path under stress, printed as figures. Each section is an exported function that
 * returns its figures (and whether its checks held); `main` runs them in sequence. Run one with
 * `pnpm bench:money <section>` (chaos, throughput, webhook).
 */
import { pathToFileURL } from "node:url";
import { createStripeClient, createTopUpCheckout, handleStripeWebhook } from "@junction/billing";
import { formatUsd } from "@junction/core";
import { createOrganization, fullLedgerBalance } from "@junction/db";
import type { Producers } from "@junction/queue";
import {
  createTestDatabase,
  createTestGenerations,
  createTestTenant,
  startFakeStripe,
  type TestGenerationInput,
} from "@junction/testing";
import { drainBacklog } from "../apps/worker/src/ingest-usage.js";
import { runInvoices } from "../apps/worker/src/invoices.js";
import { reconcile } from "../apps/worker/src/reconcile.js";
import { moneyConcurrency } from "./money-concurrency.js";
import { moneyTotals, printSection, sleep, withRig } from "./money-support.js";

export type SectionResult = { ok: boolean; figures: Record<string, string | number | boolean> };

const MONTH_START = Date.UTC(2026, 9, 1); // October 2026: a closed month the bench can invoice
const MONTH_MS = 31 * 86_400_000;

/** `count` generations spread over the bench month and three organizations, with distinct costs. */
function benchGenerations(orgs: { organizationId: string; keyId: string }[], count: number, offset: number) {
  return Array.from({ length: count }, (_, index): TestGenerationInput => {
    const n = offset + index;
    const org = orgs[n % orgs.length] ?? { organizationId: "", keyId: "" };
    return {
      organizationId: org.organizationId,
      apiKeyId: n % 4 ? org.keyId : null,
      model: n % 3 ? "openai/gpt-4o-mini" : "anthropic/claude-sonnet-4",
      providerId: n % 3 ? "openai" : "anthropic",
      cost: BigInt(10_000 + ((n * 7919) % 1_000_000)),
      promptTokens: 50 + (n % 100),
      completionTokens: 10 + (n % 37),
      status: n % 50 ? "success" : "error",
      createdAt: new Date(MONTH_START + Math.floor(((n % 10_000) / 10_000) * MONTH_MS)),
    };
  });
}

async function enqueueUsage(producers: Producers, ids: string[]): Promise<void> {
  const queue = producers.queue("usage");
  for (let start = 0; start < ids.length; start += 1000) {
    await queue.addBulk(
      ids.slice(start, start + 1000).map((generationId) => ({
        name: "usage",
        data: { generationIds: [generationId] },
        opts: { jobId: generationId },
      })),
    );
  }
}

/**
 * (a) A 10,000-generation replay while the worker is SIGKILLed and restarted at least 10 times and its Redis prefix
 * is flushed once (queued jobs and schedulers gone): the reingest sweep must find what the queue lost. Then: every
 * generation ingested, one debit each, costs == debits == rollups == the month's invoice lines.
 */
export function replayUnderChaos(
  options: { generations?: number; kills?: number } = {},
): Promise<SectionResult> {
  const total = options.generations ?? 10_000;
  const kills = Math.max(10, options.kills ?? 12);
  const env = { WORKER_REINGEST_EVERY_MS: "1000", WORKER_REINGEST_AFTER_MS: "2000" };
  return withRig(env, async ({ database, redis, producers, startWorker }) => {
    const orgs = await Promise.all(
      ["chaos-a", "chaos-b", "chaos-c"].map((name) => createTestTenant(database.db, { name })),
    );
    const organizationIds = orgs.map((org) => org.organizationId);
    const notIngested = async () => (await moneyTotals(database.db, organizationIds)).notIngested;
    const started = performance.now();
    let inserted = 0;
    let killed = 0;
    let leftBehind = 0;
    let flushedWith = -1;
    // The "gateway": writes generations and enqueues their usage jobs in bursts while the worker dies and returns.
    const burst = async (count: number) => {
      const ids = await createTestGenerations(database.db, benchGenerations(orgs, count, inserted));
      inserted += ids.length;
      await enqueueUsage(producers, ids);
    };
    const flushBurst = Math.min(1000, Math.floor(total / 10));
    const cycles = Array.from(
      { length: kills },
      (_, index) =>
        Math.floor(((index + 1) * (total - flushBurst)) / kills) -
        Math.floor((index * (total - flushBurst)) / kills),
    );
    for (const count of cycles) {
      const worker = await startWorker();
      // Killed at a random moment while the burst is being written, queued and ingested.
      const writing = burst(count);
      await sleep(50 + Math.floor(Math.random() * 300));
      await worker.kill9();
      await writing;
      killed++;
      if ((await notIngested()) > 0) leftBehind++;
      if (killed === Math.ceil(kills / 2)) {
        // While no worker runs: a burst is written and queued, then the queue is lost (jobs and job schedulers).
        // Only this bench's own keys are deleted, never FLUSHALL (others share this Redis). The reingest sweep
        // must find these generations from Postgres.
        await burst(flushBurst);
        flushedWith = await notIngested();
        await redis.cleanup();
      }
    }
    const worker = await startWorker();
    const deadline = Date.now() + 180_000;
    while ((await notIngested()) > 0 && Date.now() < deadline) await sleep(250);
    await worker.stop();
    const seconds = (performance.now() - started) / 1000;

    const totals = await moneyTotals(database.db, organizationIds);
    const invoiced = await runInvoices(database.db, {
      at: new Date(MONTH_START + MONTH_MS + 73 * 3_600_000),
      graceHours: 72,
    });
    const invoices = await database.db.invoice.findMany({
      where: { organizationId: { in: organizationIds }, periodStart: new Date(MONTH_START) },
      include: { lines: true },
    });
    const invoiceTotal = invoices.reduce((sum, invoice) => sum + invoice.total, 0n);
    const lineTotal = invoices.reduce(
      (sum, invoice) => sum + invoice.lines.reduce((lines, line) => lines + line.amount, 0n),
      0n,
    );
    const report = await reconcile(database.db, {
      from: new Date(MONTH_START),
      to: new Date(MONTH_START + MONTH_MS),
      log: () => undefined,
    });
    const ok =
      totals.generations === total &&
      totals.notIngested === 0 &&
      totals.usageDebits === total &&
      totals.debitedGenerations === total &&
      -totals.debitSum === totals.costs &&
      totals.rollupCost === totals.costs &&
      totals.rollupRequests === total &&
      invoiced.finalized.length === orgs.length &&
      invoiceTotal === totals.costs &&
      lineTotal === totals.costs &&
      report.ok;
    return {
      ok,
      figures: {
        generations: `${totals.generations} written (${inserted} by the replay)`,
        "worker SIGKILLs": `${killed} (${leftBehind} of them left generations un-ingested)`,
        "Redis prefix flushes": `1 (${flushedWith} generations not yet ingested at that moment)`,
        "not ingested at the end": totals.notIngested,
        "usage debits": `${totals.usageDebits} for ${totals.debitedGenerations} distinct generations`,
        "counted twice": totals.usageDebits - totals.debitedGenerations,
        "sum of costs": `${totals.costs} nano (${formatUsd(totals.costs)})`,
        "sum of debits": `${-totals.debitSum} nano`,
        "sum of rollup costs": `${totals.rollupCost} nano (${totals.rollupRequests} requests)`,
        "invoice totals / lines": `${invoiceTotal} / ${lineTotal} nano (${invoiced.finalized.map((f) => f.number).join(", ")})`,
        reconciliation: report.ok ? "no discrepancies" : `${report.discrepancies.length} discrepancies`,
        seconds: Number(seconds.toFixed(1)),
        "all checks": ok,
      },
    };
  });
}

/**
 * (b) Ingestion throughput into the rollups: N settled generations with their usage jobs queued, then one worker
 * process started; timed until every generation is in the rollups, and until the queue is empty. Also the bulk
 * path alone (what the sweep uses), in-process.
 */
export function ingestThroughput(options: { generations?: number } = {}): Promise<SectionResult> {
  const total = options.generations ?? 20_000;
  return withRig({}, async ({ database, producers, startWorker }) => {
    const seed = async (names: string[]) => {
      const orgs = await Promise.all(names.map((name) => createTestTenant(database.db, { name })));
      const ids: string[] = [];
      for (let offset = 0; offset < total; offset += 2000) {
        ids.push(...(await createTestGenerations(database.db, benchGenerations(orgs, 2000, offset))));
      }
      return { ids, organizationIds: orgs.map((org) => org.organizationId) };
    };
    const { ids, organizationIds } = await seed(["tp-a", "tp-b", "tp-c"]);
    let started = performance.now();
    await enqueueUsage(producers, ids);
    const enqueueSeconds = (performance.now() - started) / 1000;
    const worker = await startWorker();
    started = performance.now();
    while ((await moneyTotals(database.db, organizationIds)).notIngested > 0) await sleep(50);
    const ingestedSeconds = (performance.now() - started) / 1000;
    const queue = producers.queue("usage");
    for (;;) {
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      if (Object.values(counts).every((count) => count === 0)) break;
      await sleep(100);
    }
    const queueSeconds = (performance.now() - started) / 1000;
    await worker.stop();
    const viaQueue = await moneyTotals(database.db, organizationIds);

    // The bulk path alone: a fresh batch of generations drained straight from Postgres.
    const bulkSeed = await seed(["bulk-a", "bulk-b"]);
    started = performance.now();
    const drained = await drainBacklog(database.db, { limit: 2000, budgetMs: 600_000 });
    const bulkSeconds = (performance.now() - started) / 1000;
    const bulk = await moneyTotals(database.db, bulkSeed.organizationIds);
    const ok =
      viaQueue.notIngested === 0 &&
      viaQueue.usageDebits === total &&
      viaQueue.rollupCost === viaQueue.costs &&
      bulk.notIngested === 0 &&
      drained === total &&
      bulk.rollupCost === bulk.costs;
    const rate = (seconds: number) => `${Math.round(total / seconds).toLocaleString("en-US")}/s`;
    return {
      ok,
      figures: {
        generations: total,
        "enqueue (addBulk)": `${enqueueSeconds.toFixed(2)} s → ${rate(enqueueSeconds)} jobs`,
        "worker: all in rollups": `${ingestedSeconds.toFixed(2)} s → ${rate(ingestedSeconds)} generations (goal ≥ 5,000)`,
        "worker: queue empty": `${queueSeconds.toFixed(2)} s → ${rate(queueSeconds)} jobs completed`,
        "bulk path (sweep) in-process": `${bulkSeconds.toFixed(2)} s → ${rate(bulkSeconds)} generations`,
        "debits / generations": `${viaQueue.usageDebits} / ${viaQueue.debitedGenerations} (worker), ${bulk.usageDebits} / ${drained} (bulk) of ${total} each`,
        "all checks": ok,
      },
    };
  });
}

/**
 * (c) Stripe webhooks: a paid checkout's events delivered 3× each, out of order (payment_intent.succeeded before
 * checkout.session.completed) and concurrently, a forged one, and a refund delivered twice. Real SDK, real
 * signatures, the fake Stripe API.
 */
export async function webhookReplay(): Promise<SectionResult> {
  const [database, fake] = await Promise.all([createTestDatabase(), startFakeStripe()]);
  try {
    const secret = "whsec_bench";
    const stripe = createStripeClient({ STRIPE_SECRET_KEY: "sk_test_bench", STRIPE_API_BASE: fake.url });
    const organizationId = (await createOrganization(database.db, { name: "Webhook bench" })).id;
    const session = await createTopUpCheckout(database.db, stripe, {
      organizationId,
      amountUsd: "100",
      successUrl: "https://bench.example/ok",
      cancelUrl: "https://bench.example/cancel",
    });
    const paid = fake.completeCheckout(session.id);
    const deliver = (event: object, signWith = secret) => {
      const payload = JSON.stringify(event, null, 2);
      const header = stripe.webhooks.generateTestHeaderString({ payload, secret: signWith });
      return handleStripeWebhook(database.db, stripe, payload, header, secret);
    };
    const order = [
      paid.paymentIntentSucceeded,
      paid.checkoutSessionCompleted,
      paid.paymentIntentSucceeded,
      paid.chargeSucceeded,
      paid.checkoutSessionCompleted,
      paid.paymentIntentSucceeded,
    ];
    const outcomes: string[] = [];
    for (const event of order) outcomes.push((await deliver(event)).outcome);
    const concurrent = await Promise.all([1, 2, 3].map(() => deliver(paid.checkoutSessionCompleted)));
    const forged = await deliver(paid.checkoutSessionCompleted, "whsec_forged").then(
      () => "accepted",
      () => "rejected",
    );
    const afterCredit = await fullLedgerBalance(database.db, organizationId);
    const intentId = (paid.paymentIntentSucceeded.data as { object: { id: string } }).object.id;
    const { chargeRefunded } = fake.refund(intentId, 2500);
    const refunds = [(await deliver(chargeRefunded)).outcome, (await deliver(chargeRefunded)).outcome];
    const balance = await fullLedgerBalance(database.db, organizationId);
    const ok =
      afterCredit === 100_000_000_000n &&
      balance === 75_000_000_000n &&
      forged === "rejected" &&
      outcomes.filter((outcome) => outcome === "credited").length === 1 &&
      concurrent.every((result) => result.outcome === "duplicate");
    return {
      ok,
      figures: {
        "deliveries (3× each, PI before session)": outcomes.join(", "),
        "same event 3× concurrently": concurrent.map((result) => result.outcome).join(", "),
        "forged signature": forged,
        "balance after top-up": `${formatUsd(afterCredit)} (paid $100.00 once)`,
        "refund of $25 delivered 2×": refunds.join(", "),
        "balance after refund": formatUsd(balance),
        "all checks": ok,
      },
    };
  } finally {
    await Promise.all([database.drop(), fake.close()]);
  }
}

/** Sections in run order. The gateway's "1,000 concurrent requests against credit for 100" slots in here. */
export const SECTIONS: { name: string; title: string; run: () => Promise<SectionResult> }[] = [
  {
    name: "chaos",
    title: "10,000-generation replay, worker SIGKILLed ≥10×, Redis prefix flushed once",
    run: () => replayUnderChaos(),
  },
  { name: "throughput", title: "Ingestion throughput into rollups", run: () => ingestThroughput() },
  {
    name: "webhook",
    title: "Stripe webhooks: 3×, out of order, concurrent, forged, refund",
    run: () => webhookReplay(),
  },
  {
    name: "concurrency",
    title: "1,000 concurrent requests, credit for exactly 100 (two gateway instances)",
    run: async () => {
      const figures = await moneyConcurrency();
      const ok = [
        "balance never below zero",
        "at most covered served",
        "generation costs == usage debits",
        "credit − balance == costs",
      ].every((check) => figures[check] === true);
      return { ok, figures };
    },
  },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  let failed = false;
  for (const section of SECTIONS) {
    if (wanted.length && !wanted.includes(section.name)) continue;
    const result = await section.run();
    printSection(section.title, result.figures);
    failed ||= !result.ok;
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
