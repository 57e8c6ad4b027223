import { execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PROVIDER_ENV } from "@junction/config";
import {
  createTestDatabase,
  createTestRedisPrefix,
  createTestTenant,
  type TestDatabase,
  type TestTenant,
  withCatalog,
} from "@junction/testing";
import {
  benchRequestBody,
  type Child,
  cpuMs,
  cpuTimes,
  liveChildren,
  memoryMiB,
  runToCompletion,
  sleep,
  startNode,
  stopChild,
} from "./lib.js";
import { undici } from "./undici.js";

/**
 * `pnpm bench`: the gateway against the floor. Starts a fast fake upstream, a bare node:http + undici pass-through
 * proxy and the gateway (each its own process), drives each from separate processes (autocannon for throughput and
 * CPU, bench/ttfb.ts for sub-millisecond latency and time to first byte) at several concurrencies, streaming and
 * not, and prints the figures side by side with the gateway's deltas over the bare proxy and the goals.
 *
 *   pnpm bench                        the default matrix (~6 minutes; bench/README.md lists every option)
 *   pnpm bench --rounds 5             each cell measured this many times, medians reported (default 3)
 *   pnpm bench --duration 8           seconds per autocannon cell (default 3)
 *   pnpm bench --soak 300             only the soak: 64 concurrent streams on the gateway, RSS every 10 s
 *   pnpm bench --profile              also write V8 CPU profiles of the gateways to bench/results/profile{,-paced}/
 *   pnpm bench --syscalls             only syscalls per request (strace), bare proxy and gateway
 *   pnpm bench --serve                only start the servers and keep them up (for perf, strace, a profiler)
 */

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = join(root, "bench/results");
const AUTOCANNON = join(root, "apps/gateway/node_modules/.bin/autocannon");

