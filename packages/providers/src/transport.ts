import { scrubSecrets } from "@junction/core";
import { Agent, type Dispatcher, request, errors as undiciErrors } from "undici";
import { ProviderError, parseRetryAfter, upstreamDetail } from "./errors.js";

export type Timeouts = { connectMs: number; firstByteMs: number; idleMs: number; totalMs: number };

export const defaultTimeouts: Timeouts = {
  connectMs: 10_000,
  firstByteMs: 60_000,
  idleMs: 60_000,
  totalMs: 600_000,
};

/** The HTTP client every adapter uses: one pooled keep-alive dispatcher, injectable for tests. */
export type Transport = { dispatcher: Dispatcher; timeouts: Timeouts };

export function createTransport(timeouts: Partial<Timeouts> = {}, dispatcher?: Dispatcher): Transport {
  const merged = { ...defaultTimeouts, ...timeouts };
  return {
    timeouts: merged,
    dispatcher:
      dispatcher ??
      new Agent({
        connect: { timeout: merged.connectMs },
        headersTimeout: merged.firstByteMs,
        bodyTimeout: merged.idleMs,
        keepAliveTimeout: 30_000,
        connections: 256,
      }),
  };
}

export type UpstreamResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
};

const MAX_ERROR_BODY = 8_192;

/** Maps undici's transport errors onto ProviderError with the timeout phase or connect failure named. */
export function classifyTransportError(
  providerId: string,
  error: unknown,
  signal: AbortSignal,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) {
    const reason = signal.reason;
    if (reason instanceof Error && reason.name === "TimeoutError") {
      return new ProviderError(providerId, "timeout", "upstream did not finish within the total timeout", {
        timeoutPhase: "total",
        cause: error,
      });
    }
    return new ProviderError(providerId, "aborted", "request aborted", { cause: error });
  }
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return new ProviderError(providerId, "timeout", "upstream connect timed out", {
      timeoutPhase: "connect",
      cause: error,
    });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return new ProviderError(providerId, "timeout", "upstream sent no response headers in time", {
      timeoutPhase: "first_byte",
      cause: error,
    });
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new ProviderError(providerId, "timeout", "upstream went idle mid-response", {
      timeoutPhase: "idle",
      cause: error,
    });
  }
  if (error instanceof undiciErrors.ResponseExceededMaxSizeError) {
    // The transport's cap on one answer (custom endpoints): another try would get the same answer.
    return new ProviderError(providerId, "protocol", "upstream answer was larger than the gateway accepts", {
      cause: error,
    });
  }
  const code = (error as { code?: string }).code ?? "";
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    providerId,
    "connect",
    `upstream connection failed (${code || scrubSecrets(message)})`,
    {
      cause: error,
    },
  );
}

/**
 * What a provider's error body says beyond its HTTP status: the status that names the fault better (Google answers a
 * refused key with a 400), and how long to wait when no Retry-After header says it.
 */
export type ErrorBodyReading = { status?: number; retryAfterSeconds?: number };

/** POSTs JSON upstream; a non-2xx answer becomes a ProviderError carrying status, Retry-After and redacted detail. */
export async function postJson(
  transport: Transport,
  providerId: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  readErrorBody?: (text: string) => ErrorBodyReading,
): Promise<UpstreamResponse> {
  // Serialized before the call: a body that cannot be (too large) is not a connection failure to blame on the provider.
  const payload = JSON.stringify(body);
  // Nor is a key no header can carry (a BYOK key stored with a line break): undici would refuse it like a failed
  // connection, and the shared endpoint's breaker would count one organization's key against everyone.
  const sent = sentCredentials(headers);
  if (sent.some((credential) => UNSENDABLE.test(credential))) {
    throw new ProviderError(
      providerId,
      "credential",
      "the provider key cannot be sent: it holds characters an HTTP header cannot carry (a line break?)",
    );
  }
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: "POST",
      dispatcher: transport.dispatcher,
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: payload,
      signal,
    });
  } catch (error) {
    throw classifyTransportError(providerId, error, signal);
  }
  if (response.statusCode >= 200 && response.statusCode < 300) {
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }
  let detail = "";
  try {
    detail = (await response.body.text()).slice(0, MAX_ERROR_BODY);
  } catch {
    // The body is only for the error message; a broken one must not mask the status.
  }
  const reading = readErrorBody?.(detail) ?? {};
  const said = upstreamMessage(detail, sent);
  throw new ProviderError(providerId, "http", `upstream returned ${response.statusCode}: ${said.message}`, {
    status: reading.status ?? response.statusCode,
    retryAfterSeconds: parseRetryAfter(response.headers["retry-after"]) ?? reading.retryAfterSeconds,
    code: said.code,
  });
}

/** Provider keys are printable ASCII: anything else (CR, LF, NUL, other controls) cannot go in a header. */
const UNSENDABLE = /[^\x20-\x7e]/;

/** The headers an adapter puts its upstream credential in (OpenAI-format, Anthropic, Gemini). */
const CREDENTIAL_HEADERS = new Set(["authorization", "x-api-key", "x-goog-api-key"]);

/** The credentials a request carries, as an upstream would echo them (without the `Bearer ` scheme). */
function sentCredentials(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => CREDENTIAL_HEADERS.has(name.toLowerCase()))
    .map(([, value]) => value.replace(/^Bearer\s+/i, ""));
}

/**
 * Pulls the human message out of the common error body shapes ({error:{message}}, {message}, text), and the error's
 * code where it names one as a word (OpenAI's `context_length_exceeded`).
 */
function upstreamMessage(text: string, sent: string[]): { message: string; code?: string } {
  try {
    const parsed = JSON.parse(text) as {
      error?: { message?: unknown; code?: unknown } | string;
      message?: unknown;
    };
    const message =
      typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message ?? text);
    const code = typeof parsed.error === "object" ? parsed.error?.code : undefined;
    return {
      // Mistral's 422 says which fields it refused in an object ({detail: [{loc, msg}]}), not a sentence.
      message: upstreamDetail(typeof message === "string" ? message : JSON.stringify(message), sent),
      ...(typeof code === "string" && { code }),
    };
  } catch {
    return { message: upstreamDetail(text, sent) || "(empty body)" };
  }
}

export async function readJson<T>(
  providerId: string,
  response: UpstreamResponse,
  signal: AbortSignal,
): Promise<T> {
  let text: string;
  try {
    text = await response.body.text();
  } catch (error) {
    throw classifyTransportError(providerId, error, signal);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ProviderError(providerId, "protocol", "upstream returned invalid JSON");
  }
}
