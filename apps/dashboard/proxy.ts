import { type NextRequest, NextResponse } from "next/server";
import { dashboardEnv } from "@/lib/env";
import { checkCsrf } from "@/lib/security/csrf";
import { isHttps, securityHeaders } from "@/lib/security/headers";

/**
 * Runs before every route: refuses cross-site state-changing API requests (CSRF) and sets the security headers
 * (CSP, frame-ancestors/X-Frame-Options, nosniff, Referrer-Policy, Permissions-Policy, HSTS over https).
 */
export function proxy(request: NextRequest): NextResponse {
  const url = new URL(request.url);
  const https = isHttps(url, request.headers);
  const env = dashboardEnv();
  const headers = securityHeaders({ development: env.NODE_ENV === "development", https });
  const verdict = checkCsrf(request.method, url, request.headers, env.NEXTAUTH_URL);
  const response = verdict.ok
    ? NextResponse.next()
    : NextResponse.json(
        { error: { code: "forbidden", message: `Cross-site request refused: ${verdict.reason}` } },
        { status: 403 },
      );
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything except Next's static build output (immutable, same-origin assets).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
