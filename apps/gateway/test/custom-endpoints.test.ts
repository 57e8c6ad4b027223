import { randomBytes } from "node:crypto";
import { newId, parseKeyEncryptionKeys } from "@junction/core";
import { saveProviderCredential } from "@junction/db";
import { createGuardedTransport, ProviderError, postJson } from "@junction/providers";
import { createTestTenant, type FakeUpstream, startFakeOpenAi, type TestTenant } from "@junction/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/gateway.js";
import { startGateway } from "../src/gateway.js";
import { generationRow, type Harness, startHarness } from "./harness.js";

const kek = randomBytes(32).toString("base64");
const ORG_SECRET = "sk-org-custom-endpoint-key-987654";
let harness: Harness;
let upstream: FakeUpstream;
let tenant: TestTenant;
let strict: RunningGateway;
const hello = [{ role: "user" as const, content: "Hello" }];

async function addEndpoint(name: string, baseUrl: string, models: string[], credentialId: string | null) {
  await harness.database.db.customEndpoint.create({
    data: {
      id: newId("customEndpoint"),
      organizationId: tenant.organizationId,
      name,
      baseUrl,
      models,
      credentialId,
    },
  });
}

const clientFor = (gateway: { url: string }) =>
  new OpenAI({ apiKey: tenant.apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });

beforeAll(async () => {
  // The test loophole: loopback and http allowed (refused when NODE_ENV=production).
  harness = await startHarness({
    JUNCTION_KEKS: `1:${kek}`,
    JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS: "true",
  });
  // The same database without the loophole: what production does.
  strict = await startGateway(
    { ...harness.env, GATEWAY_PORT: 0, JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS: false },
    harness.providerEnv,
    { log: () => undefined, random: () => 0 },
  );
  upstream = await startFakeOpenAi({ model: "acme-large" });
  tenant = await createTestTenant(harness.database.db, { name: "Custom Org", creditNano: 1_000_000_000n });
  const credential = await saveProviderCredential(harness.database.db, parseKeyEncryptionKeys(`1:${kek}`), {
    organizationId: tenant.organizationId,
    providerId: "custom",
    secret: ORG_SECRET,
  });
  const port = new URL(upstream.url).port;
  await addEndpoint("acme", `http://localhost:${port}/v1`, ["acme-large", "org/model:8b"], credential.id);
  await addEndpoint("keyless", `http://127.0.0.1:${port}/v1`, ["tiny"], null);
  await addEndpoint("tls-loopback", `https://localhost:${port}/v1`, ["acme-large"], credential.id);
});
afterAll(async () => {
  await strict?.close();
  await upstream?.close();
  await harness?.close();
});

