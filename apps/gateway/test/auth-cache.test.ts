import { generateApiKey, hashApiKey } from "@junction/core";
import type { Db } from "@junction/db";
import { describe, expect, it } from "vitest";
import { KeyAuthenticator } from "../src/auth.js";
import type { RedisEvents } from "../src/redis-events.js";

/** An API key row as Prisma returns it (with its organization's settings). */
const keyRow = (revokedAt: Date | null) => ({
  id: "key_1",
  organizationId: "org_1",
  name: "k",
  creditLimit: null,
  limitReset: "never",
  policyId: null,
  expiresAt: null,
  revokedAt,
  rateLimitRpm: null,
  rateLimitTpm: null,
  rateLimitConcurrency: null,
  organization: {
    rateLimitRpm: null,
    rateLimitTpm: null,
    rateLimitConcurrency: null,
    byokOnly: false,
    promptLogging: false,
    retentionDays: 30,
  },
});

describe("the key cache", () => {
  it("does not keep a key read from the database while its revocation arrived (the read may predate it)", async () => {
    const key = generateApiKey();
    let revoked = false;
    let reads = 0;
    let release: () => void = () => undefined;
    const db = {
      apiKey: {
        findUnique: async () => {
          reads++;
          const row = keyRow(revoked ? new Date() : null); // read before the revocation was written
          if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
          return row;
        },
        updateMany: async () => ({ count: 1 }), // lastUsedAt, flushed on stop
      },
    } as unknown as Db;
    let onRevoked: (keyHash: string) => void = () => undefined;
    const events = {
      on: async (_channel: string, handler: (message: string) => void) => {
        onRevoked = handler;
      },
    } as unknown as RedisEvents;
    const auth = new KeyAuthenticator(db, events, "test");
    await auth.start();
    const racing = auth.authenticate({ authorization: `Bearer ${key}` });
    await expect.poll(() => reads).toBe(1);
    revoked = true;
    onRevoked(hashApiKey(key)); // the revocation arrives while the row is on its way
    release();
    await expect(racing).resolves.toMatchObject({ keyId: "key_1" }); // it raced the revocation: let through
    await expect(auth.authenticate({ authorization: `Bearer ${key}` })).rejects.toMatchObject({
      status: 401,
    });
    expect(reads).toBe(2);
    await auth.stop();
  });
});
