import { hash } from "node:crypto";
import {
  type CostBreakdown,
  computeCost,
  type EndpointPrices,
  type JunctionError,
  newId,
  type Receipt,
  tokenPricesFor,
} from "@junction/core";
import {
  type ChatRequest,
  countCompletionTokens,
  countTextTokens,
  type FinishReason,
  type Usage,
} from "@junction/providers";
import type { CatalogEndpoint } from "@junction/routing/catalog";
import { byokFee, type RoutePolicy } from "@junction/routing/router";
import type { KeyPrincipal } from "./auth.js";
import type { CreditGuard, Reservation } from "./credits.js";
import type { GenerationWriter, UnsignedGeneration } from "./generation-writer.js";
import type { RateLease, RateLimiter } from "./limits.js";

export type Attempt = {
  endpoint: string;
  provider: string;
  status: "success" | "error";
  errorClass?: string;
  latencyMs: number;
};

export type GenerationContext = {
  writer: GenerationWriter;
  credits: CreditGuard;
  limiter: RateLimiter;
  byokFeeBps: number;
  priceTableVersion: number;
  log: (message: string, error?: unknown) => void;
  /** Called once per settled generation (metrics). */
  observe: (tracker: GenerationTracker, settled: SettledGeneration) => void;
};

export type SettledGeneration = {
  id: string;
  status: "success" | "error" | "aborted";
  httpStatus: number;
  usage: Usage;
  estimated: boolean;
  /** What Junction bills (for BYOK: the fee; `upstreamCost` is what the provider bills the customer). */
  cost: CostBreakdown;
  upstreamCost: bigint;
  isByok: boolean;
  endpoint: CatalogEndpoint | undefined;
};

/** The API a generation came in through (the Generation row's `route`). */
export type GenerationRoute = "chat" | "messages" | "responses" | "embeddings";
/**
 * Follows one API request from plan to record: attempts, timing, the text produced (to count tokens when a
 * provider reports none), and finally the exact cost and a durable generation row plus a usage job. Every path —
 * success, error, client abort — ends in `settle`, exactly once.
 */
export class GenerationTracker {
  readonly id: string;
  readonly startedAt = Date.now();
  readonly attempts: Attempt[] = [];
  endpoint: CatalogEndpoint | undefined;
  firstTokenAt: number | undefined;
  upstreamStartedAt: number | undefined;
  /** Served with the organization's own provider key: the provider bills them; Junction bills its fee. */
  isByok = false;
  /** An embeddings response's `data`, as JSON: what its receipt's response hash covers (it has no chat text). */
  embeddingsJson: string | undefined;
  /** How many vectors it carried: what an opted-in request log keeps of it (not the vectors). */
  embeddingsCount = 0;
  private text = "";
  /** Reasoning produced (thinking): billed as output when a provider reports no usage, as on an abort mid-thought. */
  private reasoning = "";
  private readonly toolCalls = new Map<number, { name: string; arguments: string }>();
  private settled: SettledGeneration | undefined;

  constructor(
    private readonly context: GenerationContext,
    readonly principal: KeyPrincipal,
    readonly request: ChatRequest,
    readonly meta: {
      apiFormat: "openai" | "anthropic";
      route: GenerationRoute;
      stream: boolean;
      /** The request body exactly as the client sent it: its SHA-256 goes in the receipt, which the client can check. */
      body: Buffer;
      /** The prompt's tokens as routing counted them (also the prompt side of an estimate when a provider reports none). */
      promptTokens: number;
    },
    private readonly reservation: Reservation | undefined,
    readonly policy: RoutePolicy | undefined = undefined,
    id: string = newId("generation"),
    readonly rateLease: RateLease | undefined = undefined,
  ) {
    this.id = id;
  }

  recordAttempt(
    endpoint: CatalogEndpoint,
    status: Attempt["status"],
    startedAt: number,
    errorClass?: string,
    isByok = false,
  ): void {
    // Keys in sorted order, as in the receipt that lists the attempts.
    this.attempts.push({
      endpoint: endpoint.id,
      ...(errorClass && { errorClass }),
      latencyMs: Date.now() - startedAt,
      provider: endpoint.providerId,
      status,
    });
    if (status === "success") {
      this.isByok = isByok;
      this.endpoint = endpoint;
      this.upstreamStartedAt = startedAt;
    }
  }

  /** Accumulates streamed output, so usage can be counted if the provider never reports it. */
  observe(
    content: string | undefined,
    toolCalls?: { index: number; function?: { name?: string; arguments?: string } }[],
    reasoning?: string,
  ): void {
    if (this.firstTokenAt === undefined) this.firstTokenAt = Date.now();
    if (content) this.text += content;
    if (reasoning) this.reasoning += reasoning;
    for (const call of toolCalls ?? []) {
      const entry = this.toolCalls.get(call.index) ?? { name: "", arguments: "" };
      entry.name += call.function?.name ?? "";
      entry.arguments += call.function?.arguments ?? "";
      this.toolCalls.set(call.index, entry);
    }
  }