describe("custom OpenAI-compatible endpoints", () => {
  it("routes custom/<name>/<model> to the organization's endpoint with its own key only", async () => {
    upstream.reset();
    const { data, response } = await harness
      .openai(tenant.apiKey)
      .chat.completions.create({ model: "custom/acme/acme-large", messages: hello })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("Hello from the fake OpenAI upstream.");
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.path).toBe("/v1/chat/completions");
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${ORG_SECRET}`);
    expect(upstream.requests[0]?.body.model).toBe("acme-large");
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({ providerId: "custom", isByok: true, cost: 0n, status: "success" });
    expect(row.endpointId).toMatch(/^custom:cep_/);
  });

  it("is sent logit_bias as the client wrote it: what its server takes is the organization's", async () => {
    upstream.reset();
    await harness.openai(tenant.apiKey).chat.completions.create({
      model: "custom/acme/acme-large",
      messages: hello,
      logit_bias: { "9642": 100 },
    });
    expect(upstream.requests[0]?.body).toMatchObject({ logit_bias: { "9642": 100 } });
  });

  it("keeps organizations' endpoint and model names out of /metrics (one `custom` series for all of them)", async () => {
    for (const model of ["custom/acme/acme-large", "custom/acme/org/model:8b"])
      await harness.openai(tenant.apiKey).chat.completions.create({ model, messages: hello });
    await harness.gateway.idle();
    const text = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    expect(text).not.toMatch(/acme|org\/model/);
    expect(text).toMatch(
      /junction_requests_total\{route="chat",status="200",model="custom",provider="custom"\} [1-9]/,
    );
    expect(text).toMatch(/junction_tokens_total\{kind="prompt",model="custom",provider="custom"\} [1-9]/);
  });

  it("streams, and model names may contain slashes and colons", async () => {
    upstream.reset();
    const stream = await harness.openai(tenant.apiKey).chat.completions.create({
      model: "custom/acme/org/model:8b",
      messages: hello,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("Hello from the fake OpenAI upstream.");
    expect(upstream.requests[0]?.body.model).toBe("org/model:8b");
  });

  it("never sends a platform key: an endpoint without a credential gets no Authorization header", async () => {
    upstream.reset();
    await harness
      .openai(tenant.apiKey)
      .chat.completions.create({ model: "custom/keyless/tiny", messages: hello });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(upstream.requests[0]?.headers)).not.toContain("sk-upstream-openai-secret");
  });

  it("does not follow redirects", async () => {
    upstream.reset();
    upstream.queue.push({
      kind: "status",
      status: 307,
      headers: { location: `${harness.openaiUpstream.url}/v1/chat/completions` },
      body: {},
    });
    harness.openaiUpstream.reset();
    const error = await harness
      .openai(tenant.apiKey)
      .chat.completions.create({ model: "custom/acme/acme-large", messages: hello })
      .then(
        () => null,
        (caught: unknown) => caught as { status?: number },
      );
    expect(error?.status).toBeGreaterThanOrEqual(400);
    expect(upstream.requests).toHaveLength(1);
    expect(harness.openaiUpstream.requests).toHaveLength(0);
  });

  it("answers unknown names and models of other organizations as unknown models", async () => {
    const other = await createTestTenant(harness.database.db, { name: "Other", creditNano: 1_000_000_000n });
    upstream.reset();
    for (const [apiKey, model] of [
      [tenant.apiKey, "custom/acme/not-listed"],
      [tenant.apiKey, "custom/nope/acme-large"],
      [other.apiKey, "custom/acme/acme-large"],
    ] as const) {
      const error = await harness
        .openai(apiKey)
        .chat.completions.create({ model, messages: hello })
        .then(
          () => null,
          (caught: unknown) => caught as { status?: number },
        );
      expect(error?.status).toBe(404);
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it("without the test setting, loopback is refused at request time: by URL, and by DNS at connect", async () => {
    upstream.reset();
    for (const model of ["custom/acme/acme-large", "custom/keyless/tiny", "custom/tls-loopback/acme-large"]) {
      const error = await clientFor(strict)
        .chat.completions.create({ model, messages: hello })
        .then(
          () => null,
          (caught: unknown) => caught as { status?: number; message?: string },
        );
      expect(error?.status).toBeGreaterThanOrEqual(400);
      expect(error?.message ?? "").not.toContain(ORG_SECRET);
    }
    // http:// URLs fail the URL check; https://localhost resolves to loopback and the guarded lookup refuses it.
    const refusedByUrl = await clientFor(strict)
      .chat.completions.create({ model: "custom/keyless/tiny", messages: hello })
      .then(
        () => null,
        (caught: unknown) => caught as { status?: number; message?: string },
      );
    expect(refusedByUrl?.status).toBe(400);
    expect(refusedByUrl?.message).toMatch(/https/);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("guarded transport", () => {
  const body = { model: "acme-large", messages: hello };
  const signal = () => AbortSignal.timeout(20_000);

  it("connects to exactly the address the guard checked (a name real DNS cannot resolve reaches the fake)", async () => {
    upstream.reset();
    const resolved: string[] = [];
    const transport = createGuardedTransport({}, { allowLoopback: true }, async (hostname) => {
      resolved.push(hostname);
      return [{ address: "127.0.0.1", family: 4 }];
    });
    const port = new URL(upstream.url).port;
    const response = await postJson(
      transport,
      "custom",
      `http://pinned.invalid:${port}/v1/chat/completions`,
      {},
      body,
      signal(),
    );
    expect(response.status).toBe(200);
    await response.body.text();
    expect(resolved).toEqual(["pinned.invalid"]);
    expect(upstream.requests).toHaveLength(1);
    await transport.dispatcher.close();
  });

  it("refuses a name when any answer is private, and loopback without the test setting", async () => {
    upstream.reset();
    const port = new URL(upstream.url).port;
    const rebinding = createGuardedTransport({}, { allowLoopback: true }, async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ]);
    const strictTransport = createGuardedTransport({}, { allowLoopback: false }, async () => [
      { address: "127.0.0.1", family: 4 },
    ]);
    for (const transport of [rebinding, strictTransport]) {
      const error = await postJson(
        transport,
        "custom",
        `http://rebind.invalid:${port}/v1/chat/completions`,
        {},
        body,
        signal(),
      ).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).message).toContain("JUNCTION_SSRF_REFUSED");
      await transport.dispatcher.close();
    }
    expect(upstream.requests).toHaveLength(0);
  });
});