const { values: options } = parseArgs({
  options: {
    duration: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
    "ttfb-duration": { type: "string", default: "2" },
    concurrency: { type: "string", default: "1,16,64" },
    soak: { type: "string" },
    "soak-concurrency": { type: "string", default: "64" },
    profile: { type: "boolean", default: false },
    syscalls: { type: "boolean", default: false },
    serve: { type: "boolean", default: false },
    "pace-ms": { type: "string", default: "30" },
    "paced-concurrency": { type: "string", default: "64" },
    "paced-duration": { type: "string", default: "5" },
    "long-prompt-chars": { type: "string", default: "50000" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (options.help) {
  console.log(
    "usage: pnpm bench [--rounds 3] [--duration 3] [--ttfb-duration 2] [--concurrency 1,16,64] [--soak <seconds>] " +
      "[--soak-concurrency 64] [--pace-ms 30] [--paced-concurrency 64] [--paced-duration 5] [--profile] " +
      "[--long-prompt-chars 50000] [--syscalls] [--serve]",
  );
  process.exit(0);
}
const durationS = Number(options.duration);
/** Every cell is measured this many times, the rounds spread over the run; the deltas are medians over rounds. */
const rounds = Number(options.rounds);
const ttfbDurationS = Number(options["ttfb-duration"]);
const concurrencies = options.concurrency.split(",").map(Number);
const soakS = options.soak === undefined ? undefined : Number(options.soak);
const PACE_MS = Number(options["pace-ms"]);
/** A paced stream's events after its first token (bench/upstream.ts): 19 tokens, finish, usage, [DONE]. */
const PACED_INTERVALS = 22;
/** Seconds of paced streams through each paced target before each paced cell (not measured). */
const PACED_WARMUP_S = 3;
const pacedConcurrencies = options["paced-concurrency"].split(",").map(Number);
const pacedDurationS = Number(options["paced-duration"]);
/** The system prompt of the long-prompt cells (0: no such cells). */
const longPromptChars = Number(options["long-prompt-chars"]);
if (
  ![durationS, rounds, ttfbDurationS, PACE_MS, pacedDurationS, ...concurrencies, ...pacedConcurrencies].every(
    (n) => Number.isFinite(n) && n > 0,
  ) ||
  (soakS !== undefined && !(soakS > 0)) ||
  !Number.isInteger(rounds) ||
  !(longPromptChars >= 0)
) {
  console.error(
    "bench: every option but --profile, --syscalls and --serve takes positive numbers (--long-prompt-chars: 0 or more)",
  );
  process.exit(2);
}

type TargetName = "upstream" | "bare" | "gateway";
type Mode = "json" | "stream";
type Target = { name: TargetName; url: string; child: Child; key: string };

type LoadCell = {
  round: number;
  target: TargetName;
  mode: Mode;
  concurrency: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  cpuMsPer1k: number;
  /** The part of the CPU time spent in the kernel (system calls, network stack). */
  systemShare: number;
  errors: number;
  non2xx: number;
};
type Summary = { p50: number; p90: number; p99: number; mean: number };
type PreciseCell = {
  round: number;
  target: TargetName;
  mode: Mode;
  concurrency: number;
  requests: number;
  errors: number;
  bad: number;
  rps: number;
  ttfbMs: Summary;
  totalMs: Summary;
  /** The server's CPU time per 1,000 requests during the cell. */
  cpuMsPer1k: number;
};

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle: everything started is stopped on exit, Ctrl-C or the overall time limit; the database is dropped and
// the Redis prefix cleaned.

let database: TestDatabase | undefined;
let redis: ReturnType<typeof createTestRedisPrefix> | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.allSettled(liveChildren().map((child) => stopChild(child)));
    await database?.drop().catch((error) => console.error(`bench: could not drop ${database?.name}:`, error));
    await redis
      ?.cleanup()
      .catch((error) => console.error(`bench: could not clean Redis prefix ${redis?.prefix}:`, error));
  })();
  return cleaning;
}

let stopping = false;

async function abort(reason: string, code: number): Promise<never> {
  stopping = true;
  console.error(`\nbench: ${reason}; cleaning up…`);
  await cleanup();
  process.exit(code);
}

// `on`, not `once`: Ctrl-C reaches this process both directly and relayed by tsx; a second signal must not kill the
// process halfway through its cleanup.
process.on("SIGINT", () => void (stopping || abort("interrupted", 130)));
process.on("SIGTERM", () => void (stopping || abort("terminated", 143)));
const limitMs = (soakS ?? 0) * 1000 + (10 + 5 * rounds) * 60_000;
// --serve runs until stopped.
if (!options.serve)
  setTimeout(
    () => void abort(`time limit of ${Math.round(limitMs / 60_000)} minutes reached`, 124),
    limitMs,
  ).unref();

// ---------------------------------------------------------------------------------------------------------------

const log = (message: string) => console.log(`[bench] ${message}`);

/** Environment for child servers: ours, minus every provider credential, so only the fake upstream is reachable. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const spec of Object.values(PROVIDER_ENV)) {
    delete env[spec.key];
    delete env[spec.baseUrl];
  }
  delete env.NODE_OPTIONS;
  return env;
}

async function startTargets(tenant: TestTenant): Promise<{ targets: Target[]; paced: Target[] }> {
  const env = cleanEnv();
  const receiptKey = generateKeyPairSync("ed25519")
    .privateKey.export({ type: "pkcs8", format: "der" })
    .toString("base64");
  const upstream = await startNode("upstream", ["bench/upstream.ts", "--pace-ms", String(PACE_MS)], {
    cwd: root,
    env,
    ready: /^LISTENING (\d+)/,
  });
  const upstreamUrl = `http://127.0.0.1:${upstream.match[1]}`;
  const nodeFlags = gatewayNodeFlags();
  const bare = await startBare("bare proxy", upstreamUrl);
  // The gateway runs as in production: its bundle (`pnpm --filter @junction/gateway build`), rebuilt from the sources.
  execFileSync(process.execPath, ["apps/gateway/build.mjs"], { cwd: root, stdio: "inherit" });
  const gateway = await startGateway("gateway", `${upstreamUrl}/v1`, "profile", soakS !== undefined);
  // A second instance (same database and Redis) whose provider is the paced upstream.
  // (Not for the soak or --syscalls, which measure the first gateway only.)
  const pacedGateway =
    soakS === undefined && !options.syscalls
      ? await startGateway("gateway (paced)", `${upstreamUrl}/paced/v1`, "profile-paced", false)
      : undefined;
  const bareUrl = `http://127.0.0.1:${bare.match[1]}`;
  // The paced cells compare two processes that serve nothing else (idle between paced cells alike): the shared bare
  // proxy above stays warm from the unpaced cells while the paced gateway waits, which made the comparison unfair.
  const pacedBare = pacedGateway ? await startBare("bare proxy (paced)", `${upstreamUrl}/paced`) : undefined;
  return {
    targets: [
      { name: "upstream", url: upstreamUrl, child: upstream.child, key: "bench" },
      { name: "bare", url: bareUrl, child: bare.child, key: "bench" },
      { name: "gateway", url: gateway.match[1] as string, child: gateway.child, key: tenant.apiKey },
    ],
    paced:
      pacedGateway && pacedBare
        ? [
            {
              name: "bare",
              url: `http://127.0.0.1:${pacedBare.match[1]}`,
              child: pacedBare.child,
              key: "bench",
            },
            {
              name: "gateway",
              url: pacedGateway.match[1] as string,
              child: pacedGateway.child,
              key: tenant.apiKey,
            },
          ]
        : [],
  };

  /** A bare proxy to `upstream`, with the gateway's V8 settings: like against like. */
  function startBare(name: string, upstream: string) {
    return startNode(name, ["bench/bare-proxy.ts", upstream], {
      cwd: root,
      env,
      nodeArgs: nodeFlags,
      ready: /^LISTENING (\d+)/,
    });
  }

  /** The node flags of the gateway's own start script (`node --flag dist/main.js`): the bench runs what users run. */
  function gatewayNodeFlags(): string[] {
    const manifest = JSON.parse(readFileSync(join(root, "apps/gateway/package.json"), "utf8"));
    return String(manifest.scripts.start)
      .split(/\s+/)
      .filter((arg) => arg.startsWith("--"));
  }

  /** With --profile, each gateway writes its V8 CPU profile to bench/results/<profileDir>/ when it stops. */
  function startGateway(name: string, openAiBaseUrl: string, profileDir: string, traceGc: boolean) {
    const profile = options.profile;
    if (profile) mkdirSync(join(resultsDir, profileDir), { recursive: true });
    return startNode(name, ["apps/gateway/dist/main.js"], {
      cwd: root,
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      onLine: traceGc ? recordMajorGc : undefined,
      nodeArgs: [
        ...(profile ? ["--cpu-prof", "--cpu-prof-dir", join(resultsDir, profileDir)] : []),
        // One line per GC; the heap left after each major GC is what a leak would make grow.
        ...(traceGc ? ["--trace-gc"] : []),
        // /tmp/perf-<pid>.map names the JIT's functions for `perf report`.
        ...(options.serve ? ["--perf-basic-prof"] : []),
        ...nodeFlags,
      ],
      env: {
        ...env,
        NODE_ENV: "production",
        DATABASE_URL: database?.url,
        REDIS_URL: redis?.url,
        JUNCTION_REDIS_PREFIX: redis?.prefix,
        GATEWAY_HOST: "127.0.0.1",
        GATEWAY_PORT: "0",
        // An ephemeral receipt-signing key, as production configures one (otherwise the gateway writes a dev key file).
        JUNCTION_RECEIPT_PRIVATE_KEY: receiptKey,
        OPENAI_API_KEY: "bench",
        OPENAI_BASE_URL: openAiBaseUrl,
      },
    });
  }
}