  settle(outcome: {
    status: "success" | "error" | "aborted";
    usage: Usage | undefined;
    finishReason?: FinishReason;
    error?: JunctionError;
  }): SettledGeneration {
    this.settled ??= this.write(outcome);
    return this.settled;
  }

  /**
   * The provenance record of this request (signed and stored with it; see packages/core/src/receipts.ts). Every
   * object is built with its keys in sorted order, so its canonical JSON is plain `JSON.stringify`.
   */
  private receipt(
    status: string,
    usage: Usage,
    estimated: boolean,
    cost: CostBreakdown,
    upstreamTotal: bigint,
    now: number,
    bodies: { requestHash: string; responseHash: string },
  ): Receipt {
    const endpoint = this.endpoint;
    return {
      apiFormat: this.meta.apiFormat,
      apiKeyId: this.principal.keyId,
      attempts: this.attempts,
      bodies: { requestSha256: bodies.requestHash, responseSha256: bodies.responseHash },
      ...(this.isByok && {
        byok: { feeBps: this.context.byokFeeBps, upstreamTotalNanoUsd: upstreamTotal.toString() },
      }),
      completedAt: new Date(now).toISOString(),
      cost: {
        cacheWriteNanoUsd: cost.cacheWriteCost.toString(),
        cachedInputNanoUsd: cost.cachedInputCost.toString(),
        inputNanoUsd: cost.inputCost.toString(),
        outputNanoUsd: cost.outputCost.toString(),
        requestNanoUsd: cost.requestCost.toString(),
        rounding: "half-up, once, to whole nano-USD",
        totalNanoUsd: cost.total.toString(),
      },
      endpoint: endpoint?.id ?? null,
      generationId: this.id,
      organizationId: this.principal.organizationId,
      policy: this.policy ? { id: this.policy.id, versionHash: this.policy.versionHash } : null,
      priceTableVersion: this.context.priceTableVersion,
      prices: endpoint ? this.receiptPrices(usage.promptTokens, endpoint.prices) : null,
      provider: endpoint?.providerId ?? null,
      requestedModel: this.request.model,
      servedModel: endpoint?.modelId ?? null,
      startedAt: new Date(this.startedAt).toISOString(),
      status,
      stream: this.meta.stream,
      usage: {
        cacheWrite1hTokens: usage.cacheWrite1hTokens ?? 0,
        cacheWriteTokens: usage.cacheWriteTokens,
        cachedTokens: usage.cachedTokens,
        completionTokens: usage.completionTokens,
        estimated,
        promptTokens: usage.promptTokens,
      },
      version: 1,
    };
  }

  /** The prices charged, in the receipt's sorted key order: the long-context tier's above its threshold. */
  private receiptPrices(promptTokens: number, prices: EndpointPrices): Record<string, string | null> {
    const price = (value: bigint | null | undefined) =>
      value === null || value === undefined ? null : value.toString();
    const tier = tokenPricesFor(promptTokens, prices);
    const long = tier === prices ? undefined : prices.longContext?.above;
    // Every key on every receipt (null when it does not apply): one shape for readers, and a plain literal.
    return {
      cacheWrite1hPerMillionNanoUsd: price(tier.cacheWrite1h),
      cacheWritePerMillionNanoUsd: price(tier.cacheWrite),
      cachedInputPerMillionNanoUsd: price(tier.cachedInput),
      inputPerMillionNanoUsd: price(tier.input),
      longContextAbovePromptTokens: long === undefined ? null : String(long),
      outputPerMillionNanoUsd: price(tier.output),
      requestNanoUsd: price(prices.request),
    };
  }

  /**
   * Receipts and rows keep only SHA-256 hashes of the bodies (the request's as received, so a client can compare it
   * with a hash of what it sent); the bodies themselves only on opt-in.
   */
  private bodies(): { requestHash: string; responseHash: string; responseText: string } {
    const requestHash = hash("sha256", this.meta.body);
    if (this.embeddingsJson !== undefined) {
      const responseText = `[${this.embeddingsCount} embeddings]`;
      return { requestHash, responseHash: hash("sha256", this.embeddingsJson), responseText };
    }
    const responseText = this.toolCalls.size
      ? `${this.text}${JSON.stringify([...this.toolCalls.values()])}`
      : this.text;
    return { requestHash, responseHash: hash("sha256", responseText), responseText };
  }

  private estimateUsage(): Usage {
    const reasoningTokens = this.reasoning ? countTextTokens(this.reasoning) : 0;
    return {
      promptTokens: this.meta.promptTokens,
      completionTokens: countCompletionTokens(this.text, [...this.toolCalls.values()]) + reasoningTokens,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens,
    };
  }

