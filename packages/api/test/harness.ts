import { createLogger, newId } from "@junction/core";
import type { Db, Generation, Role } from "@junction/db";
import { createTestDatabase, createTestRedisPrefix, type TestDatabase, withCatalog } from "@junction/testing";
import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { signUp } from "../src/auth/sign-up";
import { type ApiServices, createCaller, createTRPCContext, memoryMailer } from "../src/index";

export const STARTER_CREDIT = 1_000_000_000n; // $1

export type Harness = {
  database: TestDatabase;
  db: Db;
  redis: Redis;
  prefix: string;
  services: ApiServices;
  /** A caller acting as `userId` (null: signed out), optionally naming an active organization. */
  as: (
    userId: string | null,
    activeOrganizationId?: string | null,
    ip?: string,
  ) => ReturnType<typeof createCaller>;
  close: () => Promise<void>;
};

export async function createHarness(overrides: Partial<ApiServices> = {}): Promise<Harness> {
  const database = await createTestDatabase(withCatalog());
  const redisPrefix = createTestRedisPrefix();
  const redis = new Redis(redisPrefix.url, { maxRetriesPerRequest: 2 });
  const services: ApiServices = {
    db: database.db,
    redis,
    redisPrefix: redisPrefix.prefix,
    starterCreditNano: STARTER_CREDIT,
    gatewayUrl: "http://gateway.test",
    dashboardUrl: "http://dashboard.test",
    stripe: null,
    mailer: memoryMailer(),
    log: createLogger("api", { level: "silent" }),
    linkSecret: "test-link-secret-0123456789",
    keks: null,
    ...overrides,
  };
  return {
    database,
    db: database.db,
    redis,
    prefix: redisPrefix.prefix,
    services,
    as: (userId, activeOrganizationId = null, ip = "203.0.113.7") =>
      createCaller(
        createTRPCContext(services, { session: userId ? { userId, activeOrganizationId } : null, ip }),
      ),
    close: async () => {
      await redisPrefix.cleanup();
      redis.disconnect();
      await database.drop();
    },
  };
}

let counter = 0;

/** A signed-up user with their own organization (owner) and starter credit. */
export async function signUpUser(
  harness: Harness,
  name = "Ada",
): Promise<{ userId: string; organizationId: string; email: string }> {
  counter++;
  const email = `${name.toLowerCase()}-${counter}-${Date.now()}@example.com`;
  const result = await signUp(harness.db, {
    name,
    email,
    password: "correct horse battery",
    starterCreditNano: harness.services.starterCreditNano,
  });
  return { ...result, email };
}

/** Another person added to `organizationId` with `role` (and no organization of their own). */
export async function addMember(
  db: Db,
  organizationId: string,
  role: Role,
): Promise<{ userId: string; membershipId: string }> {
  const userId = newId("user");
  const membershipId = newId("membership");
  await db.user.create({ data: { id: userId, email: `${role}-${userId}@example.com`, name: `A ${role}` } });
  await db.membership.create({ data: { id: membershipId, organizationId, userId, role } });
  return { userId, membershipId };
}

/** A finished request as the gateway records it, plus the rollup and debit the worker would write. */
export async function recordGeneration(
  db: Db,
  input: {
    organizationId: string;
    apiKeyId: string | null;
    cost: bigint;
    model?: string;
    ingested?: boolean;
    at?: Date;
    /** The endpoint that served it (default: the model's sandbox endpoint) and token counts over the defaults. */
    endpointId?: string;
    tokens?: Partial<
      Pick<Generation, "promptTokens" | "completionTokens" | "cacheWriteTokens" | "cacheWrite1hTokens">
    >;
  },
): Promise<string> {
  const id = newId("generation");
  const at = input.at ?? new Date();
  const model = input.model ?? "sandbox/junction-small";
  const endpointId = input.endpointId ?? `sandbox:${model.split("/")[1]}`;
  await db.generation.create({
    data: {
      id,
      organizationId: input.organizationId,
      apiKeyId: input.apiKeyId,
      requestedModel: model,
      servedModel: model,
      providerId: endpointId.split(":")[0] as string,
      endpointId,
      apiFormat: "openai",
      route: "chat",
      status: "success",
      httpStatus: 200,
      promptTokens: 12,
      completionTokens: 40,
      ...input.tokens,
      cost: input.cost,
      attempts: [
        {
          endpoint: endpointId,
          provider: endpointId.split(":")[0] as string,
          status: "success",
          latencyMs: 12,
        },
      ],
      latencyMs: 30,
      priceTableVersion: 1,
      createdAt: at,
      completedAt: at,
      ingestedAt: input.ingested === false ? null : at,
    },
  });
  if (input.ingested !== false) {
    const hour = new Date(at);
    hour.setUTCMinutes(0, 0, 0);
    await db.creditLedgerEntry.create({
      data: {
        id: newId("ledgerEntry"),
        organizationId: input.organizationId,
        kind: "usage",
        amount: -input.cost,
        idempotencyKey: `usage:${id}`,
        generationId: id,
        apiKeyId: input.apiKeyId,
      },
    });
    await db.usageRollup.upsert({
      where: {
        organizationId_apiKeyId_modelId_providerId_hour: {
          organizationId: input.organizationId,
          apiKeyId: input.apiKeyId ?? "",
          modelId: model,
          providerId: "sandbox",
          hour,
        },
      },
      create: {
        id: newId("rollup"),
        organizationId: input.organizationId,
        apiKeyId: input.apiKeyId ?? "",
        modelId: model,
        providerId: "sandbox",
        hour,
        requests: 1,
        promptTokens: 12n,
        completionTokens: 40n,
        cost: input.cost,
      },
      update: { requests: { increment: 1 }, cost: { increment: input.cost } },
    });
  }
  return id;
}

/** The tRPC error code a call ends with ("ok" when it succeeds), for asserting refusals. */
export const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "ok",
    (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
  );
