import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { E2E, gatewayUrl } from "./env";

/**
 * Runs last (files run in name order, one worker): every line the gateway, worker, fake Stripe and dashboard wrote
 * during the whole e2e run (playwright.config.ts sends their output to e2e/logs/) is scanned for key-shaped
 * strings. The patterns are this file's own — deliberately not the logger's scrubber they are meant to check.
 */
const LOGS = fileURLToPath(new URL("logs/", import.meta.url));
const KEY_SHAPED: [string, RegExp][] = [
  ["Junction API key", /jk_(live|test)_[A-Za-z0-9]{16,}/],
  ["OpenAI/Anthropic-style key", /\bsk-[A-Za-z0-9_-]{16,}/],
  ["Stripe secret/restricted key", /\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/],
  ["Stripe webhook secret", /\bwhsec_[A-Za-z0-9+/=]{8,}/],
  ["bearer credential", /\bBearer\s+[A-Za-z0-9._~+/=-]{12,}/i],
  ["JWT / next-auth token", /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  ["one-time link token", /(token=|\/invite\/)[A-Za-z0-9._~-]{20,}/],
  ["NEXTAUTH_SECRET", /junction-e2e-secret-not-for-production/],
  ["Stripe webhook secret (e2e)", new RegExp(E2E.stripeWebhookSecret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))],
];

test("no server wrote a key-shaped string to its log during the run", async ({ request }) => {
  // Provoke the paths most likely to echo a credential: a well-formed but unknown key, in both header styles.
  const fakeKey = `jk_live_${"Zq9".repeat(12)}`;
  expect(
    (
      await request.get(`${gatewayUrl}/v1/credits`, { headers: { authorization: `Bearer ${fakeKey}` } })
    ).status(),
  ).toBe(401);
  expect(
    (
      await request.post(`${gatewayUrl}/v1/messages`, {
        headers: { "x-api-key": fakeKey, "content-type": "application/json" },
        data: { model: "x", max_tokens: 1, messages: [] },
      })
    ).status(),
  ).toBe(401);

  const files = readdirSync(LOGS).filter((name) => name.endsWith(".log"));
  expect(files.sort()).toEqual(["dashboard.log", "fake-stripe.log", "gateway.log", "worker.log"]);
  // Not vacuous: the servers did write to these files.
  expect(readFileSync(join(LOGS, "gateway.log"), "utf8")).toContain("listening on");
  expect(readFileSync(join(LOGS, "worker.log"), "utf8")).toContain("consuming queues");
  let lines = 0;
  const hits: string[] = [];
  for (const file of files) {
    for (const [index, line] of readFileSync(join(LOGS, file), "utf8").split("\n").entries()) {
      lines++;
      for (const [what, pattern] of KEY_SHAPED) {
        const match = pattern.exec(line);
        if (match) hits.push(`${file}:${index + 1}: ${what} (${match[0].slice(0, 12)}…)`);
      }
    }
  }
  test.info().annotations.push({ type: "log-scan", description: `${lines} lines in ${files.length} files` });
  expect(hits, `key-shaped strings in server logs:\n${hits.join("\n")}`).toEqual([]);
});
