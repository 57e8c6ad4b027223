import { expect, test } from "@playwright/test";
import { gatewayUrl, stripeUrl } from "./env";
import { signIn, signOut, signUp, snap } from "./helpers";

/**
 * The core journey against the real stack (dashboard + gateway + worker + fake Stripe on a fresh database): sign
 * up, create a key, call the gateway with it, see the request and its cost in the log and the charts, top up
 * through Stripe Checkout, store a BYOK key and preview routing, revoke the key, and watch the gateway refuse it.
 */
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

test("sign up → key → gateway call → activity, charts and cost → Stripe top-up → revoke → 401", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const email = `e2e.${Date.now()}@example.com`;
  const password = "correct horse battery staple";

  // ── Sign up: an organization with starter credit, then straight to the overview.
  await page.goto("/signup");
  await snap(page, "signup");
  await signUp(page, { name: "Ada Lovelace", email, password });
  await expect(page.getByTestId("balance")).toHaveText("$1.00");
  await expect(page.getByTestId("active-organization")).toHaveText("Ada Lovelace's organization");
  await expect(page.getByRole("heading", { name: "Get started" })).toBeVisible();
  await expect(page.getByTestId("gateway-base-url")).toHaveText(`${gatewayUrl}/v1`);
  await expect(page.getByTestId("verify-email-banner")).toContainText(email);
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
  await snap(page, "key-create", { dialog: true });
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
  await snap(page, "key-created", { dialog: true });
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
  // The receipt is checked against the key the gateway publishes, as a customer would.
  await expect(page.getByTestId("receipt-verified")).toBeVisible();
  await expect(page.getByText("sandbox:junction-small").first()).toBeVisible();
  await snap(page, "activity-detail");

  // ── Overview: the worker's rollups give today's spend and the chart bars, by model, key and provider.
  await expect(async () => {
    await page.goto("/overview");
    await expect(page.getByTestId("spend-today")).not.toHaveText("$0.00", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("cost-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Get started" })).toHaveCount(0);
  await expect(page.getByTestId("spend-groups")).toContainText("sandbox/junction-small");
  await snap(page, "overview");
  const groupBy = page.getByRole("navigation", { name: "Group spend by" });
  const range = page.getByRole("navigation", { name: "Date range" });
  await groupBy.getByRole("link", { name: "API key" }).click();
  await expect(page.getByRole("heading", { name: "Spend by API key" })).toBeVisible();
  await expect(page.getByTestId("spend-groups")).toContainText("E2E backend");
  await groupBy.getByRole("link", { name: "Provider" }).click();
  await expect(page.getByTestId("spend-groups")).toContainText("sandbox");
  await range.getByRole("link", { name: "24h" }).click();
  await expect(page).toHaveURL(/range=24h&by=provider/);
  await expect(page.getByTestId("cost-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await snap(page, "overview-24h-by-provider");
  await range.getByRole("link", { name: "Custom" }).click();
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel("From (UTC)").fill(today);
  await page.getByLabel("To (UTC)").fill(today);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(new RegExp(`range=custom.*from=${today}&to=${today}`));
  await expect(page.getByTestId("spend-groups")).toContainText("sandbox");
  await snap(page, "overview-custom");

  // ── Credits: the starter credit and the usage debits; top up $25 through (fake) Stripe Checkout.
  await page.getByRole("link", { name: "Credits" }).click();
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Promotional" })).toContainText("+$1.00");
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Usage" })).toHaveCount(2);
  await snap(page, "credits");
  await page.getByRole("button", { name: "Top up" }).click();
  await page.getByRole("dialog").getByTestId("top-up-preset-25").click();
  await snap(page, "credits-top-up", { dialog: true });
  await page.getByRole("dialog").getByRole("button", { name: "Continue to payment" }).click();
  await expect(page).toHaveURL(new RegExp(`^${stripeUrl}/pay/cs_test_`));
  await expect(page.getByTestId("checkout-amount")).toHaveText("25.00 USD");
  await snap(page, "stripe-checkout");
  await page.getByRole("button", { name: "Pay 25.00 USD" }).click();
  await expect(page).toHaveURL(/\/credits\?topup=success$/);
  await expect(page.getByRole("status").filter({ hasText: "Payment received" })).toBeVisible();
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Top-up" })).toContainText("+$25.00");
  await snap(page, "credits-topped-up");
  await page.goto("/overview");
  await expect(page.getByTestId("balance")).toHaveText(/^\$25\.\d+$/);

  // ── Models and members.
  await page.getByRole("link", { name: "Models" }).click();
  // What can be called here (this stack's gateway has only the sandbox); the rest of the catalog on request, marked.
  await page.getByLabel("Search models").fill("gpt-4o-mini");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No models match")).toBeVisible();
  await page.getByLabel("Include models not callable here").check();
  await page.getByRole("button", { name: "Filter" }).click();
  // Sorted by id: openai/gpt-4o-mini first, before its dated and preview variants.
  await expect(page.getByTestId("model-row").first()).toContainText("openai/gpt-4o-mini");
  await expect(page.getByTestId("model-row").first()).toContainText("Not configured");
  await page.getByLabel("Search models").fill("junction");
  await page.getByLabel("Include models not callable here").uncheck();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("model-row").filter({ hasText: "sandbox/junction-small" })).toContainText(
    "$0.10",
  );
  await snap(page, "models");
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("cell", { name: email })).toBeVisible();
  await expect(page.getByText("No pending invitations")).toBeVisible();
  await snap(page, "members");

  // ── Settings: a BYOK key (shown never again: only its last 4), and the routing preview of a draft policy.
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("provider-keys-empty")).toBeVisible();
  const byokSecret = "sk-e2e-byok-secret-0123456789WXYZ";
  await page.locator("#byok-provider").selectOption("openai");
  await page.locator("#byok-label").fill("Production OpenAI");
  await page.locator("#byok-secret").fill(byokSecret);
  await page.getByRole("button", { name: "Add key" }).click();
  const byokRow = page.getByTestId("provider-key-row").filter({ hasText: "Production OpenAI" });
  await expect(byokRow).toContainText("…WXYZ");
  await expect(page.getByText(byokSecret)).toHaveCount(0);
  await expect(page.locator("#byok-secret")).toHaveValue("");
  await page.getByLabel("Rules (JSON)").fill('{ "denyProviders": ["sandbox"] }');
  await page.getByRole("button", { name: "Explain routing" }).click();
  const explained = page.getByTestId("routing-explain-result");
  await expect(explained).toContainText('policy "draft": provider sandbox is denied');
  await page.getByLabel("Apply the draft rules").uncheck();
  await page.getByRole("button", { name: "Explain routing" }).click();
  await expect(explained.getByTestId("route-candidate")).toHaveCount(1);
  await expect(explained.getByTestId("route-candidate")).toContainText("sandbox:junction-small");
  await snap(page, "settings");
  await page.getByRole("button", { name: "Revoke openai key Production OpenAI" }).click();
  await expect(page.getByTestId("provider-keys-empty")).toBeVisible();

  // ── Dark mode: the toggle sets it (kept across reloads), and the system preference is followed otherwise.
  await page
    .locator("label")
    .filter({ hasText: /^Dark$/ })
    .click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await snap(page, "settings-dark");
  await page.goto("/overview");
  await snap(page, "overview-dark");
  await page
    .locator("label")
    .filter({ hasText: /^System$/ })
    .click();
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.goto("/credits");
  await snap(page, "credits-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // ── Revoke: confirmed, shown as revoked, and the gateway answers 401 at once.
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Revoke E2E backend" }).click();
  await snap(page, "key-revoke", { dialog: true });
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(
    page.getByTestId("api-key-row").filter({ hasText: "E2E backend" }).getByTestId("api-key-status"),
  ).toHaveText("revoked");
  await snap(page, "keys");
  await expect(async () => expect((await chat(apiKey, false)).status).toBe(401)).toPass({ timeout: 5_000 });

  // ── Sign out, and back in.
  await signOut(page);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId("active-organization")).toHaveText("Ada Lovelace's organization");
});
