/**
 * An upstream failure, classified so the gateway knows whether another endpoint could help (`retryable`) and what
 * to tell the client. `message` never contains the upstream key.
 */
export type ProviderErrorKind = "connect" | "timeout" | "http" | "protocol" | "aborted";

export class ProviderError extends Error {
  override name = "ProviderError";
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly providerId: string;
  readonly timeoutPhase: "connect" | "first_byte" | "idle" | "total" | undefined;

  constructor(
    providerId: string,
    kind: ProviderErrorKind,
    message: string,
    options: {
      status?: number;
      retryAfterSeconds?: number;
      timeoutPhase?: ProviderError["timeoutPhase"];
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.providerId = providerId;
    this.kind = kind;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.timeoutPhase = options.timeoutPhase;
    this.retryable =
      kind === "connect" ||
      kind === "timeout" ||
      (kind === "http" && options.status !== undefined && (options.status === 429 || options.status >= 500));
  }

  /** A short class for receipts and metrics: "http_429", "timeout_first_byte", "connect". */
  get errorClass(): string {
    if (this.kind === "http") return `http_${this.status}`;
    if (this.kind === "timeout") return `timeout_${this.timeoutPhase ?? "total"}`;
    return this.kind;
  }
}

/** Parses Retry-After (seconds or HTTP date) into whole seconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
