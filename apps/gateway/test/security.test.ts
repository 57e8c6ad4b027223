import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { newId, parseKeyEncryptionKeys } from "@junction/core";
import { saveProviderCredential } from "@junction/db";
import {
  createGuardedTransport,
  MAX_CUSTOM_RESPONSE_BYTES,
  ProviderError,
  postJson,
  readJson,
} from "@junction/providers";
import { createTestTenant, type FakeUpstream, startFakeOpenAi, type TestTenant } from "@junction/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGateway } from "../src/gateway.js";
import { generationRow, type Harness, startHarness } from "./harness.js";

/**
 * What an attacker or a careless tenant can get out of the gateway: secrets that upstreams echo back, what crosses
 * the boundary to an upstream. Every secret is looked for in what the client sees and in the generation row.
 */
const kek = randomBytes(32).toString("base64");
/** A custom endpoint's key in no well-known shape (a self-hosted vLLM's `--api-key`): nothing pattern-based knows it. */
const CUSTOM_SECRET = "acme-internal-9f3c2b7d1e";
let harness: Harness;
let custom: FakeUpstream;
let tenant: TestTenant;
const hello = [{ role: "user" as const, content: "Hello" }];

beforeAll(async () => {
  harness = await startHarness({
    JUNCTION_KEKS: `1:${kek}`,
    JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS: "true",
  });
  custom = await startFakeOpenAi({ model: "acme-large" });
  tenant = await createTestTenant(harness.database.db, { name: "Security Org", creditNano: 1_000_000_000n });
  const credential = await saveOwnKey(tenant.organizationId, "custom", CUSTOM_SECRET);
  await harness.database.db.customEndpoint.create({
    data: {
      id: newId("customEndpoint"),
      organizationId: tenant.organizationId,
      name: "acme",
      baseUrl: `${custom.url}/v1`,
      models: ["acme-large"],
      credentialId: credential.id,
    },
  });
});
afterAll(async () => {
  await custom?.close();
  await harness?.close();
});
beforeEach(async () => {
  harness.openaiUpstream.reset();
  custom.reset();
  await harness.gateway.context.health.resetAll();
});

/** An organization's own key for a provider (or for its custom endpoint), stored as the dashboard stores it. */
const saveOwnKey = (organizationId: string, providerId: string, secret: string) =>
  saveProviderCredential(harness.database.db, parseKeyEncryptionKeys(`1:${kek}`), {
    organizationId,
    providerId,
    secret,
  });

/** The error an OpenAI SDK call threw, and the generation row it left. */
async function failed(apiKey: string, model: string) {
  const error = (await harness
    .openai(apiKey)
    .chat.completions.create({ model, messages: hello })
    .then(
      () => undefined,
      (caught: unknown) => caught,
    )) as { status?: number; message: string; error?: unknown; headers?: Headers } | undefined;
  expect(error).toBeDefined();
  const id = error?.headers?.get("x-junction-generation-id") as string;
  return { error: error as NonNullable<typeof error>, row: await generationRow(harness, id) };
}

describe("secrets that upstreams echo back", () => {
  it("OpenAI's masked echo of the platform key (its first 8 and last 4 characters) reaches no one", async () => {
    // OpenAI's 401 names the key it got, masked: "sk-PMafP***…***E873". Those 12 characters are the platform's.
    harness.openaiUpstream.queue.push({
      kind: "status",
      status: 401,
      body: {
        error: {
          message:
            "Incorrect API key provided: sk-upstr*****************cret. You can find your API key at https://platform.openai.com/account/api-keys.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      },
    });
    const { error, row } = await failed(harness.tenant.apiKey, "openai/gpt-4o-mini");
    expect(error.status).toBe(502);
    expect(error.message).toContain("Incorrect API key provided");
    for (const text of [error.message, JSON.stringify(error.error), row.errorMessage ?? ""]) {
      expect(text).not.toContain("sk-upstr");
      expect(text).not.toContain("cret.");
      expect(text).not.toContain("****");
    }
  });

  it("a custom endpoint that echoes its key whole (a shape no pattern knows) does not hand it on", async () => {
    custom.queue.push({
      kind: "status",
      status: 401,
      body: { error: { message: `Invalid API key: ${CUSTOM_SECRET}`, type: "authentication_error" } },
    });
    const { error, row } = await failed(tenant.apiKey, "custom/acme/acme-large");
    expect(custom.requests[0]?.headers.authorization).toBe(`Bearer ${CUSTOM_SECRET}`);
    expect(error.status).toBe(502);
    expect(error.message).toContain("Invalid API key");
    expect(JSON.stringify(error.error)).not.toContain(CUSTOM_SECRET);
    expect(row.errorMessage).not.toContain(CUSTOM_SECRET);
  });
});

describe("organizations' own provider keys (BYOK)", () => {
  it("a gateway without the key-encryption key refuses a BYOK organization's requests rather than serve them on platform keys", async () => {
    const byok = await createTestTenant(harness.database.db, {
      name: "BYOK no KEK",
      creditNano: 1_000_000_000n,
    });
    await saveOwnKey(byok.organizationId, "openai", "sk-org-own-openai-key-42");
    // A replica deployed without JUNCTION_KEKS (the dashboard has it, so the organization could save its key).
    const withoutKek = await startGateway(
      { ...harness.env, GATEWAY_PORT: 0, JUNCTION_KEKS: undefined },
      harness.providerEnv,
      { log: () => undefined, random: () => 0 },
    );
    try {
      const client = (apiKey: string) =>
        new OpenAI({ apiKey, baseURL: `${withoutKek.url}/v1`, maxRetries: 0 });
      const refused = await client(byok.apiKey)
        .chat.completions.create({ model: "openai/gpt-4o-mini", messages: hello })
        .then(
          () => undefined,
          (caught: unknown) => caught as { status?: number; message: string },
        );
      // Served on the platform key it would be billed in full, its prompt sent through the platform's account.
      expect(harness.openaiUpstream.requests).toHaveLength(0);
      expect(refused?.status).toBe(503);
      expect(refused?.message).toContain("JUNCTION_KEKS");
      // An organization without keys of its own is served as before.
      await client(harness.tenant.apiKey).chat.completions.create({
        model: "openai/gpt-4o-mini",
        messages: hello,
      });
      expect(harness.openaiUpstream.requests.at(-1)?.headers.authorization).toBe(
        "Bearer sk-upstream-openai-secret",
      );
    } finally {
      await withoutKek.close();
    }
  });
});

describe("custom endpoints' answers", () => {
  it("an answer larger than the gateway keeps for one request is cut off, not read into memory whole", async () => {
    // A tenant's own server can answer anything: one huge answer would otherwise sit whole in the memory of the
    // gateway every tenant shares (and a few at once take it down).
    let written = 0;
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"pad":"');
      const chunk = "a".repeat(1 << 20);
      const more = () => {
        while (written < MAX_CUSTOM_RESPONSE_BYTES + 8 * chunk.length) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", more);
        }
        response.end('"}');
      };
      response.on("error", () => undefined);
      more();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const transport = createGuardedTransport({}, { allowLoopback: true });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
      const signal = AbortSignal.timeout(30_000);
      const error = await postJson(transport, "custom", url, {}, { model: "m", messages: hello }, signal)
        .then((response) => readJson("custom", response, signal))
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).message).toMatch(/larger than/);
      expect((error as ProviderError).retryable).toBe(false);
    } finally {
      await transport.dispatcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
