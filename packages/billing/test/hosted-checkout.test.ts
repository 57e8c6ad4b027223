import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createStripeClient, createTopUpCheckout, handleStripeWebhook } from "@junction/billing";
import { createOrganization, ledgerBalance } from "@junction/db";
import { createTestDatabase, type FakeStripe, startFakeStripe, type TestDatabase } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_SECRET } from "./stripe-harness.js";

/** The fake's hosted Checkout page (used by the dashboard's browser test) against the real webhook handler. */
let database: TestDatabase;
let fake: FakeStripe;
let receiver: ReturnType<typeof createServer>;
const outcomes: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const stripe = createStripeClient({ STRIPE_SECRET_KEY: "sk_test_junction", STRIPE_API_BASE: fake.url });
      handleStripeWebhook(
        database.db,
        stripe,
        Buffer.concat(chunks).toString("utf8"),
        String(request.headers["stripe-signature"] ?? ""),
        WEBHOOK_SECRET,
      ).then(
        (result) => {
          outcomes.push(result.outcome);
          response.writeHead(200).end("{}");
        },
        (error: unknown) => response.writeHead(400).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
  fake = await startFakeStripe({ hostedCheckout: { webhookUrl, webhookSecret: WEBHOOK_SECRET } });
});
afterAll(async () => {
  await fake?.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await database?.drop();
});

describe("fake Stripe hosted Checkout", () => {
  it("shows the amount, pays, delivers signed webhooks the real handler accepts, and returns to success_url", async () => {
    const { db } = database;
    const stripe = createStripeClient({ STRIPE_SECRET_KEY: "sk_test_junction", STRIPE_API_BASE: fake.url });
    const organizationId = (await createOrganization(db, { name: "Hosted Co" })).id;
    const checkout = await createTopUpCheckout(db, stripe, {
      organizationId,
      amountUsd: "12.50",
      successUrl: "https://app.example/credits?topup=success",
      cancelUrl: "https://app.example/credits?topup=cancelled",
    });
    const page = await fetch(checkout.url);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain("12.50 USD");
    expect(text).toContain('href="https://app.example/credits?topup=cancelled"');

    const paid = await fetch(checkout.url, { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe("https://app.example/credits?topup=success");
    expect(outcomes).toHaveLength(3);
    expect(await ledgerBalance(db, organizationId)).toBe(12_500_000_000n);
    // Paid sessions are not payable again.
    expect((await fetch(checkout.url)).status).toBe(410);
    expect((await fetch(`${fake.url}/health`)).status).toBe(200);
  });
});