/** One request of each kind through each target, checked, before anything is measured. */
async function sanityCheck(targets: Target[]): Promise<void> {
  for (const target of targets) {
    for (const stream of [false, true]) {
      const response = await undici.request(`${target.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${target.key}` },
        body: benchRequestBody(stream),
      });
      const text = await response.body.text();
      const ok =
        response.statusCode === 200 &&
        (stream
          ? text.endsWith("data: [DONE]\n\n") && text.includes('"usage"')
          : (JSON.parse(text) as { usage?: unknown }).usage !== undefined) &&
        (target.name !== "gateway" || response.headers["x-junction-generation-id"] !== undefined);
      if (!ok)
        throw new Error(
          `sanity check failed for ${target.name} (${stream ? "stream" : "json"}): ${response.statusCode} ${text.slice(0, 500)}`,
        );
    }
  }
}

/** Simulates a worker that keeps up: without it, every generation stays un-ingested, and the settled-balance query
 * (ledger minus un-ingested generations) would get dearer with every request of the run. */
async function markIngested(): Promise<void> {
  if (!database) return;
  await database.db.$executeRaw`UPDATE "Generation" SET "ingestedAt" = now() WHERE "ingestedAt" IS NULL`;
}

type AutocannonJson = {
  requests: { total: number };
  latency: { p50: number; p99: number; average: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
};

async function autocannon(
  target: Target,
  mode: Mode,
  concurrency: number,
  seconds: number,
): Promise<AutocannonJson> {
  const args = [
    "-j",
    "-c",
    String(concurrency),
    "-d",
    String(seconds),
    "-m",
    "POST",
    "-H",
    "content-type=application/json",
    "-H",
    `authorization=Bearer ${target.key}`,
    "-b",
    benchRequestBody(mode === "stream"),
    `${target.url}/v1/chat/completions`,
  ];
  const run = await runToCompletion("autocannon", AUTOCANNON, args, (seconds + 60) * 1000);
  if (run.code !== 0) throw new Error(`autocannon failed (${run.code}): ${run.stderr.slice(-1000)}`);
  return JSON.parse(run.stdout) as AutocannonJson;
}

/** While the gateway is under load, marks generations ingested every second (a worker at most ~1 s behind). */
async function withIngestion<T>(target: Target, run: () => Promise<T>): Promise<T> {
  if (target.name !== "gateway") return run();
  const timer = setInterval(() => void markIngested().catch(() => undefined), 1_000);
  try {
    return await run();
  } finally {
    clearInterval(timer);
    await markIngested();
  }
}

async function loadCell(target: Target, mode: Mode, concurrency: number, round: number): Promise<LoadCell> {
  const before = cpuTimes(target.child.pid);
  const result = await withIngestion(target, () => autocannon(target, mode, concurrency, durationS));
  const after = cpuTimes(target.child.pid);
  const system = after.system - before.system;
  const cpu = after.user - before.user + system;
  const requests = result.requests.total;
  return {
    round,
    target: target.name,
    mode,
    concurrency,
    requests,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.average,
    cpuMsPer1k: requests ? (cpu / requests) * 1000 : Number.NaN,
    systemShare: cpu ? system / cpu : Number.NaN,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function preciseCell(
  target: Target,
  mode: Mode,
  concurrency: number,
  round: number,
  seconds = ttfbDurationS,
  staggerMs = 0,
  extraArgs: string[] = [],
): Promise<PreciseCell> {
  const args = [
    "--import",
    "tsx",
    join(root, "bench/ttfb.ts"),
    "--json",
    "--url",
    target.url,
    "--key",
    target.key,
    "--concurrency",
    String(concurrency),
    "--duration",
    String(seconds),
    "--stagger-ms",
    String(staggerMs),
    ...extraArgs,
    ...(mode === "stream" ? ["--stream"] : []),
  ];
  const before = cpuMs(target.child.pid);
  const run = await withIngestion(target, () =>
    runToCompletion("ttfb", process.execPath, args, (seconds + 60) * 1000, root),
  );
  const cpu = cpuMs(target.child.pid) - before;
  if (run.code !== 0) throw new Error(`ttfb.ts failed (${run.code}): ${run.stderr.slice(-1000)}`);
  const result = JSON.parse(run.stdout) as Omit<PreciseCell, "round" | "target" | "mode" | "cpuMsPer1k">;
  return {
    ...result,
    round,
    target: target.name,
    mode,
    cpuMsPer1k: result.requests ? (cpu / result.requests) * 1000 : Number.NaN,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "—");
const signed = (value: number, digits = 2) =>
  Number.isFinite(value) ? `${value >= 0 ? "+" : ""}${value.toFixed(digits)}` : "—";

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) =>
        index < 3 ? cell.padEnd(widths[index] as number) : cell.padStart(widths[index] as number),
      )
      .join("  ");
  return [line(headers), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

type Goal = { goal: string; measured: string; met: boolean | null };

/** What the gateway adds to the bare proxy's latency, from two precise cells of the same kind (TTFB: streams only). */
function latencyDeltas(gw: PreciseCell, bare: PreciseCell) {
  const stream = gw.mode === "stream";
  return {
    addedP50Ms: gw.totalMs.p50 - bare.totalMs.p50,
    addedP99Ms: gw.totalMs.p99 - bare.totalMs.p99,
    addedTtfbP50Ms: stream ? gw.ttfbMs.p50 - bare.ttfbMs.p50 : Number.NaN,
    addedTtfbP99Ms: stream ? gw.ttfbMs.p99 - bare.ttfbMs.p99 : Number.NaN,
  };
}

type DeltaRow = ReturnType<typeof latencyDeltas> & { cpuRatio: number };

/**
 * A cell's figures over the rounds: the median of each round's gateway-minus-bare value (the two were measured side
 * by side), and the range of the CPU ratio.
 */
function overRounds<T extends DeltaRow>(perRound: T[]): T & { cpuRatioMin: number; cpuRatioMax: number } {
  // The middle value; with an even number of rounds, the mean of the two middle ones.
  const median = (values: number[]) => {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    if (!sorted.length) return Number.NaN;
    return sorted.length % 2
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  };
  const first = perRound[0] as T;
  const medians = Object.fromEntries(
    Object.keys(first).map((key) => [key, median(perRound.map((row) => row[key as keyof T] as number))]),
  ) as T;
  const ratios = perRound.map((row) => row.cpuRatio).filter(Number.isFinite);
  return { ...medians, cpuRatioMin: Math.min(...ratios), cpuRatioMax: Math.max(...ratios) };
}

const roundNumbers = () => Array.from({ length: rounds }, (_, index) => index + 1);

function deltas(load: LoadCell[], precise: PreciseCell[]) {
  const rows: (ReturnType<typeof overRounds<DeltaRow & { autocannonAddedP99Ms: number }>> & {
    mode: Mode;
    concurrency: number;
  })[] = [];
  for (const mode of ["json", "stream"] as Mode[]) {
    for (const concurrency of concurrencies) {
      const perRound = roundNumbers().flatMap((round) => {
        const find = <T extends { round: number; target: TargetName; mode: Mode; concurrency: number }>(
          cells: T[],
          target: TargetName,
        ) =>
          cells.find(
            (cell) =>
              cell.round === round &&
              cell.target === target &&
              cell.mode === mode &&
              cell.concurrency === concurrency,
          );
        const [gw, bare, gwLoad, bareLoad] = [
          find(precise, "gateway"),
          find(precise, "bare"),
          find(load, "gateway"),
          find(load, "bare"),
        ];
        if (!gw || !bare || !gwLoad || !bareLoad) return [];
        return [
          {
            ...latencyDeltas(gw, bare),
            autocannonAddedP99Ms: gwLoad.p99Ms - bareLoad.p99Ms,
            cpuRatio: gwLoad.cpuMsPer1k / bareLoad.cpuMsPer1k,
          },
        ];
      });
      if (perRound.length) rows.push({ mode, concurrency, ...overRounds(perRound) });
    }
  }
  return rows;
}

const DELTA_COLUMNS = ["added p50", "added p99", "added TTFB p50", "added TTFB p99", "CPU ratio", "range"];
/** The columns of both "gateway minus bare proxy" tables. */
function deltaCells(row: ReturnType<typeof overRounds<DeltaRow>>): string[] {
  return [
    signed(row.addedP50Ms, 3),
    signed(row.addedP99Ms, 3),
    signed(row.addedTtfbP50Ms, 3),
    signed(row.addedTtfbP99Ms, 3),
    `${fmt(row.cpuRatio)}×`,
    `${fmt(row.cpuRatioMin)}–${fmt(row.cpuRatioMax)}×`,
  ];
}

/**
 * The gateway against the bare proxy on the precise client's cells that `same` selects, round by round, then the
 * medians over the rounds (undefined when no round has both).
 */
function preciseDeltas<C extends PreciseCell>(cells: C[], same: (cell: C) => boolean) {
  const perRound = roundNumbers().flatMap((round) => {
    const find = (target: TargetName) =>
      cells.find((cell) => cell.round === round && cell.target === target && same(cell));
    const [gw, bare] = [find("gateway"), find("bare")];
    if (!gw || !bare) return [];
    return [{ ...latencyDeltas(gw, bare), cpuRatio: gw.cpuMsPer1k / bare.cpuMsPer1k }];
  });
  return perRound.length ? overRounds(perRound) : undefined;
}

function pacedDeltas(cells: PreciseCell[]) {
  return pacedConcurrencies.flatMap((concurrency) => {
    const row = preciseDeltas(cells, (cell) => cell.concurrency === concurrency);
    return row ? [{ concurrency, ...row }] : [];
  });
}

type LongPromptCell = PreciseCell & { prompt: "repeated" | "new" };

function longPromptDeltas(cells: LongPromptCell[]) {
  return (["repeated", "new"] as const).flatMap((prompt) => {
    const row = preciseDeltas(cells, (cell) => cell.prompt === prompt);
    return row ? [{ prompt, ...row }] : [];
  });
}

function goals(rows: ReturnType<typeof deltas>, paced: ReturnType<typeof pacedDeltas>): Goal[] {
  const out: Goal[] = [];
  const worstCpu = rows.reduce(
    (worst, row) => (row.cpuRatio > worst.cpuRatio ? row : worst),
    rows[0] ?? { cpuRatio: Number.NaN, mode: "json", concurrency: 0 },
  );
  out.push({
    goal: "CPU per request ≤ 2× the bare proxy (every cell, streaming and usage extraction included)",
    measured:
      `medians over ${rounds} rounds; worst ${fmt(worstCpu.cpuRatio)}× (${worstCpu.mode}, c=${worstCpu.concurrency}); ` +
      [
        ...rows.map((row) => `${row.mode} c=${row.concurrency}: ${fmt(row.cpuRatio)}×`),
        ...paced.map((row) => `paced c=${row.concurrency}: ${fmt(row.cpuRatio)}×`),
      ].join(", "),
    met: rows.length ? [...rows, ...paced].every((row) => row.cpuRatio <= 2) : null,
  });
  const single = rows.find((row) => row.mode === "stream" && row.concurrency === 1);
  out.push({
    goal: "added time to first streamed byte ≤ 0.3 ms (median, 1 stream at a time)",
    measured: single
      ? `${signed(single.addedTtfbP50Ms, 3)} ms (p99 ${signed(single.addedTtfbP99Ms, 3)} ms)` +
        paced.map((row) => `; paced c=${row.concurrency}: ${signed(row.addedTtfbP50Ms, 3)} ms`).join("")
      : "not measured (needs concurrency 1)",
    met: single ? single.addedTtfbP50Ms <= 0.3 : null,
  });
  // Judged on streams paced as a model generates them. The unpaced c=64 cell is a throughput test: its 64 clients
  // keep both cores saturated, so its latency is queueing (Little's law) and follows the CPU ratio instead.
  const streams = paced.find((row) => row.concurrency === 64);
  const saturated = rows.find((row) => row.mode === "stream" && row.concurrency === 64);
  out.push({
    goal: "added p99 ≤ 2 ms at 64 concurrent streams (paced as a model generates them)",
    measured:
      (streams ? `${signed(streams.addedP99Ms, 3)} ms` : "not measured (needs --paced-concurrency 64)") +
      (saturated
        ? `; unpaced, both cores saturated: ${signed(saturated.addedP99Ms)} ms` +
          ` (autocannon, 1 ms resolution: ${signed(saturated.autocannonAddedP99Ms, 0)} ms)`
        : ""),
    met: streams ? streams.addedP99Ms <= 2 : null,
  });
  return out;
}

/** The commit under test, and whether the gateway's sources differ from it (they are benchmarked as they are). */
function revision(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "apps/gateway", "packages"], {
      cwd: root,
      encoding: "utf8",
    }).trim();
    return dirty ? `${sha} + uncommitted changes` : sha;
  } catch {
    return "unknown revision";
  }
}

