/**
 * Secrets hygiene in one place: what a secret looks like, and how to keep it out of logs, audit rows and error
 * messages. Used by the logger (every app's log lines), the audit log and the provider error messages.
 */
export const REDACTED = "[redacted]";

/** Key-shaped strings: Junction keys, provider and Stripe keys, bearer/basic credentials, JWTs, secrets in URLs. */
export const KEY_SHAPED_PATTERNS: readonly RegExp[] = [
  /\bjk_(?:live|test)_[A-Za-z0-9]{8,}/g,
  /\b(?:sk|sk-ant|sk-proj|gsk|xai|pplx|fw|csk|rk|pk)[-_](?:live_|test_)?[A-Za-z0-9_-]{8,}/g,
  /\bwhsec_[A-Za-z0-9+/=]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){2,4}/g,
];
const CREDENTIAL_HEADER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const SECRET_PARAM =
  /([?&;](?:key|api_key|apikey|token|access_token|secret|password|code|sig|signature)=)[^&\s"'#]+/gi;
const SECRET_PATH = /(\/(?:invite|invitations|reset-password|verify-email)\/)[A-Za-z0-9._~-]{16,}/g;

/** The text with every key-shaped string replaced by "[redacted]". */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const pattern of KEY_SHAPED_PATTERNS) out = out.replace(pattern, REDACTED);
  return out
    .replace(CREDENTIAL_HEADER, `$1 ${REDACTED}`)
    .replace(SECRET_PARAM, `$1${REDACTED}`)
    .replace(SECRET_PATH, `$1${REDACTED}`);
}

/** Field names whose values never belong in logs or audit rows, whatever they contain. */
export const SECRET_FIELD =
  /(secret|password|passphrase|privatekey|cookie|authorization)|^(token|tokenhash|apikey|api_key|x-api-key|key|keyhash|ciphertext|wrappeddatakey|authtag|iv|sessiontoken)$/i;

export type RedactedJson =
  | string
  | number
  | boolean
  | null
  | RedactedJson[]
  | { [key: string]: RedactedJson };

/** A JSON-safe, redacted copy: secret-named fields replaced, key-shaped strings scrubbed, bigints as strings. */
export function redactValue(value: unknown, depth = 0): RedactedJson {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return scrubSecrets(value);
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return scrubSecrets(`${value.name}: ${value.message}`);
  if (depth > 6) return "[truncated]";
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (typeof value === "object") {
    const out: { [key: string]: RedactedJson } = {};
    for (const [field, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      out[field] = SECRET_FIELD.test(field) && item !== null ? REDACTED : redactValue(item, depth + 1);
    }
    return out;
  }
  return scrubSecrets(String(value));
}
