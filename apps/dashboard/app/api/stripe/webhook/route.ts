import { writeAudit } from "@junction/api";
import { createStripeClient, creditsChanged, handleStripeWebhook, type Stripe } from "@junction/billing";
import { isJunctionError } from "@junction/core";
import { dashboardEnv } from "@/lib/env";
import { log } from "@/lib/server/log";
import { clientIp, services } from "@/lib/server/services";

// Stripe webhooks: POST /api/stripe/webhook. The signature covers the exact bytes Stripe sent, so the body is read
// raw (request.text()) and never re-serialized before verification.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const cache = globalThis as typeof globalThis & { junctionStripe?: Stripe };

function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

export async function POST(request: Request): Promise<Response> {
  const env = dashboardEnv();
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) {
    return errorResponse(503, "service_unavailable", "Stripe is not configured on this deployment");
  }
  cache.junctionStripe ??= createStripeClient(env);
  const rawBody = await request.text();
  const { db, redis, redisPrefix } = services();
  try {
    const result = await handleStripeWebhook(
      db,
      cache.junctionStripe,
      rawBody,
      request.headers.get("stripe-signature"),
      env.STRIPE_WEBHOOK_SECRET,
    );
    if (result.organizationId && result.amount !== 0n) {
      // The billing side of the audit log: Stripe (no user) credited or refunded the organization.
      await writeAudit(db, {
        organizationId: result.organizationId,
        actorUserId: null,
        action: result.amount > 0n ? "billing.top_up_credited" : "billing.refunded",
        targetType: "stripe_event",
        targetId: result.eventId,
        after: { amountNano: result.amount, eventType: result.type },
        ip: clientIp(request.headers),
      }).catch((error: unknown) => log().error("audit after Stripe webhook failed", error));
      // The gateways rebuild this organization's spendable amount from Postgres on its next request.
      await creditsChanged(redis, redisPrefix, result.organizationId).catch((error: unknown) =>
        log().error("creditsChanged after Stripe webhook failed", error),
      );
    }
    // Duplicates and events Junction ignores are acknowledged too, so Stripe stops redelivering them.
    return Response.json(
      { received: true, outcome: result.outcome },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    if (isJunctionError(error) && error.code === "bad_request") {
      return errorResponse(400, "bad_request", error.message);
    }
    log().error("Stripe webhook failed", error);
    // 500 makes Stripe retry later; processing is idempotent, so a retry is always safe.
    return errorResponse(500, "internal_error", "The webhook could not be processed");
  }
}
