import { REDACTED, scrubSecrets } from "@junction/core";
import type { Usage } from "./types.js";

/**
 * An upstream failure, classified so the gateway knows whether another endpoint could help (`retryable`) and what
 * to tell the client. `message` never contains the upstream key.
 */
export type ProviderErrorKind = "connect" | "timeout" | "http" | "protocol" | "aborted" | "credential";

/**
 * Statuses that say this endpoint cannot answer now, not that the request is wrong: another endpoint may. 401/403
 * refuse the credential Junction holds for the provider (the client's own key was already accepted), 404 the model,
 * 408 and 429 are the provider's timing, 5xx its failure.
 */
const ENDPOINT_FAULTS = (status: number) =>
  status === 401 ||
  status === 403 ||
  // The host does not know the model (retired, renamed, not for this key) or the path: the catalog names other
  // endpoints for it, and Junction answered any 404 of the client's making before calling an upstream.
  status === 404 ||
  status === 408 ||
  status === 429 ||
  status >= 500;

/**
 * How hosts say the account behind the key has no money or quota left, whatever the status: DeepSeek's and
 * OpenRouter's 402, OpenAI's 429 `insufficient_quota`, Anthropic's 400 "credit balance is too low".
 */
const OUT_OF_FUNDS = /credit balance is too low|insufficient (?:balance|credits)/i;

/** How long an endpoint whose account is out of funds stays out of routing: topping up is not a matter of seconds. */
export const OUT_OF_FUNDS_HOLD_SECONDS = 600;

/**
 * OpenRouter's 403 for an input its moderation flagged ("… requires moderation on OpenAI. Your input was flagged …"),
 * not an account flagged for abuse (that one is the key's).
 */
const FLAGGED = /requires moderation|input was flagged/i;

/**
 * One request asking for more tokens than the key's whole per-minute allowance at this host: Groq answers 413 with
 * code `rate_limit_exceeded`, OpenAI 429 ("Request too large for gpt-4o on tokens per min (TPM)").
 */
const OVER_ALLOWANCE = /request too large .*tokens per min/i;

/**
 * How hosts word a prompt longer than the model's context: OpenAI, OpenRouter, DeepSeek and vLLM ("maximum context
 * length"), Anthropic ("prompt is too long", "exceed context limit"), Mistral, xAI ("maximum prompt length"), Gemini.
 */
const CONTEXT_LENGTH =
  /context[ _]length|context window|context limit|prompt is too long|maximum prompt length|input token count .*exceeds/i;

export class ProviderError extends Error {
  override name = "ProviderError";
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly providerId: string;
  readonly timeoutPhase: "connect" | "first_byte" | "idle" | "total" | undefined;
  /**
   * The upstream refused the request as longer than the model's context (a 4xx): the client must shorten it, and
   * retrying the same request cannot help.
   */
  readonly contextLengthExceeded: boolean;
  /**
   * The account behind the key is out of funds or quota: another provider may serve, this key will not until
   * someone tops it up, and waiting seconds (a client's retry) cannot help.
   */
  readonly outOfFunds: boolean;
  /**
   * The request alone is over the key's per-minute token allowance at this host: another host may serve it, and
   * this one still serves smaller requests (its breaker must not open); waiting cannot help this request.
   */
  readonly overKeyAllowance: boolean;
  /** The host's moderation refused the input (a 403 that is about the content, not the key): the client's to change. */
  readonly contentFlagged: boolean;
  /**
   * A stream that failed midway: the usage its provider had reported so far (the prompt side is exact; the output
   * is a running count the gateway compares with what it counted).
   */
  partialUsage: Usage | undefined = undefined;

