import { accountRouter } from "./routers/account";
import { activityRouter } from "./routers/activity";
import { apiKeysRouter } from "./routers/api-keys";
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { billingRouter } from "./routers/billing";
import { creditsRouter } from "./routers/credits";
import { customEndpointsRouter } from "./routers/custom-endpoints";
import { invitationsRouter } from "./routers/invitations";
import { membersRouter } from "./routers/members";
import { modelsRouter } from "./routers/models";
import { organizationRouter } from "./routers/organization";
import { overviewRouter } from "./routers/overview";
import { providerKeysRouter } from "./routers/provider-keys";
import { routingRouter } from "./routers/routing";
import { sessionsRouter } from "./routers/sessions";
import { settingsRouter } from "./routers/settings";
import { createCallerFactory, createTRPCRouter, publicProcedure } from "./trpc";

export const appRouter = createTRPCRouter({
  /** Liveness of the dashboard API itself; `time` is a Date to prove the superjson transformer end to end. */
  health: publicProcedure.query(() => ({ ok: true as const, time: new Date() })),
  auth: authRouter,
  account: accountRouter,
  overview: overviewRouter,
  apiKeys: apiKeysRouter,
  activity: activityRouter,
  credits: creditsRouter,
  billing: billingRouter,
  models: modelsRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  providerKeys: providerKeysRouter,
  organization: organizationRouter,
  routing: routingRouter,
  settings: settingsRouter,
  customEndpoints: customEndpointsRouter,
  audit: auditRouter,
  sessions: sessionsRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (server components, tests): the same middleware as over HTTP. */
export const createCaller = createCallerFactory(appRouter);
