import { type HostedCheckoutOptions, hostedCheckoutPage } from "./fake-stripe-checkout.js";
import {
  FAKE_STRIPE_API_VERSION,
  type FakeStripeRequest,
  type StripeRoute,
  serveStripeApi,
} from "./fake-stripe-server.js";
import {
  invalid,
  metadataOf,
  missing,
  requireAmount,
  requireString,
  StripeApiError,
  type StripeJson,
  stripeId,
  stripeList,
  unixNow,
} from "./fake-stripe-wire.js";

export type { HostedCheckoutOptions } from "./fake-stripe-checkout.js";
export { FAKE_STRIPE_API_VERSION, type FakeStripeRequest } from "./fake-stripe-server.js";
export type { StripeJson } from "./fake-stripe-wire.js";

export type FakeStripe = {
  /** Host/port/protocol for `new Stripe(key, { host, port, protocol })`, or STRIPE_API_BASE. */
  url: string;
  requests: FakeStripeRequest[];
  customers: Map<string, StripeJson>;
  checkoutSessions: Map<string, StripeJson>;
  paymentIntents: Map<string, StripeJson>;
  charges: Map<string, StripeJson>;
  refunds: Map<string, StripeJson>;
  /** Every event the fake has emitted, oldest first. */
  events: StripeJson[];
  /** Off-session confirmations fail with Stripe's card_declined error while this is set. */
  declineCards: boolean;
  /**
   * The customer pays: the session completes, a PaymentIntent and Charge succeed (carrying the session's
   * payment_intent_data.metadata), the card is saved when setup_future_usage was asked for. Returns the events
   * Stripe would deliver, in Stripe's order.
   */
  completeCheckout(sessionId: string): {
    checkoutSessionCompleted: StripeJson;
    paymentIntentSucceeded: StripeJson;
    chargeSucceeded: StripeJson;
  };
  /** Refunds (part of) a payment; returns the `charge.refunded` event. */
  refund(paymentIntentId: string, amountCents?: number): { refund: StripeJson; chargeRefunded: StripeJson };
  /** Wraps an object in an event envelope (`evt_…`) exactly as webhooks deliver it. */
  event(type: string, object: StripeJson): StripeJson;
  close(): Promise<void>;
};

/**
 * Starts the fake on a random port (or `port`). With `hostedCheckout`, Checkout sessions get a working hosted page
 * at their `url` that pays and delivers the webhooks (browser tests).
 */
