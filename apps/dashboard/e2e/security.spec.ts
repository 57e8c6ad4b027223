import { expect, test } from "@playwright/test";
import { dashboardUrl, stripeUrl } from "./env";
import { signIn, signUp } from "./helpers";

/**
 * Dashboard hardening on the production build: security headers, CSRF refusal of cross-site API posts, session
 * revocation across two browsers, custom endpoints (SSRF-refused addresses), the audit log page and its CSV.
 */
test("security headers on pages and API responses", async ({ request }) => {
  for (const path of ["/", "/signin", "/api/health"]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("default-src 'self'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    // Plain http here: no HSTS (it is sent when the dashboard is reached over https).
    expect(headers["strict-transport-security"]).toBeUndefined();
  }
});

test("a page that does not exist is a branded 404 with a way back, and the site has its icon", async ({
  page,
}) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the overview" })).toHaveAttribute("href", "/overview");
  const icon = await page.request.get(
    (await page.locator('link[rel="icon"]').first().getAttribute("href")) ?? "/missing",
  );
  expect(icon.status()).toBe(200);
});

test("cross-site posts to the API are refused before any handler runs", async ({ request }) => {
  const body = { 0: { json: { name: "forged" } } };
  const forged = await request.post("/api/trpc/apiKeys.create?batch=1", {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: body,
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain("Cross-site request refused");
  // The same request from the dashboard's own origin reaches tRPC (and is refused there: nobody is signed in).
  const sameOrigin = await request.post("/api/trpc/apiKeys.create?batch=1", {
    headers: { origin: dashboardUrl, "content-type": "application/json" },
    data: body,
  });
  expect(sameOrigin.status()).toBe(401);
});

test("sign out other sessions; custom endpoints refuse internal addresses; every change is in the audit log", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const person = {
    name: "Sec Admin",
    email: `sec.${Date.now()}@example.com`,
    password: "secure password 123",
  };
  await signUp(page, person);

  // A second browser signs in to the same account…
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, person.email, person.password);
  await expect(otherPage).toHaveURL(/\/overview$/, { timeout: 20_000 });

  // …and the first signs it out from the account page.
  await page.goto("/account");
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await expect(page.getByText("This session")).toHaveCount(1);
  await page.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed out 1 other session" })).toBeVisible();
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  await otherPage.goto("/overview");
  await expect(otherPage).toHaveURL(/\/signin/, { timeout: 20_000 });
  await other.close();
  // This session still works.
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/overview$/);

  // Custom endpoints: a loopback address is refused when saving; a public one is accepted and can be removed.
  await page.goto("/settings");
  await page.locator("#custom-endpoint-name").fill("internal");
  await page.locator("#custom-endpoint-url").fill("https://127.0.0.1/v1");
  await page.locator("#custom-endpoint-models").fill("llama");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText(/not public \(loopback\)/)).toBeVisible();
  await page.locator("#custom-endpoint-name").fill("acme");
  await page.locator("#custom-endpoint-url").fill("https://93.184.216.34/v1");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("custom-endpoint-row")).toHaveCount(1);
  await expect(page.getByTestId("custom-endpoint-row").getByText("custom/acme/llama")).toBeVisible();
  await page.getByTestId("custom-endpoint-row").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("custom-endpoint-row")).toHaveCount(0);

  // Per-key rate limits: set when creating a key, changed later; the key's row shows them.
  await page.goto("/keys");
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Limited key");
  await dialog.getByLabel("Requests / minute").fill("60");
  await dialog.getByLabel("Concurrent requests").fill("0");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Use a number above 0")).toBeVisible();
  await dialog.getByLabel("Concurrent requests").fill("4");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByTestId("new-api-key")).toHaveText(/^jk_live_/);
  await dialog.getByTestId("close-new-key").click();
  await expect(page.getByTestId("api-key-rate-limits")).toHaveText("60 rpm · 4 concurrent");
  await page.getByRole("button", { name: "Edit Limited key" }).click();
  const edit = page.getByRole("dialog");
  await edit.getByLabel("Requests / minute").fill("120");
  await edit.getByLabel("Tokens / minute").fill("40000");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("api-key-rate-limits")).toHaveText("120 rpm · 40,000 tpm · 4 concurrent");
  // …and its credit limit, which the key was created without.
  await page.getByRole("button", { name: "Edit Limited key" }).click();
  await page.getByRole("dialog").getByLabel("Credit limit").fill("5");
  await page.getByRole("dialog").getByLabel("Limit resets").selectOption("weekly");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Limited key" })).toContainText("$5.00");

  // The audit log shows both changes (and the sign-up's organization), filterable and exportable.
  await page.goto("/audit?action=custom_endpoint.");
  await expect(page.getByTestId("audit-row")).toHaveCount(2);
  await expect(page.getByTestId("audit-row").first()).toContainText("custom_endpoint.remove");
  await page.goto("/audit?action=api_key.update");
  await expect(page.getByTestId("audit-row")).toHaveCount(2);
  await expect(page.getByTestId("audit-row").last()).toContainText("rateLimitRpm: 60 → 120");
  await expect(page.getByTestId("audit-row").first()).toContainText("creditLimit: — → $5.00");
  const csv = await page.request.get("/api/audit/export?action=custom_endpoint.");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain("custom_endpoint.remove");
  expect(lines[2]).toContain("custom_endpoint.create");

  // Billing in the audit log: the admin starting a top-up, and Stripe's webhook crediting it (no user actor).
  await page.goto("/credits");
  await page.getByRole("button", { name: "Top up" }).click();
  await page.getByRole("dialog").getByTestId("top-up-preset-25").click();
  await page.getByRole("dialog").getByRole("button", { name: "Continue to payment" }).click();
  await expect(page).toHaveURL(new RegExp(`^${stripeUrl}/pay/cs_test_`));
  await page.getByRole("button", { name: "Pay 25.00 USD" }).click();
  await expect(page).toHaveURL(/\/credits\?topup=success$/);
  await page.goto("/audit?action=billing.");
  await expect(page.getByTestId("audit-row")).toHaveCount(2);
  await expect(page.getByTestId("audit-row").first()).toContainText("billing.top_up_credited");
  await expect(page.getByTestId("audit-row").last()).toContainText("billing.top_up_started");
});
