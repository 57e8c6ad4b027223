import type { Usage } from "@junction/providers";
import { Counter, collectDefaultMetrics, type Metric, Registry } from "prom-client";
import { CUSTOM_PROVIDER } from "./custom-endpoints.js";
import type { GenerationTracker, SettledGeneration } from "./generation.js";

/**
 * A histogram with one label, in prom-client's registry and exposition format. prom-client's own `observe` costs
 * more per request than the rest of the metrics together (it turns each float bucket bound into a property key on
 * every call); this one counts into an array per label value.
 */
class OneLabelHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly buckets: number[],
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  observe(labelValue: string, value: number): void {
    let series = this.series.get(labelValue);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(labelValue, series);
    }
    const bucket = this.buckets.findIndex((bound) => value <= bound);
    if (bucket >= 0) series.counts[bucket] = (series.counts[bucket] ?? 0) + 1;
    series.sum += value;
    series.count++;
  }

  /** What prom-client's registry asks every metric for when it is scraped (labels in its order: le first). */
  get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const [labelValue, series] of this.series) {
      const labels = { [this.labelName]: labelValue };
      let cumulative = 0;
      this.buckets.forEach((le, index) => {
        cumulative += series.counts[index] ?? 0;
        values.push({ labels: { le, ...labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({
        labels: { le: "+Inf", ...labels },
        value: series.count,
        metricName: `${this.name}_bucket`,
      });
      values.push({ labels, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}

/**
 * The model label of a served endpoint. Organizations name their custom endpoints and models (`custom/<name>/<model>`):
 * as labels those would publish tenants' names on the unauthenticated /metrics and let them add series without
 * bound, so all of them count as one `custom` model. Catalog and operator-configured (`local/`) models stay apart.
 */
export const modelLabel = (endpoint: { modelId: string; providerId: string }): string =>
  endpoint.providerId === CUSTOM_PROVIDER ? CUSTOM_PROVIDER : endpoint.modelId;

/** Token and cost totals of one endpoint since the last scrape. */
type UsageTotals = {
  labels: { model: string; provider: string };
  prompt: number;
  completion: number;
  cached: number;
  cost: number;
};

/** Prometheus metrics, one registry per gateway instance (GET /metrics). */
export function createMetrics() {
  const registry = new Registry();
  // The process's own health: CPU, memory, heap, GC pauses and event-loop delay (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });
  const seconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
  // Tokens and cost are summed per endpoint in plain numbers and handed to their counters when scraped: four
  // labelled increments per request cost more than a request's whole usage extraction.
  const usage = new Map<string, UsageTotals>();
  const flushUsage = () => {
    for (const totals of usage.values()) {
      const { labels } = totals;
      tokens.inc({ kind: "prompt", ...labels }, totals.prompt);
      tokens.inc({ kind: "completion", ...labels }, totals.completion);
      if (totals.cached) tokens.inc({ kind: "cached", ...labels }, totals.cached);
      cost.inc(labels, totals.cost);
      totals.prompt = totals.completion = totals.cached = totals.cost = 0;
    }
  };
  const tokens = new Counter({
    name: "junction_tokens_total",
    help: "Tokens by kind (prompt, completion, cached)",
    labelNames: ["kind", "model", "provider"] as const,
    registers: [registry],
    collect: flushUsage,
  });
  const cost = new Counter({
    name: "junction_cost_nano_usd_total",
    help: "Cost billed, in nano-USD",
    labelNames: ["model", "provider"] as const,
    registers: [registry],
    collect: flushUsage,
  });
  return {
    registry,
    requests: new Counter({
      name: "junction_requests_total",
      help: "API requests by route, HTTP status, served model and provider",
      labelNames: ["route", "status", "model", "provider"] as const,
      registers: [registry],
    }),
    overhead: new OneLabelHistogram(
      registry,
      "junction_gateway_overhead_seconds",
      "Time spent in the gateway before the upstream call (parse, auth, plan, reserve)",
      "route",
      seconds,
    ),
    upstreamLatency: new OneLabelHistogram(
      registry,
      "junction_upstream_latency_seconds",
      "Upstream time from request to last byte",
      "provider",
      seconds,
    ),
    timeToFirstToken: new OneLabelHistogram(
      registry,
      "junction_time_to_first_token_seconds",
      "Time from request to the first streamed token",
      "provider",
      seconds,
    ),
    /** Adds a settled request's tokens and cost to its endpoint's totals. */
    addUsage(
      endpoint: { id: string; modelId: string; providerId: string },
      used: Usage,
      costNanoUsd: bigint,
    ) {
      const key = endpoint.providerId === CUSTOM_PROVIDER ? CUSTOM_PROVIDER : endpoint.id;
      let totals = usage.get(key);
      if (!totals) {
        totals = {
          labels: { model: modelLabel(endpoint), provider: endpoint.providerId },
          prompt: 0,
          completion: 0,
          cached: 0,
          cost: 0,
        };
        usage.set(key, totals);
      }
      totals.prompt += used.promptTokens;
      totals.completion += used.completionTokens;
      totals.cached += used.cachedTokens;
      totals.cost += Number(costNanoUsd);
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;

export function observeGeneration(
  metrics: GatewayMetrics,
  tracker: GenerationTracker,
  settled: SettledGeneration,
): void {
  const endpoint = settled.endpoint;
  if (!endpoint) return;
  metrics.addUsage(endpoint, settled.usage, settled.cost.total);
  if (tracker.upstreamStartedAt !== undefined) {
    metrics.overhead.observe(tracker.meta.route, (tracker.upstreamStartedAt - tracker.startedAt) / 1000);
    metrics.upstreamLatency.observe(endpoint.providerId, (Date.now() - tracker.upstreamStartedAt) / 1000);
  }
  if (tracker.firstTokenAt !== undefined && tracker.meta.stream) {
    metrics.timeToFirstToken.observe(endpoint.providerId, (tracker.firstTokenAt - tracker.startedAt) / 1000);
  }
}

/** Which endpoint served a response, looked up when the request counter is incremented at the response's end. */
export const servedEndpoint = new WeakMap<
  object,
  () => { modelId: string; providerId: string } | undefined
>();