  /**
   * The usage a provider reported, or — when it reported no prompt or no output for a request that had them (hosts
   * that send zeros; Ollama leaves out a prompt it had cached) — a copy with the counted figure on that side, so a
   * served answer is never billed as free. A stream that failed midway reported its output only as far as its last
   * running count: the larger of that and the count is billed. The same object when the report stands as it is.
   */
  private withCountedGaps(reported: Usage, failed: boolean): Usage {
    const noPrompt = reported.promptTokens === 0 && this.meta.promptTokens > 0;
    const produced = this.text !== "" || this.reasoning !== "" || this.toolCalls.size > 0;
    if (!noPrompt && !(produced && (failed || reported.completionTokens === 0))) return reported;
    const counted = this.estimateUsage();
    const moreOutput = produced && counted.completionTokens > reported.completionTokens;
    if (!noPrompt && !moreOutput) return reported;
    return {
      ...reported,
      ...(noPrompt && { promptTokens: counted.promptTokens }),
      ...(moreOutput && {
        completionTokens: counted.completionTokens,
        reasoningTokens: Math.max(reported.reasoningTokens, counted.reasoningTokens),
      }),
    };
  }

  /**
   * Prices the request and records it. The response does not wait for Postgres: the row is handed to the batch
   * writer, the rate-limit lease is released at once, and the credit reservation is settled after the row is durable
   * (a counter rebuilt from Postgres must never miss a cost). Until then the reservation holds the cost, never less;
   * the rest of its worst case is released at once.
   */
  private write(outcome: Parameters<GenerationTracker["settle"]>[0]): SettledGeneration {
    const { writer, credits, priceTableVersion, log } = this.context;
    const endpoint = this.endpoint;
    // No endpoint answered → nothing was generated and nothing is billed.
    const reported = outcome.usage;
    const usage =
      endpoint === undefined
        ? zeroUsage()
        : reported === undefined
          ? this.estimateUsage()
          : this.withCountedGaps(reported, outcome.status !== "success");
    const estimated = endpoint !== undefined && usage !== reported;
    const upstream = endpoint
      ? computeCost(usage, endpoint.prices)
      : computeCost(usage, { input: 0n, output: 0n });
    const cost = this.isByok
      ? { ...upstream, total: byokFee(upstream.total, this.context.byokFeeBps) }
      : upstream;
    const now = Date.now();
    const { requestHash, responseHash, responseText } = this.bodies();
    const receipt = this.receipt(outcome.status, usage, estimated, cost, upstream.total, now, {
      requestHash,
      responseHash,
    });
    const row: UnsignedGeneration = {
      id: this.id,
      organizationId: this.principal.organizationId,
      apiKeyId: this.principal.keyId,
      requestedModel: this.request.model,
      servedModel: endpoint?.modelId ?? null,
      providerId: endpoint?.providerId ?? null,
      endpointId: endpoint?.id ?? null,
      apiFormat: this.meta.apiFormat,
      route: this.meta.route,
      stream: this.meta.stream,
      status: outcome.status,
      finishReason: outcome.finishReason ?? null,
      errorCode: outcome.error?.code ?? null,
      errorMessage: outcome.error?.message.slice(0, 1000) ?? null,
      httpStatus: outcome.error?.status ?? 200,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      cachedTokens: usage.cachedTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      cacheWrite1hTokens: usage.cacheWrite1hTokens ?? 0,
      reasoningTokens: usage.reasoningTokens,
      usageEstimated: estimated,
      cost: cost.total,
      isByok: this.isByok,
      requestHash,
      responseHash,
      attempts: this.attempts,
      latencyMs: now - this.startedAt,
      timeToFirstTokenMs: this.firstTokenAt === undefined ? null : this.firstTokenAt - this.startedAt,
      upstreamLatencyMs: this.upstreamStartedAt === undefined ? null : now - this.upstreamStartedAt,
      policyId: this.policy?.id ?? null,
      policyVersionHash: this.policy?.versionHash ?? null,
      priceTableVersion,
      receipt,
      createdAt: new Date(this.startedAt),
      completedAt: new Date(now),
    };
    // Opted in: keep the bodies for the organization's retention period (the worker purges them after).
    const body = this.principal.org.promptLogging
      ? {
          generationId: this.id,
          organizationId: this.principal.organizationId,
          request: JSON.parse(JSON.stringify(this.request)),
          response: responseText,
          expiresAt: new Date(now + this.principal.org.retentionDays * 86_400_000),
        }
      : undefined;
    writer.track(
      this.context.limiter
        .release(this.rateLease, usage.promptTokens + usage.completionTokens)
        .catch((error) => log(`rate limit release failed for ${this.id}`, error)),
    );
    const reservation = this.reservation;
    const released = reservation && credits.releaseUnused(reservation, cost.total);
    if (released) writer.track(released.catch((error) => log(`credit release failed for ${this.id}`, error)));
    writer.track(
      writer
        .write(row, body)
        .catch((error) => log(`failed to record generation ${this.id}`, error))
        .then(() => reservation && credits.settle(reservation, cost.total))
        .catch((error) => log(`credit settle failed for ${this.id}`, error)),
    );
    const settled = {
      id: this.id,
      status: outcome.status,
      httpStatus: outcome.error?.status ?? 200,
      usage,
      estimated,
      cost,
      upstreamCost: upstream.total,
      isByok: this.isByok,
      endpoint,
    };
    this.context.observe(this, settled);
    return settled;
  }
}

const zeroUsage = (): Usage => ({
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});
