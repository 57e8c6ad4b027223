/**
 * CSRF protection for the dashboard's state-changing routes (tRPC mutations and route handlers): a request that
 * can change state must come from a page of this very origin. Browsers send `Origin` on every cross-site and
 * every same-origin POST/PUT/PATCH/DELETE (and `Sec-Fetch-Site` in all current engines), so a forged form post or
 * fetch from another site is refused before any handler runs. Sessions are SameSite=Lax cookies too; this is the
 * second, explicit layer. next-auth's own routes keep its double-submit CSRF token; Stripe's webhook is
 * authenticated by its signature, not a cookie, so it is exempt.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Route prefixes that authenticate otherwise (and must accept cross-site posts). */
export const CSRF_EXEMPT_PREFIXES = ["/api/auth/", "/api/stripe/webhook"] as const;

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

/** The origins this dashboard answers on: its configured public URL and the Host it was reached at. */
export function allowedOrigins(
  requestUrl: URL,
  headers: Headers,
  publicUrl: string | undefined,
): Set<string> {
  const origins = new Set<string>([requestUrl.origin]);
  if (publicUrl) {
    try {
      origins.add(new URL(publicUrl).origin);
    } catch {
      // An invalid NEXTAUTH_URL is reported by the env check; it adds nothing here.
    }
  }
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (host) {
    const proto =
      headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || requestUrl.protocol.replace(":", "");
    origins.add(`${proto}://${host}`);
  }
  return origins;
}

export function checkCsrf(
  method: string,
  requestUrl: URL,
  headers: Headers,
  publicUrl: string | undefined,
): CsrfVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
  const path = requestUrl.pathname;
  if (!path.startsWith("/api/")) return { ok: true };
  if (CSRF_EXEMPT_PREFIXES.some((prefix) => path.startsWith(prefix))) return { ok: true };
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    return { ok: false, reason: `cross-site request (Sec-Fetch-Site: ${site})` };
  }
  const origins = allowedOrigins(requestUrl, headers, publicUrl);
  const origin = headers.get("origin");
  if (origin) {
    return origins.has(origin) ? { ok: true } : { ok: false, reason: "the Origin is not this dashboard" };
  }
  const referer = headers.get("referer");
  if (referer) {
    try {
      return origins.has(new URL(referer).origin)
        ? { ok: true }
        : { ok: false, reason: "the Referer is not this dashboard" };
    } catch {
      return { ok: false, reason: "the Referer is not a URL" };
    }
  }
  return { ok: false, reason: "no Origin or Referer" };
}
