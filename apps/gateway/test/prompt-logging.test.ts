import { createHash } from "node:crypto";
import { createTestTenant } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const request = {
  model: "sandbox/junction-small",
  messages: [{ role: "user" as const, content: "Remember nothing" }],
};

describe("prompt logging", () => {
  it("stores no bodies by default, only their hashes in the receipt (the request's as the client sent it)", async () => {
    const body = ` {"messages": [{"role": "user", "content": "Remember nothing"}], "model": "sandbox/junction-small"}\n`;
    const sent = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.tenant.apiKey}`, "content-type": "application/json" },
      body,
    });
    expect(sent.status).toBe(200);
    const data = (await sent.json()) as { choices: { message: { content: string } }[] };
    const id = sent.headers.get("x-junction-generation-id") as string;
    await harness.gateway.idle();
    expect(await harness.database.db.generationBody.findUnique({ where: { generationId: id } })).toBeNull();
    const row = await harness.database.db.generation.findUniqueOrThrow({ where: { id } });
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    expect(row.responseHash).toBe(sha(data.choices[0]?.message.content ?? ""));
    expect(row.requestHash).toBe(sha(body));
    expect(row.receipt).toMatchObject({
      bodies: { requestSha256: row.requestHash, responseSha256: row.responseHash },
    });
    expect(JSON.stringify(row.receipt)).not.toContain("Remember nothing");
  });

  it("keeps bodies for organizations that opt in, with their retention deadline", async () => {
    const tenant = await createTestTenant(harness.database.db, { name: "Logs", creditNano: 1_000_000_000n });
    await harness.database.db.organization.update({
      where: { id: tenant.organizationId },
      data: { promptLogging: true, retentionDays: 7 },
    });
    const { response } = await harness.openai(tenant.apiKey).chat.completions.create(request).withResponse();
    const id = response.headers.get("x-junction-generation-id") as string;
    await harness.gateway.idle();
    const body = await harness.database.db.generationBody.findUniqueOrThrow({ where: { generationId: id } });
    expect(body.request).toMatchObject({ messages: [{ content: "Remember nothing" }] });
    expect(body.response).toContain("Remember nothing");
    expect(body.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it("records and bills a request whose text has a NUL (Postgres refuses one in text): stored as U+FFFD", async () => {
    const tenant = await createTestTenant(harness.database.db, { name: "Nul", creditNano: 1_000_000_000n });
    await harness.database.db.organization.update({
      where: { id: tenant.organizationId },
      data: { promptLogging: true },
    });
    const { data, response } = await harness
      .openai(tenant.apiKey)
      .chat.completions.create({ ...request, messages: [{ role: "user", content: "a\u0000b" }] })
      .withResponse();
    const id = response.headers.get("x-junction-generation-id") as string;
    await harness.gateway.idle();
    const row = await harness.database.db.generation.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("success");
    expect(row.cost).toBeGreaterThan(0n);
    expect((data.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
    const body = await harness.database.db.generationBody.findUniqueOrThrow({ where: { generationId: id } });
    expect(body.request).toMatchObject({ messages: [{ content: "a\ufffdb" }] });
  });
});
