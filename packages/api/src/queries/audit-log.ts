import type { Db, Prisma } from "@junction/db";
import { z } from "zod";

/** Filters of the audit log page and its CSV export (the organization always comes from the session). */
export const auditFilterInput = z.strictObject({
  action: z.string().trim().max(80).optional(),
  actorUserId: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(64).optional(),
  /** Inclusive lower and exclusive upper bound, ISO dates or date-times. */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type AuditFilter = z.infer<typeof auditFilterInput>;

export type AuditRow = {
  id: string;
  createdAt: Date;
  action: string;
  actor: { id: string; name: string | null; email: string } | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  metadata: Prisma.JsonValue;
};

function where(organizationId: string, filter: AuditFilter): Prisma.AuditLogWhereInput {
  return {
    organizationId,
    ...(filter.action && {
      action: filter.action.endsWith(".") ? { startsWith: filter.action } : filter.action,
    }),
    ...(filter.actorUserId && { actorUserId: filter.actorUserId }),
    ...(filter.targetId && { targetId: filter.targetId }),
    ...((filter.from || filter.to) && {
      createdAt: { ...(filter.from && { gte: filter.from }), ...(filter.to && { lt: filter.to }) },
    }),
  };
}

/**
 * One page of the organization's audit log, newest first. The cursor is a row id of this organization (checked:
 * another organization's id is not found, like everything else).
 */
export async function auditPage(
  db: Db,
  organizationId: string,
  filter: AuditFilter,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: AuditRow[]; nextCursor: string | null } | null> {
  if (page.cursor) {
    const own = await db.auditLog.findFirst({
      where: { id: page.cursor, organizationId },
      select: { id: true },
    });
    if (!own) return null;
  }
  const rows = await db.auditLog.findMany({
    where: where(organizationId, filter),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor && { cursor: { id: page.cursor }, skip: 1 }),
    include: { actor: { select: { id: true, name: true, email: true } } },
  });
  const items = rows.slice(0, page.limit).map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    action: row.action,
    actor: row.actor,
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    metadata: row.metadata,
  }));
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/** The most rows one CSV export holds (newest first); narrow the filters for older history. */
export const AUDIT_EXPORT_LIMIT = 50_000;

function csvCell(value: string): string {
  // Quote everything; neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The filtered audit log as CSV (RFC 4180, header row), newest first. */
export async function auditCsv(db: Db, organizationId: string, filter: AuditFilter): Promise<string> {
  const rows = await db.auditLog.findMany({
    where: where(organizationId, filter),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_EXPORT_LIMIT,
    include: { actor: { select: { email: true } } },
  });
  const header = [
    "time",
    "action",
    "actor_user_id",
    "actor_email",
    "target_type",
    "target_id",
    "ip",
    "details",
  ];
  const lines = rows.map((row) =>
    [
      row.createdAt.toISOString(),
      row.action,
      row.actorUserId ?? "",
      row.actor?.email ?? "",
      row.targetType ?? "",
      row.targetId ?? "",
      row.ip ?? "",
      row.metadata === null ? "" : JSON.stringify(row.metadata),
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
