import { newId, redactValue } from "@junction/core";
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

/** A JSON-safe, redacted copy (the one redaction of core, shared with the logger). */
export function redactAuditValue(value: unknown): Prisma.InputJsonValue | null {
  return redactValue(value) as Prisma.InputJsonValue | null;
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
