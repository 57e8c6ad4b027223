import { createHmac } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { FakeStripe } from "./fake-stripe.js";
import type { StripePage } from "./fake-stripe-server.js";
import type { StripeJson } from "./fake-stripe-wire.js";

/** Where the hosted page delivers webhooks after a payment, as a Stripe account's webhook endpoint would. */
export type HostedCheckoutOptions = { webhookUrl: string; webhookSecret: string };

/** Stripe's `Stripe-Signature` header: `t=<unix>,v1=<HMAC-SHA256 of "t.payload" with the endpoint secret>`. */
function stripeSignatureHeader(payload: string, secret: string, now = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac("sha256", secret).update(`${now}.${payload}`).digest("hex");
  return `t=${now},v1=${signature}`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function html(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Fake Stripe Checkout</title></head><body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`,
  );
}

/**
 * The fake's hosted Checkout page, for browser tests: GET /pay/<session> shows the amount and a Pay button; paying
 * completes the session, delivers charge.succeeded, payment_intent.succeeded and checkout.session.completed to the
 * webhook endpoint (signed, in Stripe's order, waiting for each answer), then redirects to the session's
 * success_url. Cancel goes to its cancel_url. GET /health answers 200 (for test runners that wait on a URL).
 */
export function hostedCheckoutPage(
  options: HostedCheckoutOptions,
  sessions: Map<string, StripeJson>,
  complete: FakeStripe["completeCheckout"],
): StripePage {
  return async ({ method, url }, response) => {
    if (url.pathname === "/health") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"status":"ok"}');
      return true;
    }
    const match = /^\/pay\/([\w-]+)$/.exec(url.pathname);
    if (!match?.[1]) return false;
    const session = sessions.get(match[1]);
    if (!session) {
      html(response, 404, "<h1>No such checkout session</h1>");
      return true;
    }
    const amount = `${((session.amount_total as number) / 100).toFixed(2)} ${String(session.currency).toUpperCase()}`;
    if (method === "GET") {
      if (session.status !== "open") {
        html(response, 410, `<h1>This checkout session is ${escapeHtml(String(session.status))}</h1>`);
        return true;
      }
      const cancel = typeof session.cancel_url === "string" ? session.cancel_url : null;
      html(
        response,
        200,
        `<h1>Fake Stripe Checkout</h1><p>Pay <strong data-testid="checkout-amount">${escapeHtml(amount)}</strong> to Junction (test mode, no card needed).</p>
<form method="post"><button type="submit" style="font-size:1rem;padding:.6rem 1.2rem">Pay ${escapeHtml(amount)}</button></form>
${cancel ? `<p><a href="${escapeHtml(cancel)}">Cancel and return</a></p>` : ""}`,
      );
      return true;
    }
    if (method !== "POST") return false;
    const events = complete(match[1]);
    for (const event of [
      events.chargeSucceeded,
      events.paymentIntentSucceeded,
      events.checkoutSessionCompleted,
    ]) {
      const payload = JSON.stringify(event, null, 2);
      const delivered = await fetch(options.webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": stripeSignatureHeader(payload, options.webhookSecret),
        },
        body: payload,
      });
      if (!delivered.ok) {
        html(
          response,
          502,
          `<h1>Webhook delivery failed</h1><p>${delivered.status} ${escapeHtml(await delivered.text())}</p>`,
        );
        return true;
      }
    }
    const successUrl = String(session.success_url).replace("{CHECKOUT_SESSION_ID}", match[1]);
    response.writeHead(303, { location: successUrl });
    response.end();
    return true;
  };
}
