import { randomBytes } from "node:crypto";

/** Stripe's wire details the fake needs: form-encoded bodies with bracket keys, ids, list and error shapes. */
export type StripeJson = Record<string, unknown>;

/**
 * Parses `application/x-www-form-urlencoded` as Stripe's SDKs send it: `metadata[org]=x`,
 * `line_items[0][price_data][currency]=usd`. Numeric segments make arrays. Values stay strings, as on the wire.
 */
export function parseStripeForm(text: string): StripeJson {
  const root: StripeJson = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replaceAll("]", "").split("[");
    let node: StripeJson | unknown[] = root;
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      const nextIsIndex = /^\d+$/.test(path[index + 1] ?? "");
      const slot = Array.isArray(node) ? Number(segment) : segment;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[slot] = value;
      } else {
        container[slot] ??= nextIsIndex ? [] : {};
        node = container[slot] as StripeJson | unknown[];
      }
    }
  }
  return root;
}

export function stripeId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url").replaceAll(/[-_]/g, "x")}`;
}

export const unixNow = (): number => Math.floor(Date.now() / 1000);

export function stripeList(url: string, data: StripeJson[]): StripeJson {
  return { object: "list", data, has_more: false, url };
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: {
      type: "invalid_request_error" | "card_error" | "idempotency_error" | "api_error";
      message: string;
      code?: string;
      param?: string;
      decline_code?: string;
      payment_intent?: StripeJson;
    },
  ) {
    super(body.message);
  }
}

export const missing = (kind: string, id: string): StripeApiError =>
  new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param: "id",
  });

export const invalid = (message: string, param?: string): StripeApiError =>
  new StripeApiError(400, { type: "invalid_request_error", message, ...(param && { param }) });

export function requireString(body: StripeJson, param: string): string {
  const value = body[param];
  if (typeof value !== "string" || value === "") throw invalid(`Missing required param: ${param}.`, param);
  return value;
}

export function requireAmount(value: unknown, param: string): number {
  const amount = Number(value);
  if (typeof value !== "string" || !Number.isInteger(amount) || amount < 1) {
    throw invalid(`Invalid integer: ${String(value)}`, param);
  }
  return amount;
}

export function metadataOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
}
