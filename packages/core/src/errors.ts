/** The one error type. Mapped to HTTP in the gateway and to tRPC in the api package, each in one place. */
export type JunctionErrorCode =
  | "bad_request"
  | "unauthorized"
  | "payment_required"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  /** The prompt is longer than the model's context (OpenAI's code for it): the client must shorten it. */
  | "context_length_exceeded"
  | "rate_limited"
  | "upstream_error"
  | "upstream_timeout"
  | "internal_error"
  | "service_unavailable";

const STATUS: Record<JunctionErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  context_length_exceeded: 400,
  rate_limited: 429,
  upstream_error: 502,
  upstream_timeout: 504,
  internal_error: 500,
  service_unavailable: 503,
};

export type JunctionErrorOptions = {
  param?: string;
  metadata?: Record<string, unknown>;
  status?: number;
  cause?: unknown;
};

export class JunctionError extends Error {
  readonly code: JunctionErrorCode;
  readonly status: number;
  readonly param?: string;
  readonly metadata?: Record<string, unknown>;

  constructor(code: JunctionErrorCode, message: string, options: JunctionErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "JunctionError";
    this.code = code;
    this.status = options.status ?? STATUS[code];
    if (options.param !== undefined) this.param = options.param;
    if (options.metadata !== undefined) this.metadata = options.metadata;
  }

  toJSON(): { code: JunctionErrorCode; message: string; param?: string; metadata?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.param !== undefined && { param: this.param }),
      ...(this.metadata !== undefined && { metadata: this.metadata }),
    };
  }
}

export function isJunctionError(value: unknown): value is JunctionError {
  return value instanceof JunctionError;
}

export function statusForCode(code: JunctionErrorCode): number {
  return STATUS[code];
}
