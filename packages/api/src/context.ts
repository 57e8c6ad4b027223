import type { Stripe } from "@junction/billing";
import type { EndpointGuardOptions, KeyEncryptionKeys, Logger, ResolveAll } from "@junction/core";
import type { Db } from "@junction/db";
import type { Redis } from "ioredis";
import type { Mailer } from "./mail/mailer";

/** Long-lived dependencies of the procedures, created once per process by the host (the dashboard, or a test). */
export type ApiServices = {
  db: Db;
  /** Publishes key revocations to the gateways and holds the sign-in/sign-up throttles. */
  redis: Redis;
  /** JUNCTION_REDIS_PREFIX: the deployment's Redis namespace, shared with the gateway and the worker. */
  redisPrefix: string;
  /** Credit granted once to every organization created at sign-up, in nano-USD. */
  starterCreditNano: bigint;
  /** Public base URL of the gateway, for snippets. */
  gatewayUrl: string;
  /** Public base URL of the dashboard (NEXTAUTH_URL), for Stripe's success/cancel redirects. */
  dashboardUrl: string;
  /** Stripe client for top-ups (`createStripeClient` from the host's env); null when STRIPE_SECRET_KEY is unset. */
  stripe: Stripe | null;
  /** Account emails (verification, password reset, invitations): SMTP, or the development mailbox. */
  mailer: Mailer;
  /** The host's logger (the shared redacting logger, at the host's LOG_LEVEL). */
  log: Logger;
  /** Derives invitation links (HMAC), so they can be copied again while only their hash is stored. */
  linkSecret: string;
  /** JUNCTION_KEKS parsed: encrypts BYOK provider keys (the gateway's keys); null when BYOK is not configured. */
  keks: KeyEncryptionKeys | null;
  /**
   * Custom endpoints' SSRF guard. Default: strict (https, public addresses only). The loopback loophole comes from
   * JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS, which production refuses.
   */
  endpointGuard?: EndpointGuardOptions;
  /** DNS for the guard (default: the system resolver); tests inject answers. */
  resolveHost?: ResolveAll;
};

/** What the session (a next-auth JWT in the dashboard) says about the caller. Never taken from procedure input. */
export type SessionIdentity = {
  userId: string;
  activeOrganizationId: string | null;
  /** The session's id in the session registry (auth/session-registry.ts), to tell "this session" apart. */
  sessionId?: string | undefined;
};

export type TRPCContext = ApiServices & {
  session: SessionIdentity | null;
  /** The caller's address, for throttling. */
  ip: string;
};

export function createTRPCContext(
  services: ApiServices,
  request: { session: SessionIdentity | null; ip?: string | null },
): TRPCContext {
  return { ...services, session: request.session, ip: request.ip || "unknown" };
}
