// Liveness probe for load balancers and Playwright's webServer; answered per request, never prerendered.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
