import { auditCsv, auditFilterInput, hasRole, resolveTenant } from "@junction/api";
import { auditFilterFromParams } from "@/lib/audit-filter";
import { getSessionIdentity } from "@/lib/auth/session";
import { services } from "@/lib/server/services";

// GET /api/audit/export?action=&actor=&target=&from=&to= — the active organization's audit log as CSV (admins);
// the same filters as the audit page's URL (from/to: UTC days, inclusive, or exact date-times).
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
  const { filter, invalid } = auditFilterFromParams(new URL(request.url).searchParams);
  const parsed = auditFilterInput.safeParse(filter);
  if (invalid.length || !parsed.success) return error(400, "bad_request", "Check the filters");
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
