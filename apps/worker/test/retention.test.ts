import { createTestDatabase, createTestTenant, type TestDatabase } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeExpiredBodies } from "../src/retention.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("retention", () => {
  it("purges prompt bodies past their retention and keeps the rest", async () => {
    const tenant = await createTestTenant(database.db);
    const now = Date.now();
    await database.db.generationBody.createMany({
      data: [
        {
          generationId: "gen_expired",
          organizationId: tenant.organizationId,
          request: {},
          response: "old",
          expiresAt: new Date(now - 1000),
        },
        {
          generationId: "gen_fresh",
          organizationId: tenant.organizationId,
          request: {},
          response: "new",
          expiresAt: new Date(now + 86_400_000),
        },
      ],
    });
    expect(await purgeExpiredBodies(database.db)).toBe(1);
    const left = await database.db.generationBody.findMany({ select: { generationId: true } });
    expect(left).toEqual([{ generationId: "gen_fresh" }]);
  });
});
