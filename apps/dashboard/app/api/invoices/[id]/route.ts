import { findMembership } from "@junction/api";
import { invoiceHtmlView } from "@junction/billing";
import { getSessionIdentity } from "@/lib/auth/session";
import { services } from "@/lib/server/services";

// GET /api/invoices/:id — the printable HTML invoice, for members of the invoice's organization.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const session = await getSessionIdentity();
  if (!session)
    return Response.json(
      { error: { code: "unauthorized", message: "Sign in to continue" } },
      { status: 401 },
    );
  const { id } = await context.params;
  const { db } = services();
  const view = await invoiceHtmlView(db, {
    id,
    canAccess: async (organizationId) => (await findMembership(db, session.userId, organizationId)) !== null,
  });
  // Another organization's invoice answers exactly like a missing one.
  if (!view)
    return Response.json({ error: { code: "not_found", message: "Invoice not found" } }, { status: 404 });
  return new Response(view.body, { headers: view.headers });
}
