import { findMembership } from "@junction/api";
import { spendReportDownload } from "@junction/billing";
import { getSessionIdentity } from "@/lib/auth/session";
import { services } from "@/lib/server/services";

// GET /api/reports/:id?format=csv|json — a spend report download for members of the report's organization.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = await getSessionIdentity();
  if (!session)
    return Response.json(
      { error: { code: "unauthorized", message: "Sign in to continue" } },
      { status: 401 },
    );
  const format = new URL(request.url).searchParams.get("format") ?? "csv";
  if (format !== "csv" && format !== "json") {
    return Response.json(
      { error: { code: "bad_request", message: "format must be csv or json", param: "format" } },
      { status: 400 },
    );
  }
  const { id } = await context.params;
  const { db } = services();
  const download = await spendReportDownload(db, {
    id,
    format,
    canAccess: async (organizationId) => (await findMembership(db, session.userId, organizationId)) !== null,
  });
  // Another organization's report answers exactly like a missing one.
  if (!download)
    return Response.json({ error: { code: "not_found", message: "Report not found" } }, { status: 404 });
  return new Response(download.body, { headers: download.headers });
}