const verdict = (met: boolean | null) => (met === null ? "n/a " : met ? "MET " : "MISSED");

// ---------------------------------------------------------------------------------------------------------------

/** The heap left after each major GC of the gateway (from its `--trace-gc` lines, in soak mode). */
const majorGcs: { at: number; heapMb: number }[] = [];
function recordMajorGc(line: string): void {
  const match = /Mark-Compact.*?-> ([\d.]+) \([\d.]+\) MB/.exec(line);
  if (match) majorGcs.push({ at: Date.now(), heapMb: Number(match[1]) });
}

/** Least-squares trend of a series over its time span; flat when it grows by at most max(10, 5% of the mean). */
function trend(points: { t: number; value: number }[]) {
  if (points.length < 3) return undefined;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const meanT = mean(points.map((p) => p.t));
  const meanValue = mean(points.map((p) => p.value));
  const slope =
    points.reduce((sum, p) => sum + (p.t - meanT) * (p.value - meanValue), 0) /
    points.reduce((sum, p) => sum + (p.t - meanT) ** 2, 0);
  const from = points[0]?.t ?? 0;
  const to = points[points.length - 1]?.t ?? 0;
  const growth = slope * (to - from);
  const values = points.map((p) => p.value);
  return {
    from,
    to,
    count: points.length,
    min: Math.min(...values),
    max: Math.max(...values),
    growth,
    flat: growth <= Math.max(10, meanValue * 0.05),
  };
}

