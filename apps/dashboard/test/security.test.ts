import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { checkCsrf } from "../lib/security/csrf";
import { contentSecurityPolicy, securityHeaders } from "../lib/security/headers";
import { proxy } from "../proxy";

const DASHBOARD = "http://127.0.0.1:3000";
const post = (path: string, headers: Record<string, string>) =>
  new NextRequest(`${DASHBOARD}${path}`, {
    method: "POST",
    headers: { host: "127.0.0.1:3000", "content-type": "application/json", ...headers },
    body: "{}",
  });

describe("CSRF (proxy)", () => {
  it.each([
    ["/api/trpc/apiKeys.create", { origin: "https://evil.example" }, "the Origin is not this dashboard"],
    ["/api/trpc/settings.updateOrganization?batch=1", { origin: "null" }, "the Origin is not this dashboard"],
    [
      "/api/trpc/members.remove",
      { referer: "https://evil.example/page" },
      "the Referer is not this dashboard",
    ],
    ["/api/trpc/apiKeys.revoke", {}, "no Origin or Referer"],
    ["/api/trpc/apiKeys.revoke", { origin: DASHBOARD, "sec-fetch-site": "cross-site" }, "cross-site request"],
    ["/api/audit/export", { origin: "http://127.0.0.1:3001" }, "the Origin is not this dashboard"],
    ["/api/trpc/customEndpoints.create", { origin: "http://127.0.0.1.evil.example:3000" }, "Origin"],
  ])("refuses POST %s with %j", async (path, headers, reason) => {
    const response = proxy(post(path, headers));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(reason);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it.each([
    ["/api/trpc/apiKeys.create", { origin: DASHBOARD, "sec-fetch-site": "same-origin" }],
    ["/api/trpc/apiKeys.create", { referer: `${DASHBOARD}/keys` }],
    // Behind a proxy: the forwarded host is the origin the browser saw.
    [
      "/api/trpc/apiKeys.create",
      {
        origin: "https://app.junction.example",
        "x-forwarded-host": "app.junction.example",
        "x-forwarded-proto": "https",
      },
    ],
    // next-auth checks its own double-submit CSRF token; Stripe signs its webhooks.
    ["/api/auth/callback/credentials", { origin: "https://evil.example" }],
    ["/api/stripe/webhook", {}],
  ])("lets POST %s with %j through", (path, headers) => {
    const response = proxy(post(path, headers));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("never blocks safe methods or pages", () => {
    const url = new URL(`${DASHBOARD}/api/reports/rpt_1`);
    expect(checkCsrf("GET", url, new Headers({ origin: "https://evil.example" }), undefined)).toEqual({
      ok: true,
    });
    expect(checkCsrf("HEAD", url, new Headers(), undefined)).toEqual({ ok: true });
    expect(checkCsrf("POST", new URL(`${DASHBOARD}/signin`), new Headers(), undefined)).toEqual({ ok: true });
    expect(checkCsrf("DELETE", url, new Headers(), undefined).ok).toBe(false);
    expect(checkCsrf("PUT", url, new Headers({ origin: "https://evil.example" }), undefined).ok).toBe(false);
  });
});

describe("security headers (proxy)", () => {
  it("sets CSP, frame, sniffing, referrer and permissions headers on pages and API responses; no HSTS over http", () => {
    for (const path of ["/", "/overview", "/api/health"]) {
      const response = proxy(new NextRequest(`${DASHBOARD}${path}`));
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'self'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain("unsafe-eval");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("permissions-policy")).toContain("camera=()");
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("adds HSTS and upgrade-insecure-requests over https (directly or behind a TLS proxy)", () => {
    const direct = proxy(new NextRequest("https://app.junction.example/overview"));
    expect(direct.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    const forwarded = proxy(
      new NextRequest(`${DASHBOARD}/overview`, { headers: { "x-forwarded-proto": "https" } }),
    );
    expect(forwarded.headers.get("strict-transport-security")).toContain("max-age=63072000");
    expect(forwarded.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("allows eval and hot-reload sockets only in development", () => {
    expect(contentSecurityPolicy({ development: true, https: false })).toContain("'unsafe-eval'");
    expect(securityHeaders({ development: false, https: false })["content-security-policy"]).not.toContain(
      "ws:",
    );
  });
});
