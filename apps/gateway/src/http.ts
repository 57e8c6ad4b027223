import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { JunctionError, MAX_JSON_DEPTH, nestedDeeperThan } from "@junction/core";
import { type ChatRequest, ProviderError } from "@junction/providers";
import { RateLimitError } from "./limits.js";

export type ErrorFormat = "openai" | "anthropic";

/**
 * Reads the body up to `limit` bytes; past it, 413 before anything is parsed or sent upstream. Plain 'data'/'end'
 * listeners: a stream's async iterator builds an AbortError (with its stack) for every body it finishes.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = request.headers["content-encoding"];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") {
    // A compressed body would otherwise reach the JSON parser and be called "not valid JSON".
    return Promise.reject(
      new JunctionError(
        "bad_request",
        `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send the body uncompressed`,
        {
          status: 415,
          param: "content-encoding",
        },
      ),
    );
  }
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  if (request.complete && request.readableLength <= limit && !request.readableFlowing) {
    // The whole body came with the headers (the usual small request): take it now, no event-loop turn.
    return Promise.resolve((request.read() as Buffer | null) ?? Buffer.alloc(0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish();
        request.resume(); // drain and discard the rest; the 413 goes out on this connection
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      finish();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      finish();
      reject(error);
    };
    const onClose = () => {
      finish();
      reject(new JunctionError("bad_request", "The client closed the connection before the body ended"));
    };
    const finish = () => {
      request.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    };
    request.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

const tooLarge = (limit: number) =>
  new JunctionError("payload_too_large", `Request body exceeds the limit of ${limit} bytes`, {
    metadata: { limit_bytes: limit },
  });

export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  return parseJsonBody(await readBody(request, limit), request.headers["content-type"]);
}

/**
 * The body as JSON, whatever its Content-Type (SDKs send application/json; `curl -d` sends a form type with a JSON
 * body, which works). When it is not JSON, a Content-Type that is not JSON either is named as the likely cause.
 */
export function parseJsonBody(body: Buffer, contentType?: string): unknown {
  if (body.length === 0) throw new JunctionError("bad_request", "Request body is empty; expected JSON");
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    const sentAs =
      contentType && !/json/i.test(contentType)
        ? ` (it was sent as ${contentType.split(";")[0]?.slice(0, 60)}; send JSON with Content-Type: application/json)`
        : "";
    throw new JunctionError("bad_request", `Request body is not valid JSON${sentAs}`);
  }
  if (nestedDeeperThan(parsed, MAX_JSON_DEPTH))
    throw new JunctionError("bad_request", `Request body nests JSON more than ${MAX_JSON_DEPTH} levels deep`);
  return parsed;
}

/** JSON.stringify, and bigints as decimal strings: a replacer slows every call, so it is only used when needed. */
function toJson(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(body, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  }
}

/**
 * The Anthropic beta features a chat request asks for: its `anthropic-beta` header, as Anthropic takes them. A body
 * field of that name is dropped, so the header is the one way in (and routing sees what the upstream gets).
 */
export function withAnthropicBetas(chat: ChatRequest, headers: IncomingHttpHeaders): ChatRequest {
  const betas = headers["anthropic-beta"];
  if (betas)
    chat.anthropic_beta = String(betas)
      .split(",")
      .map((beta) => beta.trim());
  else if (chat.anthropic_beta !== undefined) delete chat.anthropic_beta;
  return chat;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = toJson(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

const OPENAI_TYPE: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "insufficient_quota",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  431: "invalid_request_error",
  429: "rate_limit_error",
};

const ANTHROPIC_TYPE: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "request_too_large",
  415: "invalid_request_error",
  429: "rate_limit_error",
  // Anthropic's own: a 503 (no endpoint free, one recovering) is an overload to wait out, as OpenRouter types it.
  503: "overloaded_error",
  504: "timeout_error",
  529: "overloaded_error",
};

/** Upstream statuses that say the same of the gateway's 502: an overload, or a timeout, passing with time. */
const TRANSIENT_UPSTREAM = new Set([503, 504, 529]);

