import { expect, test } from "@playwright/test";
import { mailedLink, signIn, signOut, signUp, snap } from "./helpers";

/**
 * Account flows that go through email (the development mailbox): confirming the address, inviting a teammate who
 * signs up from the link and joins with the invited role, and resetting a forgotten password — which signs the
 * account out everywhere.
 */
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("verify email → invite a teammate who signs up and joins → reset a password (other sessions end)", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const owner = {
    name: "Grace Hopper",
    email: `grace.${stamp}@example.com`,
    password: "first password 1234",
  };
  const teammate = {
    name: "Bob Builder",
    email: `bob.${stamp}@example.com`,
    password: "teammate password 99",
  };

  // ── Email verification: the link from the mailbox, one click to confirm, the banner goes away.
  await signUp(page, owner);
  await expect(page.getByTestId("verify-email-banner")).toBeVisible();
  const verifyLink = await mailedLink(owner.email, "/verify-email?token=");
  await page.goto(verifyLink);
  await snap(page, "verify-email");
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await expect(page.getByTestId("email-verified")).toBeVisible();
  await page.goto(verifyLink);
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "invalid, expired or already used" })).toBeVisible();
  await page.goto("/overview");
  await expect(page.getByTestId("verify-email-banner")).toHaveCount(0);

  // ── Invitation: the owner invites by email; the link is shown, mailed, and listed as pending.
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email address").fill(teammate.email);
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const inviteLink = (await page.getByTestId("invitation-link").textContent()) ?? "";
  expect(inviteLink).toMatch(/\/invite\/[\w-]{43}$/);
  expect(await mailedLink(teammate.email, "/invite/")).toBe(inviteLink);
  const pending = page.getByTestId("invitation-row").filter({ hasText: teammate.email });
  await expect(pending).toContainText("member");
  await pending.getByRole("button", { name: `Copy invitation link for ${teammate.email}` }).click();
  await expect(pending.getByRole("status")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(inviteLink);
  await snap(page, "members-invited");

  // Another browser stays signed in as the owner, to see that a password reset ends it.
  const otherDevice = await browser.newContext();
  const otherPage = await otherDevice.newPage();
  await signIn(otherPage, owner.email, owner.password);
  await expect(otherPage).toHaveURL(/\/overview$/);
  await signOut(page);

  // ── The teammate opens the link signed out, creates an account with the invited address, and joins.
  await page.goto(inviteLink);
  await expect(page.getByRole("heading", { name: "Join Grace Hopper's organization" })).toBeVisible();
  await snap(page, "invite");
  await page.getByRole("link", { name: "Create an account to accept" }).click();
  await expect(page.getByLabel("Work email")).toHaveValue(teammate.email);
  await page.getByLabel("Name").fill(teammate.name);
  await page.getByLabel("Password", { exact: true }).fill(teammate.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/invite\//, { timeout: 20_000 });
  await snap(page, "invite-signed-in");
  await page.getByRole("button", { name: "Join Grace Hopper's organization" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId("active-organization")).toHaveText("Grace Hopper's organization");
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByTestId("member-row").filter({ hasText: teammate.email })).toContainText("member");
  // Members see no invite form: only owners manage people.
  await expect(page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await signOut(page);

  // ── Password reset: same answer for any address; the mailed link sets a new password once.
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await snap(page, "forgot-password");
  await page.getByLabel("Email").fill("nobody-here@example.com");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("reset-requested")).toContainText("If an account exists");
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("reset-requested")).toContainText("If an account exists");
  const resetLink = await mailedLink(owner.email, "/reset-password?token=");
  await page.goto(resetLink);
  await snap(page, "reset-password");
  const newPassword = "second password 5678";
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "signed out everywhere" })).toBeVisible();

  // The other browser's session has ended.
  await otherPage.goto("/overview");
  await expect(otherPage).toHaveURL(/\/signin/);
  await otherDevice.close();

  // The link works once; the old password no longer does; the new one does.
  await page.goto(resetLink);
  await page.getByLabel("New password", { exact: true }).fill("third password 0000");
  await page.getByLabel("Repeat the new password").fill("third password 0000");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "invalid, expired or already used" })).toBeVisible();
  await signIn(page, owner.email, owner.password);
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await signIn(page, owner.email, newPassword);
  await expect(page).toHaveURL(/\/overview$/);
});
