import { isJunctionError, type JunctionError, type JunctionErrorCode } from "@junction/core";
import { StandardSchemaV1Error, type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { ZodError } from "zod";

/** The one mapping from the domain's error codes to tRPC's (and so to HTTP statuses). */
const TRPC_CODE: Record<JunctionErrorCode, TRPC_ERROR_CODE_KEY> = {
  bad_request: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  payment_required: "PAYMENT_REQUIRED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  method_not_allowed: "METHOD_NOT_SUPPORTED",
  conflict: "CONFLICT",
  payload_too_large: "PAYLOAD_TOO_LARGE",
  context_length_exceeded: "BAD_REQUEST",
  rate_limited: "TOO_MANY_REQUESTS",
  upstream_error: "BAD_GATEWAY",
  upstream_timeout: "GATEWAY_TIMEOUT",
  internal_error: "INTERNAL_SERVER_ERROR",
  service_unavailable: "SERVICE_UNAVAILABLE",
};

export function toTRPCError(error: JunctionError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

/** Field → messages, for forms that show validation errors next to their inputs. */
export type FieldErrors = Record<string, string[]>;

export type ErrorData = {
  /** The JunctionError code when the failure came from the domain. */
  junctionCode: JunctionErrorCode | null;
  /** The input field the error is about, when known. */
  param: string | null;
  fieldErrors: FieldErrors | null;
};

function fieldErrorsOf(cause: unknown): FieldErrors | null {
  // Zod schemas fail with a ZodError, other standard schemas with StandardSchemaV1Error: both carry `issues`.
  if (cause instanceof ZodError || cause instanceof StandardSchemaV1Error) {
    const errors: FieldErrors = {};
    for (const issue of cause.issues) {
      const field = (issue.path ?? [])
        .map((segment) => (typeof segment === "object" ? String(segment.key) : String(segment)))
        .join(".");
      const key = field || "_form";
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
    return errors;
  }
  if (isJunctionError(cause) && cause.param) return { [cause.param]: [cause.message] };
  return null;
}

/** Extra error data for clients; internal failures keep their message (and stack) on the server. */
export function errorData(error: TRPCError): { message: string | null; data: ErrorData } {
  const cause = error.cause;
  const domain = isJunctionError(cause) ? cause : null;
  const hidden = error.code === "INTERNAL_SERVER_ERROR" && !domain;
  return {
    message: hidden ? "Something went wrong on our side. Please try again." : null,
    data: {
      junctionCode: domain?.code ?? null,
      param: domain?.param ?? null,
      fieldErrors: fieldErrorsOf(cause),
    },
  };
}
