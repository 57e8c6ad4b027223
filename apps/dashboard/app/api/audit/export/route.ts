import { auditCsv, auditFilterInput, hasRole, resolveTenant } from "@junction/api";
import { getSessionIdentity } from "@/lib/auth/session";
import { services } from "@/lib/server/services";

// GET /api/audit/export?action=&actor=&target=&from=&to= — the active organization's audit log as CSV (admins).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const error = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

export async function GET(request: Request): Promise<Response> {
  const session = await getSessionIdentity();
  if (!session) return error(401, "unauthorized", "Sign in to continue");
  const { db } = services();
  // The organization is the session's (re-checked against the memberships), never a parameter.
  const tenant = await resolveTenant(db, session.userId, session.activeOrganizationId);
  if (!tenant || !hasRole(tenant.role, "admin"))
    return error(403, "forbidden", "The audit log is for admins");
  const params = new URL(request.url).searchParams;
  const day = (name: string, shift = 0) => {
    const value = params.get(name);
    if (!value) return undefined;
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (shift) date.setUTCDate(date.getUTCDate() + shift);
    return date;
  };
  const parsed = auditFilterInput.safeParse({
    action: params.get("action") || undefined,
    actorUserId: params.get("actor") || undefined,
    targetId: params.get("target") || undefined,
    from: day("from"),
    // A bare date includes that whole day.
    to: day("to", /^\d{4}-\d{2}-\d{2}$/.test(params.get("to") ?? "") ? 1 : 0),
  });
  if (!parsed.success) return error(400, "bad_request", "Check the filters");
  const csv = await auditCsv(db, tenant.organizationId, parsed.data);
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-log-${tenant.organizationId}-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
}
