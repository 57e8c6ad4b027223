import { expect, test } from "@playwright/test";
import { gatewayUrl } from "./env";
import { snap } from "./helpers";

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
  await snap(page, "landing");
});

test("docs: the API reference is rendered from the gateway's OpenAPI document", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("banner").getByRole("link", { name: "Docs" }).click();
  await expect(page).toHaveURL(/\/docs$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Junction API");
  const operation = page.locator("#post-v1-chat-completions");
  await expect(operation).toContainText("/v1/chat/completions");
  await expect(operation).toContainText("messages");
  await expect(operation).toContainText("402");
  await expect(page.locator("#schema-chatcompletionrequest")).toBeVisible();
  await snap(page, "docs");
});

test("health endpoint answers ok", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.ok()).toBe(true);
  expect(await response.json()).toEqual({ status: "ok" });
});

test("sign-up shows validation errors inline, next to their fields", async ({ page }) => {
  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#name-error")).toHaveText("Enter your name");
  await expect(page.locator("#email-error")).toHaveText("Enter a valid email address");
  await expect(page.locator("#password-error")).toHaveText("Use at least 10 characters");
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
  await page.mouse.move(0, 0);
  await snap(page, "signup-errors");
});

test("sign-in refuses a wrong password and says so", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByLabel("Password", { exact: true }).fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await page.mouse.move(0, 0);
  await snap(page, "signin");
});

test("signed-out visitors are sent to sign in", async ({ page }) => {
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/signin/);
});
