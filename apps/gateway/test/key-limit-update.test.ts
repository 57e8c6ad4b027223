import { hashApiKey } from "@junction/core";
import { publishKeyRevoked } from "@junction/queue";
import { createTestKey } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awayFromMinuteBoundary, type Harness, startHarness } from "./harness.js";

/**
 * The dashboard's apiKeys.update writes the new limits and announces the key on the revocation channel; every
 * gateway drops its cached copy and the next request runs under the new limits (no 60 s cache wait).
 */
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

const post = (apiKey: string) =>
  fetch(`${harness.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "sandbox/junction-small",
      max_tokens: 5,
      messages: [{ role: "user", content: "Hi" }],
    }),
  });

describe("per-key limits changed in the dashboard", () => {
  it("apply to the key's next request once announced", async () => {
    const key = await createTestKey(harness.database.db, harness.tenant.organizationId);
    await harness.database.db.apiKey.update({ where: { id: key.keyId }, data: { rateLimitRpm: 1 } });
    await awayFromMinuteBoundary();
    const first = await post(key.apiKey);
    expect(first.status).toBe(200);
    await first.text();
    const limited = await post(key.apiKey);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-limit-requests")).toBe("1");
    await limited.text();

    // What apiKeys.update does: write, then announce the key (the cached principal still says 1 rpm).
    await harness.database.db.apiKey.update({ where: { id: key.keyId }, data: { rateLimitRpm: 50 } });
    await publishKeyRevoked(
      harness.gateway.context.redis,
      harness.env.JUNCTION_REDIS_PREFIX,
      hashApiKey(key.apiKey),
    );
    let status = 0;
    let limit: string | null = null;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      const response = await post(key.apiKey);
      status = response.status;
      limit = response.headers.get("x-ratelimit-limit-requests");
      await response.text();
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
    expect(limit).toBe("50");
  });
});
