import { newId } from "@junction/core";
import type { Db, Prisma } from "@junction/db";

/**
 * The one way to write the audit log. Every admin action (keys, members, roles, invitations, policies, BYOK,
 * custom endpoints, billing, settings, organization deletion) calls this, in the same transaction as the change
 * where there is one. Rows are append-only: the database refuses UPDATE and DELETE (see the security_audit
 * migration), and no procedure edits them. `before`/`after`/`metadata` are redacted here, once, for every caller.
 */
export type AuditEntry = {
  organizationId: string;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  /** The changed fields as they were, and as they are now (secrets are redacted before storing). */
  before?: AuditValue;
  after?: AuditValue;
  metadata?: Prisma.InputJsonObject;
  ip?: string;
};

type AuditValue = Record<string, unknown> | null;

/** Field names whose values never belong in the log, whatever the caller passes. */
const SECRET_FIELD =
  /(secret|password|passphrase|privatekey)|^(token|tokenhash|apikey|api_key|key|keyhash|authorization|cookie|ciphertext|wrappeddatakey|authtag|iv)$/i;

/** Key-shaped strings: Junction keys, provider keys (sk-…, sk-ant-…), bearer tokens, long opaque tokens. */
const KEY_SHAPED = [
  /\bjk_(live|test)_[A-Za-z0-9]{8,}/g,
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(AIza[0-9A-Za-z_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|whsec_[A-Za-z0-9]{10,}|rk_(live|test)_[A-Za-z0-9]{10,})/g,
];

export const REDACTED = "[redacted]";

export function scrubKeyShaped(text: string): string {
  let out = text;
  for (const pattern of KEY_SHAPED) out = out.replace(pattern, REDACTED);
  return out;
}

/** A JSON-safe, redacted copy: secret-named fields replaced, key-shaped strings scrubbed, bigints as strings. */
export function redactAuditValue(value: unknown, depth = 0): Prisma.InputJsonValue | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return scrubKeyShaped(value);
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value.toISOString();
  if (depth > 6) return "[truncated]";
  if (Array.isArray(value)) return value.map((item) => redactAuditValue(item, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, Prisma.InputJsonValue | null> = {};
    for (const [field, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      out[field] = SECRET_FIELD.test(field) && item !== null ? REDACTED : redactAuditValue(item, depth + 1);
    }
    return out as Prisma.InputJsonObject;
  }
  return String(value);
}

/** Appends to the organization's audit log (who did what to which key, member or setting, from where). */
export async function writeAudit(db: Db | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  const metadata = {
    ...(entry.metadata ?? {}),
    ...(entry.before !== undefined && { before: entry.before }),
    ...(entry.after !== undefined && { after: entry.after }),
  };
  await db.auditLog.create({
    data: {
      id: newId("audit"),
      organizationId: entry.organizationId,
      actorUserId: entry.actorUserId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ...(Object.keys(metadata).length > 0 && {
        metadata: redactAuditValue(metadata) as Prisma.InputJsonObject,
      }),
      ip: entry.ip ?? null,
    },
  });
}