/**
 * Anthropic's type for an error: by its status, or for an upstream's overload or timeout passed on as the gateway's
 * 502, by the upstream's (Claude Code waits and retries an overloaded_error). Other upstream failures (our credential
 * refused, say) stay api_error: they are not the client's to fix.
 */
function anthropicType(error: JunctionError): string {
  const upstream = error.metadata?.upstream_status;
  const passedOn = error.code === "upstream_error" && TRANSIENT_UPSTREAM.has(upstream as number);
  return ANTHROPIC_TYPE[passedOn ? (upstream as number) : error.status] ?? "api_error";
}

/** Every failure becomes a JunctionError; upstream detail goes into metadata, never a stack or a secret. */
export function toJunctionError(error: unknown): JunctionError {
  if (error instanceof JunctionError) return error;
  if (error instanceof ProviderError) {
    const metadata = {
      provider: error.providerId,
      error_class: error.errorClass,
      ...(error.status !== undefined && { upstream_status: error.status }),
      ...(error.retryAfterSeconds !== undefined && { retry_after_seconds: error.retryAfterSeconds }),
    };
    if (error.kind === "timeout") return new JunctionError("upstream_timeout", error.message, { metadata });
    // Not a 429 (SDKs retry those in seconds) nor the request's fault: the account behind the key is empty.
    if (error.outOfFunds) return new JunctionError("upstream_error", error.message, { metadata });
    // A request over the key's per-minute allowance will never pass there: smaller, it may (Groq's own 413).
    if (error.overKeyAllowance || (error.kind === "http" && error.status === 413))
      return new JunctionError("payload_too_large", error.message, { metadata });
    if (error.kind === "http" && error.status === 429)
      return new JunctionError("rate_limited", error.message, { metadata });
    // In OpenAI's code whatever the host's words, so that clients shorten the prompt (Codex compacts) and do not retry.
    if (error.contextLengthExceeded)
      return new JunctionError("context_length_exceeded", error.message, { metadata });
    if (error.kind === "http" && error.status !== undefined && error.status < 500 && error.status !== 408) {
      // The provider rejected what we sent (or its moderation flagged it): 400. Refusing the upstream credential
      // (ours) or not knowing a model the catalog lists is the gateway's side: 502.
      const code =
        [401, 403, 404].includes(error.status) && !error.contentFlagged ? "upstream_error" : "bad_request";
      return new JunctionError(code, error.message, { metadata });
    }
    return new JunctionError("upstream_error", error.message, { metadata });
  }
  return new JunctionError("internal_error", "Internal error");
}

/** OpenAI's words for a context overflow (most OpenAI-compatible hosts echo them): the limit, and what was asked. */
const OPENAI_CONTEXT_LIMIT = /maximum context length is (\d+) tokens/i;
const OPENAI_CONTEXT_ASKED =
  /(?:resulted in|requested) (\d+) tokens(?: \((\d+) in the messages, (\d+) in the completion\))?/i;

/**
 * Another host's context overflow in Anthropic's words, which Claude Code acts on ("prompt is too long" compacts;
 * "input length and `max_tokens` exceed context limit: X + Y > Z" lowers max_tokens), the host's own words after.
 */
function anthropicContextMessage(message: string): string {
  if (/prompt is too long|exceed context limit/i.test(message)) return message;
  const limit = OPENAI_CONTEXT_LIMIT.exec(message)?.[1];
  const asked = OPENAI_CONTEXT_ASKED.exec(message);
  if (limit && asked?.[2] && asked[3] && Number(asked[2]) <= Number(limit))
    return `input length and \`max_tokens\` exceed context limit: ${asked[2]} + ${asked[3]} > ${limit} (${message})`;
  const prompt = asked?.[2] ?? asked?.[1];
  if (limit && prompt) return `prompt is too long: ${prompt} tokens > ${limit} maximum (${message})`;
  return `prompt is too long: ${message}`;
}

