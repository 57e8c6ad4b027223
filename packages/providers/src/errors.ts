import { REDACTED, scrubSecrets } from "@junction/core";
import type { Usage } from "./types.js";

/**
 * An upstream failure, classified so the gateway knows whether another endpoint could help (`retryable`) and what
 * to tell the client. `message` never contains the upstream key.
 */
export type ProviderErrorKind = "connect" | "timeout" | "http" | "protocol" | "aborted" | "credential";

/**
 * Statuses that say this endpoint cannot answer now, not that the request is wrong: another endpoint may. 401/403
 * refuse the credential Junction holds for the provider (the client's own key was already accepted), 408 and 429
 * are the provider's timing, 5xx its failure.
 */
const ENDPOINT_FAULTS = (status: number) =>
  status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;

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
    // `credential`: the key Junction holds cannot even be sent (a line break in it): as for a refused key, another
    // endpoint may serve.
    this.retryable =
      kind === "connect" ||
      kind === "timeout" ||
      kind === "credential" ||
      (kind === "http" && options.status !== undefined && ENDPOINT_FAULTS(options.status));
    const requestFault =
      kind === "http" && options.status !== undefined && options.status < 500 && !this.retryable;
    this.contextLengthExceeded =
      requestFault && (options.code === "context_length_exceeded" || CONTEXT_LENGTH.test(message));
  }

  /** The credential used was refused or rate limited: about that key, not about the endpoint for everyone. */
  get keyRefused(): boolean {
    if (this.kind === "credential") return true;
    return this.kind === "http" && (this.status === 401 || this.status === 403 || this.status === 429);
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
