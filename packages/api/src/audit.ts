import { newId } from "@junction/core";
import type { Db, Prisma } from "@junction/db";

export type AuditEntry = {
  organizationId: string;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Prisma.InputJsonObject;
  ip?: string;
};

/** Appends to the organization's audit log (who did what to which key, member or setting). */
export async function writeAudit(db: Db | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      id: newId("audit"),
      organizationId: entry.organizationId,
      actorUserId: entry.actorUserId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ...(entry.metadata && { metadata: entry.metadata }),
      ip: entry.ip ?? null,
    },
  });
}