  constructor(
    providerId: string,
    kind: ProviderErrorKind,
    message: string,
    options: {
      status?: number;
      retryAfterSeconds?: number;
      timeoutPhase?: ProviderError["timeoutPhase"];
      /** The error code the upstream's body named (OpenAI's `context_length_exceeded`, …). */
      code?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.providerId = providerId;
    this.kind = kind;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.timeoutPhase = options.timeoutPhase;
    const clientError = kind === "http" && options.status !== undefined && options.status < 500;
    this.outOfFunds =
      clientError &&
      (options.status === 402 || options.code === "insufficient_quota" || OUT_OF_FUNDS.test(message));
    this.overKeyAllowance =
      clientError &&
      (options.status === 413 || options.status === 429) &&
      ((options.status === 413 && options.code === "rate_limit_exceeded") || OVER_ALLOWANCE.test(message));
    this.contentFlagged = clientError && options.status === 403 && FLAGGED.test(message);
    // `credential`: the key Junction holds cannot even be sent (a line break in it): as for a refused key, another
    // endpoint may serve.
    this.retryable =
      kind === "connect" ||
      kind === "timeout" ||
      kind === "credential" ||
      this.outOfFunds ||
      this.overKeyAllowance ||
      (kind === "http" &&
        options.status !== undefined &&
        ENDPOINT_FAULTS(options.status) &&
        !this.contentFlagged);
    const requestFault = clientError && !this.retryable;
    this.contextLengthExceeded =
      requestFault && (options.code === "context_length_exceeded" || CONTEXT_LENGTH.test(message));
  }

  /**
   * The credential used was refused, rate limited, out of funds or not shown the model: about that key, not about
   * the endpoint for everyone.
   */
  get keyRefused(): boolean {
    if (this.kind === "credential" || this.outOfFunds) return true;
    return (
      this.kind === "http" &&
      (this.status === 401 || this.status === 403 || this.status === 404 || this.status === 429)
    );
  }

  /**
   * Whether the endpoint's shared breaker counts this failure: a retryable one, unless it is about one request (over
   * the key's allowance) or about an organization's own key (`byok`), which other tenants do not use.
   */
  countsAgainstEndpoint(byok: boolean): boolean {
    return this.retryable && !this.overKeyAllowance && !(byok && this.keyRefused);
  }

  /** How long the breaker should keep the endpoint out, when this failure says: Retry-After, or an empty account's hold. */
  get breakerSeconds(): number | undefined {
    return this.outOfFunds
      ? Math.max(this.retryAfterSeconds ?? 0, OUT_OF_FUNDS_HOLD_SECONDS)
      : this.retryAfterSeconds;
  }

  /** A short class for receipts and metrics: "http_429", "quota_exhausted", "timeout_first_byte", "connect". */
  get errorClass(): string {
    if (this.outOfFunds) return "quota_exhausted";
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

/**
 * A key as upstreams echo it, masked: OpenAI's "sk-PMafP****E873", DeepSeek's "****E873", xAI's "xa***zz". What
 * shows of it is still the key's (the platform's, on a platform call), so the whole word goes.
 */
const MASKED_KEY = /[\w-]+\*{3,}[\w-]*|\*{3,}[\w-]+/g;
/** Shorter "secrets" are not looked for: replacing them would garble the text and hide nothing worth hiding. */
const MIN_SECRET_LENGTH = 8;

/**
 * An upstream's own words for an error, as the client may see them: at most 500 characters, key-shaped and masked
 * keys scrubbed, and the credentials the request carried (`sent`) removed whatever their shape — a self-hosted
 * endpoint's key looks like nothing in particular, and some hosts echo the key they refused whole.
 */
export function upstreamDetail(text: string, sent: readonly string[] = []): string {
  let out = text;
  for (const secret of sent) if (secret.length >= MIN_SECRET_LENGTH) out = out.replaceAll(secret, REDACTED);
  return scrubSecrets(out).replace(MASKED_KEY, REDACTED).slice(0, 500);
}

/** An error object an upstream sent in place of an answer, with status 200: OpenAI's, OpenRouter's, Anthropic's. */
export type UpstreamErrorObject = { code?: unknown; status?: unknown; type?: unknown; message?: unknown };

/** The HTTP status an error type stands for (OpenAI's and Anthropic's types; Anthropic's overloaded is its 529). */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
  api_error: 500,
  overloaded_error: 529,
};

const httpStatus = (value: unknown): number | undefined => {
  const status = typeof value === "string" && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof status === "number" && status >= 400 && status <= 599 ? status : undefined;
};

/**
 * An error an upstream reported inside a 200 (an SSE event, or the whole body), classified by the HTTP status it
 * names — OpenRouter's numeric `code`, else the error's type or code — so an overloaded or failing upstream stays
 * retryable before the first token, as its HTTP error would be. One it does not classify is a protocol error.
 */
export function errorInBody(providerId: string, error: UpstreamErrorObject, where: string): ProviderError {
  const status =
    httpStatus(error.code) ??
    httpStatus(error.status) ??
    (typeof error.type === "string" ? STATUS_OF_TYPE[error.type] : undefined) ??
    (typeof error.code === "string" ? STATUS_OF_TYPE[error.code] : undefined);
  const detail = typeof error.message === "string" ? error.message : String(error.type ?? "unknown");
  const message = `${where}: ${upstreamDetail(detail)}`;
  const code = typeof error.code === "string" ? error.code : undefined;
  return status === undefined
    ? new ProviderError(providerId, "protocol", message)
    : new ProviderError(providerId, "http", message, { status, code });
}
