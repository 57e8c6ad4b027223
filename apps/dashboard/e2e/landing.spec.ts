import { expect, test } from "@playwright/test";

// The server under test inherits this environment, so both sides agree on the gateway URL.
const gatewayUrl = (process.env.GATEWAY_URL?.trim() || "http://localhost:4000").replace(/\/+$/, "");
const screenshotDir = new URL("./screenshots/", import.meta.url);

test("landing page: headline, quickstart with the gateway URL, live API status", async ({ page }) => {
  await page.goto("/");

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "One API for every model. Exact money. Signed receipts.",
  );
  const header = page.getByRole("banner");
  await expect(header.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin");
  await expect(header.getByRole("link", { name: "Sign up" })).toHaveAttribute("href", "/signup");

  // Quickstart: the default (cURL) snippet targets the OpenAI-compatible base URL.
  const quickstart = page.locator("#quickstart");
  const visibleCode = quickstart.getByRole("tabpanel").locator("code");
  await expect(visibleCode).toContainText(`curl ${gatewayUrl}/v1/chat/completions`);
  await expect(visibleCode).toContainText("sandbox/junction-small");

  // Every SDK tab points at the right base URL.
  const tabs = quickstart.getByRole("tab");
  const expectations: ReadonlyArray<readonly [string, string]> = [
    ["OpenAI · TypeScript", `baseURL: "${gatewayUrl}/v1"`],
    ["OpenAI · Python", `base_url="${gatewayUrl}/v1"`],
    ["Anthropic · TypeScript", `baseURL: "${gatewayUrl}"`],
  ];
  for (const [tab, text] of expectations) {
    await tabs.filter({ hasText: tab }).click();
    await expect(quickstart.getByRole("tabpanel").locator("code")).toContainText(text);
  }
  await tabs.filter({ hasText: "cURL" }).click();

  // Footer status comes from the tRPC `health` query (client → /api/trpc → appRouter, superjson Date revived).
  const status = page.getByTestId("api-status");
  await expect(status).toHaveAttribute("data-state", "up");
  await expect(status).toContainText("Dashboard API operational");
  await expect(status).toContainText(/checked \d{2}:\d{2}:\d{2}/);

  // Back to the top so the sticky header sits where it belongs in the full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.screenshot({ path: new URL("landing.png", screenshotDir).pathname, fullPage: true });
});

test("health endpoint answers ok", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.ok()).toBe(true);
  expect(await response.json()).toEqual({ status: "ok" });
});

for (const path of ["/signin", "/signup"] as const) {
  test(`${path} placeholder renders`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByText("Coming soon")).toBeVisible();
    await page.screenshot({ path: new URL(`${path.slice(1)}.png`, screenshotDir).pathname, fullPage: true });
  });
}
