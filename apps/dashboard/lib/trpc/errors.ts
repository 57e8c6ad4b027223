import type { AppRouter } from "@junction/api";
import { TRPCClientError } from "@trpc/client";

/** Field → first message, from a failed tRPC call (validation issues, or a domain error about one field). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const data = (error as TRPCClientError<AppRouter>).data;
  const fields = data?.fieldErrors ?? {};
  return Object.fromEntries(
    Object.entries(fields).flatMap(([field, messages]) => (messages[0] ? [[field, messages[0]]] : [])),
  );
}

/** A message fit for a person: the server's (already safe) message, or a generic one for network failures. */
export function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return "Something went wrong. Check your connection and try again.";
}

/** Inline errors for a form after a failed call: the field messages, or else one whole-form message (`_form`). */
export function formErrorsOf(error: unknown): Record<string, string> {
  const fields = fieldErrorsOf(error);
  return Object.keys(fields).length ? fields : { _form: messageOf(error) };
}