export function errorBody(error: JunctionError, format: ErrorFormat): unknown {
  if (format === "anthropic") {
    const message =
      error.code === "context_length_exceeded" ? anthropicContextMessage(error.message) : error.message;
    return {
      type: "error",
      error: { type: anthropicType(error), message },
    };
  }
  return {
    error: {
      code: error.code,
      message: error.message,
      type: OPENAI_TYPE[error.status] ?? "api_error",
      param: error.param ?? null,
      metadata: error.metadata ?? null,
    },
  };
}

export function sendError(
  response: ServerResponse,
  error: JunctionError,
  format: ErrorFormat,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const retryAfter = error.metadata?.retry_after_seconds;
  const shouldRetry = retryAdvice(error);
  sendJson(response, error.status, errorBody(error, format), {
    ...(typeof retryAfter === "number" && {
      "retry-after": String(retryAfter),
      "retry-after-ms": String(retryAfter * 1000),
    }),
    ...(shouldRetry !== undefined && { "x-should-retry": String(shouldRetry) }),
    ...(error instanceof RateLimitError && error.headers),
    ...headers,
  });
}

/** The longest wait the openai and Anthropic SDKs honour; past it they retry on their own backoff, in seconds. */
const SDK_MAX_RETRY_AFTER_SECONDS = 60;

/**
 * `x-should-retry` for the official SDKs, which obey it over the status (else they retry 408/409/429/5xx), where
 * their default is wrong: a 502 for an upstream account out of funds and a wait past what they honour cannot pass in
 * their seconds; a 504 for the total timeout would run, and be billed, all over again; a 503 to wait out will pass.
 */
function retryAdvice(error: JunctionError): boolean | undefined {
  const errorClass = error.metadata?.error_class;
  if (errorClass === "quota_exhausted" || errorClass === "timeout_total") return false;
  const retryAfter = error.metadata?.retry_after_seconds;
  if (typeof retryAfter === "number" && retryAfter > SDK_MAX_RETRY_AFTER_SECONDS) return false;
  if (error.status === 503) return true;
  return undefined;
}

/**
 * What node:http refuses before any route sees the request — headers over its 16 KB limit (an enormous
 * Authorization), a head it cannot parse — in the error shape, not the bare status line Node writes by default. The
 * path is unknown here, so the shape is OpenAI's; nothing of the request is echoed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A response already under way on this connection (a stream, and a pipelined request that failed to parse) would
  // get this answer in the middle of its body: node:http's own answer is written only when none has begun.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const junctionError =
    error.code === "HPE_HEADER_OVERFLOW"
      ? new JunctionError("bad_request", "Request headers are too large", { status: 431 })
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new JunctionError("bad_request", "The request took too long to arrive", { status: 408 })
        : new JunctionError("bad_request", "Malformed HTTP request");
  const text = toJson(errorBody(junctionError, "openai"));
  socket.end(
    `HTTP/1.1 ${junctionError.status} ${STATUS_CODES[junctionError.status]}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}

/**
 * The request's signal fired because the client went away (nothing more can be written; the generation is
 * "aborted"), not because the total timeout passed (the client is still there and hears a 504 or an error chunk).
 */
export const clientLeft = (signal: AbortSignal): boolean =>
  signal.aborted && !(signal.reason instanceof Error && signal.reason.name === "TimeoutError");

/** Aborts when the client goes away before the response finished, or when the total timeout passes. */
export function requestSignal(response: ServerResponse, totalTimeoutMs: number): AbortSignal {
  const controller = new AbortController();
  // One timer per request, cleared when the response ends (AbortSignal.timeout would live on for the full timeout).
  const timer = setTimeout(() => {
    const reason = new Error("total timeout");
    reason.name = "TimeoutError";
    controller.abort(reason);
  }, totalTimeoutMs);
  response.once("close", () => {
    clearTimeout(timer);
    if (!response.writableFinished) controller.abort(new Error("client disconnected"));
  });
  return controller.signal;
}
