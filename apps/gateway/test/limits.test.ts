import { createTestKey } from "@junction/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/gateway.js";
import { awayFromMinuteBoundary, type Harness, startHarness, startSecondGateway } from "./harness.js";

let harness: Harness;
let second: RunningGateway;
beforeAll(async () => {
  harness = await startHarness();
  second = await startSecondGateway(harness);
});
afterAll(async () => {
  await second.close();
  await harness.close();
});

const request = {
  model: "sandbox/junction-small",
  max_tokens: 5,
  messages: [{ role: "user" as const, content: "Hi" }],
};

async function limitedKey(limits: {
  rateLimitRpm?: number;
  rateLimitTpm?: number;
  rateLimitConcurrency?: number;
}) {
  const key = await createTestKey(harness.database.db, harness.tenant.organizationId);
  await harness.database.db.apiKey.update({ where: { id: key.keyId }, data: limits });
  return key;
}

function post(url: string, apiKey: string, body: unknown = request) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("rate limits across gateway instances", () => {
  it("requests per minute hold exactly across two instances, with OpenAI's x-ratelimit headers and Retry-After", async () => {
    const key = await limitedKey({ rateLimitRpm: 5 });
    await awayFromMinuteBoundary(10_000); // twelve requests and one more, all in the same minute
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post(i % 2 ? second.url : harness.gateway.url, key.apiKey)),
    );
    const ok = responses.filter((response) => response.status === 200);
    const limited = responses.filter((response) => response.status === 429);
    expect(ok).toHaveLength(5);
    expect(limited).toHaveLength(7);
    expect(ok[0]?.headers.get("x-ratelimit-limit-requests")).toBe("5");
    expect(Number(ok[0]?.headers.get("x-ratelimit-remaining-requests"))).toBeLessThan(5);
    expect(ok[0]?.headers.get("x-ratelimit-reset-requests")).toMatch(/^\d+s$/);
    const refusal = limited[0] as Response;
    expect(Number(refusal.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refusal.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const body = (await refusal.json()) as {
      error: { code: string; metadata: { scope: string; limit: string } };
    };
    expect(body.error).toMatchObject({ code: "rate_limited", metadata: { scope: "key", limit: "requests" } });
    // The SDK sees a 429 it can back off from.
    const client = new OpenAI({ apiKey: key.apiKey, baseURL: `${harness.gateway.url}/v1`, maxRetries: 0 });
    await expect(client.chat.completions.create(request)).rejects.toMatchObject({ status: 429 });
  });

  it("tokens per minute count the estimate and settle to the actual tokens", async () => {
    const key = await limitedKey({ rateLimitTpm: 300 });
    await awayFromMinuteBoundary();
    const tooBig = await post(harness.gateway.url, key.apiKey, { ...request, max_tokens: 500 });
    expect(tooBig.status).toBe(429);
    expect(((await tooBig.json()) as { error: { message: string } }).error.message).toMatch(
      /tokens per minute limit is 300/,
    );
    const first = await post(harness.gateway.url, key.apiKey, { ...request, max_tokens: 150 });
    expect(first.status).toBe(200);
    const usage = ((await first.json()) as { usage: { total_tokens: number; prompt_tokens: number } }).usage;
    // The first request took prompt + 150 while running; settled, it holds only its real total.
    const second = await post(harness.gateway.url, key.apiKey, { ...request, max_tokens: 150 });
    expect(second.status).toBe(200);
    expect(Number(second.headers.get("x-ratelimit-remaining-tokens"))).toBe(
      300 - usage.total_tokens - (usage.prompt_tokens + 150),
    );
  });

  it("concurrent requests are limited and slots come back when requests end", async () => {
    const key = await limitedKey({ rateLimitConcurrency: 2 });
    harness.openaiUpstream.reset();
    // Streams of ~3.6 s: the two running requests hold their slots well past the third.
    harness.openaiUpstream.fallback = { kind: "ok", eventDelayMs: 400 };
    try {
      const slow = { model: "openai/gpt-4o-mini", stream: true, messages: request.messages };
      const running = [post(harness.gateway.url, key.apiKey, slow), post(second.url, key.apiKey, slow)];
      // Slots are taken before the upstream is called: once it has both requests, both slots are held.
      await expect.poll(() => harness.openaiUpstream.requests.length, { timeout: 10_000 }).toBe(2);
      const third = await post(harness.gateway.url, key.apiKey, slow);
      expect(third.status).toBe(429);
      expect(((await third.json()) as { error: { metadata: { limit: string } } }).error.metadata.limit).toBe(
        "concurrency",
      );
      for (const response of await Promise.all(running)) await response.text();
      // A slot is released after its response has ended; idle() waits for that work on each instance.
      await Promise.all([harness.gateway.idle(), second.idle()]);
      const after = await post(harness.gateway.url, key.apiKey, slow);
      expect(after.status).toBe(200);
      await after.text();
    } finally {
      harness.openaiUpstream.fallback = { kind: "ok" };
    }
  });

  it("an organization's limit covers all of its keys", async () => {
    await harness.database.db.organization.update({
      where: { id: harness.tenant.organizationId },
      data: { rateLimitRpm: 3 },
    });
    try {
      const [a, b] = [
        await createTestKey(harness.database.db, harness.tenant.organizationId),
        await createTestKey(harness.database.db, harness.tenant.organizationId),
      ];
      await awayFromMinuteBoundary();
      const statuses = await Promise.all(
        Array.from(
          { length: 6 },
          async (_, i) =>
            (await post(i % 2 ? second.url : harness.gateway.url, (i % 2 ? a : b)?.apiKey as string)).status,
        ),
      );
      expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    } finally {
      await harness.database.db.organization.update({
        where: { id: harness.tenant.organizationId },
        data: { rateLimitRpm: null },
      });
    }
  });
});