async function soak(gateway: Target, seconds: number): Promise<{ t: number; rss: number; peak: number }[]> {
  const concurrency = Number(options["soak-concurrency"]);
  log(`soak: ${concurrency} concurrent streams on the gateway for ${seconds} s, RSS every 10 s`);
  const samples: { t: number; rss: number; peak: number }[] = [];
  const started = Date.now();
  const sample = () => {
    const memory = memoryMiB(gateway.child.pid);
    const t = Math.round((Date.now() - started) / 1000);
    samples.push({ t, ...memory });
    log(`soak t=${String(t).padStart(4)} s  RSS ${fmt(memory.rss, 1)} MiB  peak ${fmt(memory.peak, 1)} MiB`);
  };
  sample();
  const timer = setInterval(sample, 10_000);
  const cpuBefore = cpuMs(gateway.child.pid);
  let result: AutocannonJson;
  try {
    result = await withIngestion(gateway, () => autocannon(gateway, "stream", concurrency, seconds));
  } finally {
    clearInterval(timer);
  }
  const cpu = cpuMs(gateway.child.pid) - cpuBefore;
  sample();
  log(
    `soak: ${result.requests.total} requests, ${fmt(result.requests.total / result.duration, 0)} req/s, p99 ${result.latency.p99} ms, ` +
      `${result.errors + result.timeouts} errors, ${result.non2xx} non-2xx, CPU ${fmt((cpu / result.requests.total) * 1000, 1)} ms/1k req`,
  );
  // Judge from a minute in (JIT, pools and caches warm) to the end, by the least-squares trend of all those samples:
  // RSS saws up and down with every major GC, so two single samples can differ by 20% without anything growing.
  const rss = trend(samples.filter((s) => s.t >= 60).map((s) => ({ t: s.t, value: s.rss })));
  if (rss)
    log(
      `soak: RSS from t=${rss.from} s to t=${rss.to} s: ${rss.count} samples, ${fmt(rss.min, 1)}–${fmt(rss.max, 1)} MiB, ` +
        `trend ${signed(rss.growth, 1)} MiB over ${rss.to - rss.from} s — ${rss.flat ? "flat" : "GROWING"} ` +
        "(flat = trend ≤ max(10 MiB, 5% of the mean))",
    );
  // What the JavaScript heap keeps after each major GC: the live data, without the sawtooth of garbage.
  const heap = trend(
    majorGcs
      .map((gc) => ({ t: Math.round((gc.at - started) / 1000), value: gc.heapMb }))
      .filter((gc) => gc.t >= 60),
  );
  if (heap)
    log(
      `soak: heap after each major GC from t=${heap.from} s to t=${heap.to} s: ${heap.count} collections, ` +
        `${fmt(heap.min, 1)}–${fmt(heap.max, 1)} MB, trend ${signed(heap.growth, 1)} MB — ${heap.flat ? "flat" : "GROWING"}`,
    );
  return samples;
}

