import { readFile } from "node:fs/promises";
import { expect, type Page } from "@playwright/test";
import { E2E } from "./env";

const screenshotDir = new URL("./screenshots/", import.meta.url);
export const PHONE = { width: 390, height: 844 } as const;

async function capture(page: Page, name: string, fullPage: boolean): Promise<void> {
  // Off the charts (recharts tooltips) and back to the top, so captures are stable.
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: new URL(`${name}.png`, screenshotDir).pathname, fullPage });
}

/**
 * A screenshot at the desktop width and another at a phone width (390×844), as `<name>[-phone].png`: the full page,
 * or just the viewport for modal dialogs (whose backdrop covers only the viewport).
 */
export async function snap(page: Page, name: string, options: { dialog?: boolean } = {}): Promise<void> {
  const desktop = page.viewportSize();
  const fullPage = !options.dialog;
  await capture(page, name, fullPage);
  await page.setViewportSize(PHONE);
  // Nothing may widen the page beyond a phone's width (wide content scrolls inside its own box).
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
      message: `${name}: page wider than ${PHONE.width}px at phone width`,
    })
    .toBeLessThanOrEqual(PHONE.width);
  await capture(page, `${name}-phone`, fullPage);
  if (desktop) await page.setViewportSize(desktop);
}

/** The newest link to `path` mailed to `to`, from the development mailbox (polled: mail is written by the server). */
export async function mailedLink(to: string, path: string): Promise<string> {
  let link = "";
  await expect
    .poll(
      async () => {
        const text = await readFile(E2E.mailbox, "utf8").catch(() => "");
        const entries = text.split("----- ").filter((entry) => entry.includes(`To: ${to}\n`));
        const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const match = entries.at(-1)?.match(new RegExp(`https?://\\S+${escaped}\\S*`));
        link = match?.[0] ?? "";
        return link;
      },
      { timeout: 15_000, message: `a ${path} link mailed to ${to}` },
    )
    .not.toBe("");
  return link;
}

/** Signs up through the form and waits for the dashboard (or `landing`). */
export async function signUp(
  page: Page,
  person: { name: string; email: string; password: string },
  landing: RegExp = /\/overview$/,
): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Work email").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(landing, { timeout: 20_000 });
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${new URL(page.url()).origin}/`);
}
