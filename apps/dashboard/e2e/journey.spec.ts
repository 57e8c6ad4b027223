import { expect, type Page, test } from "@playwright/test";
import { gatewayUrl } from "./env";

/**
 * The core journey against the real stack (dashboard + gateway + worker on a fresh database): sign up, create a
 * key, call the gateway with it, see the request and its cost, revoke the key, and watch the gateway refuse it.
 */
const screenshotDir = new URL("./screenshots/", import.meta.url);

async function snap(page: Page, name: string): Promise<void> {
  // Off the charts (recharts tooltips) and back to the top, so captures are stable.
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: new URL(`${name}.png`, screenshotDir).pathname, fullPage: true });
}

function chat(apiKey: string, stream: boolean): Promise<Response> {
  return fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "sandbox/junction-small",
      messages: [{ role: "user", content: "Hello from the Junction e2e test!" }],
      max_tokens: 64,
      stream,
      ...(stream && { stream_options: { include_usage: true } }),
    }),
  });
}

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("sign up → key → gateway call → activity and cost → revoke → 401", async ({ page }) => {
  test.setTimeout(120_000);
  const email = `e2e.${Date.now()}@example.com`;
  const password = "correct horse battery staple";

  // ── Sign up: an organization with starter credit, then straight to the overview.
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await snap(page, "signup");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/overview$/, { timeout: 20_000 });
  await expect(page.getByTestId("balance")).toHaveText("$1.00");
  await expect(page.getByTestId("active-organization")).toHaveText("Ada Lovelace's organization");
  await expect(page.getByRole("heading", { name: "Get started" })).toBeVisible();
  await expect(page.getByTestId("gateway-base-url")).toHaveText(`${gatewayUrl}/v1`);
  await snap(page, "overview-new");

  // ── API keys: empty state, create one with a limit, copy it from the page (shown once).
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
  await snap(page, "keys-empty");
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("E2E backend");
  await dialog.getByLabel("Credit limit").fill("5");
  await dialog.getByLabel("Limit resets").selectOption("monthly");
  await snap(page, "key-create");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = dialog.getByTestId("new-api-key");
  await expect(shown).toHaveText(/^jk_live_[0-9A-Za-z]{38}$/);
  await expect(dialog.getByRole("tabpanel").locator("code")).toContainText(
    `curl ${gatewayUrl}/v1/chat/completions`,
  );
  await dialog.getByRole("button", { name: "Copy key" }).click();
  await expect(dialog.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
  const apiKey = await page.evaluate(() => navigator.clipboard.readText());
  expect(apiKey).toBe(await shown.textContent());
  await expect(dialog.getByRole("tabpanel").locator("code")).toContainText(apiKey);
  await snap(page, "key-created");
  await dialog.getByRole("button", { name: "I have copied my key" }).click();
  const row = page.getByTestId("api-key-row").filter({ hasText: "E2E backend" });
  await expect(row).toContainText(`${apiKey.slice(0, 12)}…${apiKey.slice(-4)}`);
  await expect(row.getByTestId("api-key-status")).toHaveText("active");
  await expect(row).toContainText("$5.00 / month");
  await expect(page.getByText(apiKey)).toHaveCount(0);

  // ── Call the gateway with the copied key: one plain, one streamed request.
  const plain = await chat(apiKey, false);
  expect(plain.status).toBe(200);
  const completion = (await plain.json()) as { usage?: { prompt_tokens: number; completion_tokens: number } };
  expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  const streamed = await chat(apiKey, true);
  expect(streamed.status).toBe(200);
  expect(await streamed.text()).toContain("data: [DONE]");

  // ── Activity: both requests with their cost, once the worker has ingested them.
  await page.getByRole("link", { name: "Activity" }).click();
  await expect(page).toHaveURL(/\/activity$/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("activity-row")).toHaveCount(2, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const rows = page.getByTestId("activity-row");
  for (const cost of await rows.getByTestId("generation-cost").allTextContents()) {
    expect(cost).toMatch(/^\$0\.0000\d+$/);
  }
  await expect(rows.filter({ hasText: "Streamed" })).toHaveCount(1);
  await expect(rows.first()).toContainText("sandbox/junction-small");
  await expect(rows.first().getByTestId("generation-status")).toHaveText("success");
  await snap(page, "activity");

  await rows.first().getByRole("link").click();
  await expect(page.getByText("Matches the amount charged")).toBeVisible();
  await expect(page.getByText("sandbox:junction-small").first()).toBeVisible();
  await snap(page, "activity-detail");

  // ── Overview: the worker's rollups give today's spend and the chart a bar.
  await expect(async () => {
    await page.goto("/overview");
    await expect(page.getByTestId("spend-today")).not.toHaveText("$0.00", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("cost-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Get started" })).toHaveCount(0);
  await snap(page, "overview");

  // ── Credits: the starter credit and the usage debits; top-up explains Stripe is not configured.
  await page.getByRole("link", { name: "Credits" }).click();
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Promotional" })).toContainText("+$1.00");
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Usage" })).toHaveCount(2);
  await snap(page, "credits");
  await page.getByRole("button", { name: "Top up" }).click();
  await expect(page.getByTestId("stripe-not-configured")).toContainText("Stripe is not configured");
  await snap(page, "credits-top-up");
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();

  // ── Models and members.
  await page.getByRole("link", { name: "Models" }).click();
  await page.getByLabel("Search models").fill("junction");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("model-row").filter({ hasText: "sandbox/junction-small" })).toContainText(
    "$0.10",
  );
  await snap(page, "models");
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("cell", { name: email })).toBeVisible();
  await snap(page, "members");

  // ── Revoke: confirmed, shown as revoked, and the gateway answers 401 at once.
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Revoke E2E backend" }).click();
  await snap(page, "key-revoke");
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(
    page.getByTestId("api-key-row").filter({ hasText: "E2E backend" }).getByTestId("api-key-status"),
  ).toHaveText("revoked");
  await snap(page, "keys");
  await expect(async () => expect((await chat(apiKey, false)).status).toBe(401)).toPass({ timeout: 5_000 });

  // ── Sign out, and back in.
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${new URL(page.url()).origin}/`);
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId("active-organization")).toHaveText("Ada Lovelace's organization");
});