/**
 * `--syscalls`: the system calls each server makes per request (strace -c over exactly 1,000 sequential requests).
 * On a virtual machine a syscall costs microseconds, so this explains much of the CPU a server spends beyond its
 * JavaScript.
 */
async function syscalls(targets: Target[]): Promise<Record<string, Record<string, number>>> {
  const requests = 1_000;
  const out: Record<string, Record<string, number>> = {};
  for (const mode of ["json", "stream"] as Mode[]) {
    for (const target of targets) {
      const file = join(resultsDir, `strace-${target.name}-${mode}.txt`);
      const strace = spawn("strace", ["-f", "-c", "-o", file, "-p", String(target.child.pid)], {
        stdio: "ignore",
      });
      await sleep(500); // attached
      for (let i = 0; i < requests; i++) {
        const response = await undici.request(`${target.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${target.key}` },
          body: benchRequestBody(mode === "stream"),
        });
        await response.body.text();
      }
      await sleep(200); // background work of the last requests
      strace.kill("SIGINT");
      await once(strace, "exit");
      const counts: Record<string, number> = {};
      for (const line of readFileSync(file, "utf8").split("\n")) {
        const match = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/.exec(line);
        if (match && match[2] !== "total") counts[match[2] as string] = Number(match[1]) / requests;
      }
      out[`${target.name} ${mode}`] = counts;
      const pick = (names: string[]) => names.reduce((sum, name) => sum + (counts[name] ?? 0), 0);
      log(
        `  ${target.name.padEnd(8)} ${mode.padEnd(6)} per request: writes ${fmt(pick(["write", "writev", "sendmsg", "sendto"]), 2)}  ` +
          `reads ${fmt(pick(["read", "readv", "recvfrom", "recvmsg"]), 2)}  epoll ${fmt(pick(["epoll_pwait", "epoll_wait"]), 2)}  ` +
          `all ${fmt(
            Object.values(counts).reduce((a, b) => a + b, 0),
            2,
          )}`,
      );
    }
  }
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const load1 = loadavg()[0] ?? 0;
  log(
    `${cpus().length} CPUs, Node ${process.version}, load average ${fmt(load1)}; load only to 127.0.0.1; gateway at ${revision()}`,
  );
  if (load1 > cpus().length) log("warning: the machine is already busy; figures will be noisy");
  database = await createTestDatabase(withCatalog());
  redis = createTestRedisPrefix();
  const tenant = await createTestTenant(database.db, { name: "Bench Org", creditNano: 10n ** 18n });
  log(`database ${database.name}, Redis prefix ${redis.prefix}`);

  const { targets, paced } = await startTargets(tenant);
  const byName = Object.fromEntries(targets.map((target) => [target.name, target])) as Record<
    TargetName,
    Target
  >;
  for (const target of targets) log(`${target.name.padEnd(8)} ${target.url} (pid ${target.child.pid})`);
  for (const target of paced) log(`${target.name.padEnd(8)} ${target.url} (pid ${target.child.pid}, paced)`);
  await sanityCheck([...targets, ...paced]);
  log("sanity check passed (JSON and streamed answers with usage through every target)");
  if (options.serve) {
    log(`serving until Ctrl-C; gateway key ${tenant.apiKey}`);
    await new Promise(() => undefined);
  }

  log("warming up (2 s per target and mode at 16 connections)");
  for (const mode of ["json", "stream"] as Mode[]) {
    for (const target of targets) await autocannon(target, mode, 16, 2);
  }
  await markIngested();
  const memoryStart = memoryMiB(byName.gateway.child.pid);
  // Background work (timers, flushes, health) costs CPU whether requests come or not.
  const idleBefore = cpuMs(byName.gateway.child.pid);
  await sleep(3000);
  const gatewayIdleCpuMsPerS = (cpuMs(byName.gateway.child.pid) - idleBefore) / 3;
  log(`gateway idle: ${fmt(gatewayIdleCpuMsPerS, 1)} ms of CPU per second`);

  const results: Record<string, unknown> = {
    startedAt: new Date(started).toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      node: process.version,
      loadAverageAtStart: load1,
    },
    revision: revision(),
    options: {
      rounds,
      durationS,
      ttfbDurationS,
      concurrencies,
      paceMs: PACE_MS,
      pacedConcurrencies,
      pacedDurationS,
      pacedWarmupS: PACED_WARMUP_S,
      longPromptChars,
      soakS: soakS ?? null,
      profile: options.profile,
    },
    notes: [
      "the usage worker is not running: generation rows are written by the gateway, usage jobs pile up in Redis",
      "while the gateway is loaded the bench marks generations ingested every second, as a worker that keeps up would",
      "CPU is the server process's own utime+stime; Postgres and Redis CPU are not included",
      "load generators run on the same machine and compete for its cores",
    ],
  };

  if (soakS !== undefined) {
    results.soak = await soak(byName.gateway, soakS);
  } else if (options.syscalls) {
    results.syscalls = await syscalls([byName.bare, byName.gateway]);
  } else {
    const load: LoadCell[] = [];
    const precise: PreciseCell[] = [];
    const pacedCells: PreciseCell[] = [];
    const longCells: LongPromptCell[] = [];
    // The precise client only measures what the deltas need: the bare proxy and the gateway.
    const compared = targets.filter((target) => target.name !== "upstream");
    log(
      `${rounds} rounds, each: autocannon ${2 * concurrencies.length * targets.length} cells of ${durationS} s, ` +
        `precise client ${2 * concurrencies.length * compared.length} cells of ${ttfbDurationS} s, ` +
        `paced streams ${pacedConcurrencies.length * paced.length} cells of ${pacedDurationS} s, each after an ` +
        `unmeasured ${PACED_WARMUP_S} s warm-up (the first token at once, then one event every ${PACE_MS} ms); ` +
        "targets side by side per cell",
    );
    const cellLog = (
      round: number,
      name: string,
      mode: string,
      concurrency: number,
      rps: number,
      rest: string,
    ) =>
      log(
        `  r${round} ${name.padEnd(8)} ${mode.padEnd(6)} c=${String(concurrency).padEnd(3)} ${fmt(rps, 0).padStart(6)} req/s  ${rest}`,
      );
    const preciseText = (cell: PreciseCell) =>
      `TTFB p50 ${fmt(cell.ttfbMs.p50, 3)} p99 ${fmt(cell.ttfbMs.p99, 3)}  total p50 ${fmt(cell.totalMs.p50, 3)} p99 ${fmt(cell.totalMs.p99, 3)} ms` +
      (cell.errors || cell.bad ? `  (${cell.errors} errors, ${cell.bad} bad)` : "");
    for (let round = 1; round <= rounds; round++) {
      for (const mode of ["json", "stream"] as Mode[]) {
        for (const concurrency of concurrencies) {
          for (const target of targets) {
            const cell = await loadCell(target, mode, concurrency, round);
            load.push(cell);
            cellLog(
              round,
              target.name,
              mode,
              concurrency,
              cell.rps,
              `p50 ${cell.p50Ms} ms  p99 ${cell.p99Ms} ms  CPU ${fmt(cell.cpuMsPer1k, 1)} ms/1k (${fmt(cell.systemShare * 100, 0)}% system)` +
                (cell.errors || cell.non2xx ? `  (${cell.errors} errors, ${cell.non2xx} non-2xx)` : ""),
            );
            await sleep(100);
          }
        }
      }
      for (const mode of ["json", "stream"] as Mode[]) {
        for (const concurrency of concurrencies) {
          for (const target of compared) {
            const cell = await preciseCell(target, mode, concurrency, round);
            precise.push(cell);
            cellLog(round, target.name, mode, concurrency, cell.rps, preciseText(cell));
            await sleep(100);
          }
        }
      }
      for (const concurrency of pacedConcurrencies) {
        for (const target of paced) {
          // Both paced processes sat idle through the other cells: each gets the same warm-up, not measured.
          await preciseCell(target, "stream", concurrency, round, PACED_WARMUP_S, PACE_MS * PACED_INTERVALS);
          // Stream starts spread over one stream's length: clients that do not all begin at the same instant.
          const cell = await preciseCell(
            target,
            "stream",
            concurrency,
            round,
            pacedDurationS,
            PACE_MS * PACED_INTERVALS,
          );
          pacedCells.push(cell);
          cellLog(
            round,
            target.name,
            "paced",
            concurrency,
            cell.rps,
            `${preciseText(cell)}  CPU ${fmt(cell.cpuMsPer1k, 1)} ms/1k`,
          );
          await sleep(100);
        }
      }
      // One stream at a time with a long system prompt: the same one every request (as agents resend theirs) or a
      // new one every request. What the gateway does per prompt byte (parse, validate, count tokens, forward) shows here.
      for (const prompt of longPromptChars > 0 ? (["repeated", "new"] as const) : []) {
        for (const target of compared) {
          const args = [
            "--system-chars",
            String(longPromptChars),
            ...(prompt === "new" ? ["--new-prompt"] : []),
          ];
          const cell = { ...(await preciseCell(target, "stream", 1, round, ttfbDurationS, 0, args)), prompt };
          longCells.push(cell);
          cellLog(round, target.name, `long:${prompt}`, 1, cell.rps, preciseText(cell));
          await sleep(100);
        }
      }
    }
    const memoryEnd = memoryMiB(byName.gateway.child.pid);
    const deltaRows = deltas(load, precise);
    const pacedRows = pacedDeltas(pacedCells);
    const longRows = longPromptDeltas(longCells);
    const goalRows = goals(deltaRows, pacedRows);
    goalRows.push({
      goal: "RSS flat over a 5-minute run",
      measured: `not part of the default run (pnpm bench --soak 300); this run: RSS ${fmt(memoryStart.rss, 1)} → ${fmt(memoryEnd.rss, 1)} MiB, peak ${fmt(memoryEnd.peak, 1)} MiB`,
      met: null,
    });

    console.log("\nThroughput, latency (autocannon, 1 ms resolution) and server CPU per 1,000 requests");
    console.log(
      table(
        ["target", "mode", "conc", "round", "req/s", "p50 ms", "p99 ms", "CPU ms/1k req", "errors"],
        load.map((cell) => [
          cell.target,
          cell.mode,
          String(cell.concurrency),
          String(cell.round),
          fmt(cell.rps, 0),
          String(cell.p50Ms),
          String(cell.p99Ms),
          fmt(cell.cpuMsPer1k, 1),
          String(cell.errors + cell.non2xx),
        ]),
      ),
    );
    // The precise client's columns, shared by its table and the paced streams' table.
    const preciseColumns = ["round", "req/s", "TTFB p50", "TTFB p99", "total p50", "total p99"];
    const preciseCells = (cell: PreciseCell) => [
      String(cell.round),
      fmt(cell.rps, 0),
      fmt(cell.ttfbMs.p50, 3),
      fmt(cell.ttfbMs.p99, 3),
      fmt(cell.totalMs.p50, 3),
      fmt(cell.totalMs.p99, 3),
    ];
    console.log("\nLatency and time to first byte (bench/ttfb.ts, undici client, sub-ms timing)");
    console.log(
      table(
        ["target", "mode", "conc", ...preciseColumns, "errors"],
        precise.map((cell) => [
          cell.target,
          cell.mode,
          String(cell.concurrency),
          ...preciseCells(cell),
          String(cell.errors + cell.bad),
        ]),
      ),
    );
    console.log(
      `\nPaced streams: one event every ${PACE_MS} ms, as a model generates (bench/ttfb.ts; the gateway's ` +
        "CPU per request includes every event's usage extraction)",
    );
    console.log(
      table(
        ["target", "conc", "", ...preciseColumns, "CPU ms/1k", "errors"],
        pacedCells.map((cell) => [
          cell.target,
          String(cell.concurrency),
          "",
          ...preciseCells(cell),
          fmt(cell.cpuMsPer1k, 1),
          String(cell.errors + cell.bad),
        ]),
      ),
    );
    console.log(
      `\nGateway minus bare proxy (ms; CPU as gateway ÷ bare per request; medians over ${rounds} rounds, ` +
        "each round's gateway and bare proxy measured side by side; range: the CPU ratio's lowest and highest round)",
    );
    console.log(
      table(
        ["mode", "conc", "", ...DELTA_COLUMNS],
        deltaRows.map((row) => [row.mode, String(row.concurrency), "", ...deltaCells(row)]),
      ),
    );
    console.log(`\nPaced streams, gateway minus bare proxy (the same, medians over ${rounds} rounds)`);
    console.log(
      table(
        ["conc", "", "", ...DELTA_COLUMNS],
        pacedRows.map((row) => [String(row.concurrency), "", "", ...deltaCells(row)]),
      ),
    );
    if (longRows.length) {
      console.log(
        `\nLong prompts (a ${longPromptChars.toLocaleString("en")}-character system prompt), one stream at a time, ` +
          `gateway minus bare proxy (ms; medians over ${rounds} rounds)`,
      );
      console.log(
        table(
          ["prompt", "", "", ...DELTA_COLUMNS.slice(0, 4)],
          longRows.map((row) => [
            row.prompt === "new" ? "new every request" : "the same every request",
            "",
            "",
            ...deltaCells(row).slice(0, 4),
          ]),
        ),
      );
    }
    console.log("\nGoals (2-core machine)");
    for (const goal of goalRows)
      console.log(`  ${verdict(goal.met).padEnd(6)} ${goal.goal}\n         ${goal.measured}`);
    console.log(
      `\nGateway memory: RSS ${fmt(memoryEnd.rss, 1)} MiB now, peak (VmHWM) ${fmt(memoryEnd.peak, 1)} MiB.` +
        "\nNotes: the usage worker is not running (the gateway still writes every generation row and enqueues its usage job);" +
        "\nthe bench marks generations ingested every second, as a worker that keeps up would. CPU is the server process only" +
        "\n(Postgres/Redis excluded); load generators share the machine's cores.",
    );
    Object.assign(results, {
      load,
      precise,
      paced: { paceMs: PACE_MS, cells: pacedCells, deltas: pacedRows },
      longPrompts: { chars: longPromptChars, cells: longCells, deltas: longRows },
      deltas: deltaRows,
      goals: goalRows,
      gatewayMemoryMiB: { start: memoryStart, end: memoryEnd },
    });
  }

  const generations = await database.db.generation.count();
  log(`gateway recorded ${generations} generation rows`);
  const gatewayErrors = byName.gateway.child.output.filter((line) => line.startsWith("[stderr]"));
  if (gatewayErrors.length)
    log(
      `gateway stderr (last ${Math.min(10, gatewayErrors.length)} lines):\n${gatewayErrors.slice(-10).join("\n")}`,
    );
  Object.assign(results, {
    generations,
    finishedAt: new Date().toISOString(),
    loadAverageAtEnd: loadavg()[0],
  });
  log(`load average ${fmt(load1)} at start, ${fmt(loadavg()[0] ?? 0)} at end`);
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, soakS === undefined ? "latest.json" : "soak.json");
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${file} (${Math.round((Date.now() - started) / 1000)} s)`);
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (error) {
  // After Ctrl-C the load generators die with the terminal's SIGINT too: the signal handler owns the exit.
  if (stopping) await new Promise(() => undefined);
  console.error(error);
  await abort("failed", 1);
}