export async function startFakeStripe(
  options: { port?: number; hostedCheckout?: HostedCheckoutOptions } = {},
): Promise<FakeStripe> {
  const customers = new Map<string, StripeJson>();
  const paymentMethods = new Map<string, StripeJson[]>();
  const checkoutSessions = new Map<string, StripeJson>();
  const paymentIntents = new Map<string, StripeJson>();
  const charges = new Map<string, StripeJson>();
  const refunds = new Map<string, StripeJson>();
  const requests: FakeStripeRequest[] = [];
  const events: StripeJson[] = [];
  let baseUrl = "";

  const get = <T extends StripeJson>(map: Map<string, T>, kind: string, id: string): T => {
    const found = map.get(id);
    if (!found) throw missing(kind, id);
    return found;
  };

  function event(type: string, object: StripeJson): StripeJson {
    const created: StripeJson = {
      id: stripeId("evt"),
      object: "event",
      api_version: FAKE_STRIPE_API_VERSION,
      created: unixNow(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    events.push(created);
    return created;
  }

  function attachCard(customerId: string): StripeJson {
    const card: StripeJson = {
      id: stripeId("pm"),
      object: "payment_method",
      type: "card",
      card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 },
      customer: customerId,
      created: unixNow(),
      livemode: false,
    };
    paymentMethods.set(customerId, [...(paymentMethods.get(customerId) ?? []), card]);
    return card;
  }

  function succeed(intent: StripeJson): StripeJson {
    const charge: StripeJson = {
      id: stripeId("ch"),
      object: "charge",
      amount: intent.amount,
      amount_captured: intent.amount,
      amount_refunded: 0,
      captured: true,
      currency: intent.currency,
      customer: intent.customer,
      metadata: intent.metadata,
      paid: true,
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      refunded: false,
      status: "succeeded",
      created: unixNow(),
      livemode: false,
    };
    charges.set(charge.id as string, charge);
    Object.assign(intent, { status: "succeeded", amount_received: intent.amount, latest_charge: charge.id });
    return charge;
  }

  function newIntent(fields: StripeJson): StripeJson {
    const intent: StripeJson = {
      id: stripeId("pi"),
      object: "payment_intent",
      amount_received: 0,
      latest_charge: null,
      payment_method: null,
      status: "requires_payment_method",
      created: unixNow(),
      livemode: false,
      ...fields,
    };
    paymentIntents.set(intent.id as string, intent);
    return intent;
  }

  function createRefund(body: StripeJson): StripeJson {
    const intentId = typeof body.payment_intent === "string" ? body.payment_intent : undefined;
    const chargeId = intentId
      ? (get(paymentIntents, "payment_intent", intentId).latest_charge as string | null)
      : requireString(body, "charge");
    if (!chargeId) throw invalid("This PaymentIntent has no successful charge to refund.", "payment_intent");
    const charge = get(charges, "charge", chargeId);
    const remaining = (charge.amount as number) - (charge.amount_refunded as number);
    const amount = body.amount === undefined ? remaining : requireAmount(body.amount, "amount");
    if (amount > remaining) {
      throw invalid(`Refund amount ($${amount / 100}) is greater than unrefunded amount on charge`, "amount");
    }
    const refund: StripeJson = {
      id: stripeId("re"),
      object: "refund",
      amount,
      charge: chargeId,
      currency: charge.currency,
      payment_intent: charge.payment_intent,
      metadata: metadataOf(body.metadata),
      status: "succeeded",
      created: unixNow(),
    };
    refunds.set(refund.id as string, refund);
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return refund;
  }

  const routes: Record<string, StripeRoute> = {
    "POST /v1/customers": (body) => {
      const customer: StripeJson = {
        id: stripeId("cus"),
        object: "customer",
        name: body.name ?? null,
        email: body.email ?? null,
        metadata: metadataOf(body.metadata),
        invoice_settings: { default_payment_method: null },
        created: unixNow(),
        livemode: false,
      };
      customers.set(customer.id as string, customer);
      return customer;
    },
    "GET /v1/customers/:id": (_, [id = ""]) => get(customers, "customer", id),
    "GET /v1/customers/:id/payment_methods": (_, [id = ""]) => {
      get(customers, "customer", id);
      return stripeList(`/v1/customers/${id}/payment_methods`, paymentMethods.get(id) ?? []);
    },
    "POST /v1/checkout/sessions": (body) => {
      if (body.mode !== "payment") throw invalid("The fake supports mode=payment only.", "mode");
      const customer = typeof body.customer === "string" ? get(customers, "customer", body.customer) : null;
      const items = (Array.isArray(body.line_items) ? body.line_items : []) as StripeJson[];
      if (!items.length) throw invalid("Missing required param: line_items.", "line_items");
      let total = 0;
      let currency = "";
      for (const item of items) {
        const price = (item.price_data ?? {}) as StripeJson;
        currency = requireString(price, "currency");
        total +=
          requireAmount(price.unit_amount, "line_items[0][price_data][unit_amount]") *
          Number(item.quantity ?? 1);
      }
      const id = stripeId("cs_test");
      const session: StripeJson = {
        id,
        object: "checkout.session",
        mode: "payment",
        status: "open",
        payment_status: "unpaid",
        amount_subtotal: total,
        amount_total: total,
        currency,
        customer: customer?.id ?? null,
        client_reference_id: body.client_reference_id ?? null,
        metadata: metadataOf(body.metadata),
        payment_intent: null,
        success_url: requireString(body, "success_url"),
        cancel_url: body.cancel_url ?? null,
        url: `${baseUrl}/pay/${id}`,
        created: unixNow(),
        expires_at: unixNow() + 86_400,
        livemode: false,
      };
      // Kept aside like Stripe does: applied to the PaymentIntent the session creates when the customer pays.
      Object.defineProperty(session, "paymentIntentData", {
        value: body.payment_intent_data ?? {},
        enumerable: false,
      });
      checkoutSessions.set(id, session);
      return session;
    },
    "GET /v1/checkout/sessions/:id": (_, [id = ""]) => get(checkoutSessions, "checkout.session", id),
    "POST /v1/payment_intents": (body) => {
      const customerId = typeof body.customer === "string" ? body.customer : null;
      if (customerId) get(customers, "customer", customerId);
      const intent = newIntent({
        amount: requireAmount(body.amount, "amount"),
        currency: requireString(body, "currency"),
        customer: customerId,
        metadata: metadataOf(body.metadata),
        payment_method: body.payment_method ?? null,
        status: body.payment_method ? "requires_confirmation" : "requires_payment_method",
      });
      if (body.confirm === "true") {
        const method = (paymentMethods.get(customerId ?? "") ?? []).find(
          (pm) => pm.id === body.payment_method,
        );
        if (!method)
          throw invalid(`No such PaymentMethod: '${String(body.payment_method)}'`, "payment_method");
        if (state.declineCards) {
          intent.status = "requires_payment_method";
          throw new StripeApiError(402, {
            type: "card_error",
            code: "card_declined",
            decline_code: "generic_decline",
            message: "Your card was declined.",
            payment_intent: intent,
          });
        }
        event("charge.succeeded", succeed(intent));
        event("payment_intent.succeeded", intent);
      }
      return intent;
    },
    "GET /v1/payment_intents/:id": (_, [id = ""]) => get(paymentIntents, "payment_intent", id),
    "POST /v1/refunds": (body) => createRefund(body),
    "GET /v1/refunds": (_, __, query) => {
      const charge = query.get("charge");
      const data = [...refunds.values()].filter((refund) => !charge || refund.charge === charge).reverse();
      return stripeList("/v1/refunds", data);
    },
  };

  const hosted = options.hostedCheckout;
  const server = await serveStripeApi(routes, requests, {
    ...(options.port !== undefined && { port: options.port }),
    ...(hosted && {
      page: hostedCheckoutPage(hosted, checkoutSessions, (sessionId) => state.completeCheckout(sessionId)),
    }),
  });
  baseUrl = server.url;

  const state: FakeStripe = {
    url: baseUrl,
    requests,
    customers,
    checkoutSessions,
    paymentIntents,
    charges,
    refunds,
    events,
    declineCards: false,
    completeCheckout(sessionId) {
      const session = get(checkoutSessions, "checkout.session", sessionId);
      if (session.status !== "open")
        throw new Error(`checkout session ${sessionId} is ${String(session.status)}`);
      const data = (Object.getOwnPropertyDescriptor(session, "paymentIntentData")?.value ?? {}) as StripeJson;
      const customerId = session.customer as string | null;
      const card = customerId && data.setup_future_usage ? attachCard(customerId) : null;
      const intent = newIntent({
        amount: session.amount_total,
        currency: session.currency,
        customer: customerId,
        metadata: metadataOf(data.metadata),
        payment_method: card?.id ?? stripeId("pm"),
      });
      const charge = succeed(intent);
      Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: intent.id });
      return {
        chargeSucceeded: event("charge.succeeded", charge),
        paymentIntentSucceeded: event("payment_intent.succeeded", intent),
        checkoutSessionCompleted: event("checkout.session.completed", session),
      };
    },
    refund(paymentIntentId, amountCents) {
      const refund = createRefund({
        payment_intent: paymentIntentId,
        ...(amountCents !== undefined && { amount: String(amountCents) }),
      });
      return {
        refund,
        chargeRefunded: event("charge.refunded", get(charges, "charge", refund.charge as string)),
      };
    },
    event,
    close: server.close,
  };
  return state;
}
