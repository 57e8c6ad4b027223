import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { benchRequestBody, longSystemPrompt, percentile } from "./lib.js";
import { undici } from "./undici.js";

/**
 * A small closed-loop load client with sub-millisecond timing (autocannon's latency histogram has 1 ms resolution).
 * `concurrency` workers each send POST /v1/chat/completions back to back for `duration` seconds and record, per
 * request, the time from sending to the first response-body byte (TTFB) and to the last byte (total).
 *
 * With `--system-chars N` the system prompt is N characters long; `--new-prompt` makes it differ on every request
 * (a new first line), as when no client has sent it before.
 *
 * Usage: node --import tsx bench/ttfb.ts --url http://127.0.0.1:4000 --key <api key> [--stream]
 *          [--concurrency 16] [--duration 3] [--stagger-ms 0] [--system-chars 0] [--new-prompt] [--json]
 */

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    key: { type: "string", default: "bench" },
    stream: { type: "boolean", default: false },
    concurrency: { type: "string", default: "1" },
    duration: { type: "string", default: "3" },
    json: { type: "boolean", default: false },
    "stagger-ms": { type: "string", default: "0" },
    "system-chars": { type: "string", default: "0" },
    "new-prompt": { type: "boolean", default: false },
  },
});
if (!values.url) {
  console.error("ttfb.ts: --url is required");
  process.exit(2);
}
const origin = values.url.replace(/\/$/, "");
const concurrency = Number(values.concurrency);
const durationMs = Number(values.duration) * 1000;
const staggerMs = Number(values["stagger-ms"]);
const stream = values.stream;
const systemChars = Number(values["system-chars"]);
const system = systemChars > 0 ? longSystemPrompt(systemChars) : undefined;
const sameBody = benchRequestBody(stream, system);
// A new prompt starts with a line no earlier run sent (each run of this client gets its own nonce).
const nonce = randomUUID();
let sent = 0;
const nextBody = () =>
  values["new-prompt"] ? benchRequestBody(stream, `Request ${nonce} ${++sent}.\n${system ?? ""}`) : sameBody;
const headers = { "content-type": "application/json", authorization: `Bearer ${values.key}` };
const agent = new undici.Agent({ connections: concurrency, keepAliveTimeout: 30_000 });

const ttfb: number[] = [];
const total: number[] = [];
let errors = 0;
let bad = 0;

function once(record: boolean): Promise<void> {
  const body = nextBody();
  const started = performance.now();
  return undici
    .request(`${origin}/v1/chat/completions`, { method: "POST", headers, body, dispatcher: agent })
    .then(
      (response) =>
        new Promise<void>((resolve) => {
          let first = 0;
          let last: Buffer | undefined;
          response.body.on("data", (data: Buffer) => {
            if (first === 0) first = performance.now();
            last = data;
          });
          response.body.on("error", () => {
            errors++;
            resolve();
          });
          response.body.on("end", () => {
            const ended = performance.now();
            const tail = last?.toString("latin1") ?? "";
            const ok = response.statusCode === 200 && (!stream || tail.endsWith("data: [DONE]\n\n"));
            if (!ok) bad++;
            else if (record) {
              ttfb.push((first || ended) - started);
              total.push(ended - started);
            }
            resolve();
          });
        }),
      () => {
        errors++;
      },
    );
}

async function worker(index: number, deadline: number): Promise<void> {
  await once(false);
  await sleep((index / concurrency) * staggerMs);
  while (performance.now() < deadline) await once(true);
}

const startedAt = performance.now();
const deadline = startedAt + durationMs;
await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index, deadline)));
const elapsedS = (performance.now() - startedAt) / 1000;
await agent.close();

const summary = (samples: number[]) => {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sorted.reduce((sum, value) => sum + value, 0) / sorted.length : Number.NaN,
  };
};
const result = {
  url: origin,
  stream,
  concurrency,
  requests: total.length,
  errors,
  bad,
  elapsedS,
  rps: total.length / elapsedS,
  ttfbMs: summary(ttfb),
  totalMs: summary(total),
};
if (values.json) console.log(JSON.stringify(result));
else {
  const f = (value: number) => value.toFixed(3);
  console.log(
    `${origin} ${stream ? "stream" : "json"} c=${concurrency}: ${result.requests} ok, ${errors} errors, ${bad} bad, ` +
      `${result.rps.toFixed(0)} req/s; TTFB p50 ${f(result.ttfbMs.p50)} ms p99 ${f(result.ttfbMs.p99)} ms; ` +
      `total p50 ${f(result.totalMs.p50)} ms p99 ${f(result.totalMs.p99)} ms`,
  );
}
