import { randomBytes } from "node:crypto";
import { parseKeyEncryptionKeys } from "@junction/core";
import { announceServedProviders } from "@junction/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, signUpUser } from "./harness";

const keks = parseKeyEncryptionKeys(`1:${randomBytes(32).toString("base64")}`);
let h: Harness;
let org: Awaited<ReturnType<typeof signUpUser>>;

beforeAll(async () => {
  h = await createHarness({ keks });
  org = await signUpUser(h, "Catalog");
});
afterAll(async () => {
  await h?.close();
});

describe("models.list", () => {
  it("lists what the organization can call here: the gateways' providers and its own keys'; `all` the rest, marked", async () => {
    const api = h.as(org.userId);
    const ids = async (input: { search: string; all?: boolean }) =>
      (await api.models.list(input)).models.map((model) => model.id);
    // No gateway has said which providers it serves: everything is listed, nothing marked.
    const unknown = await api.models.list({ search: "gpt-4o-mini" });
    expect(unknown.availability).toBe("unknown");
    expect(
      unknown.models.flatMap((model) => model.endpoints.map((endpoint) => endpoint.available)),
    ).toContain(null);

    await announceServedProviders(h.redis, h.prefix, ["sandbox"]);
    const served = await api.models.list({ search: "junction" });
    expect(served.availability).toBe("known");
    expect(served.models.map((model) => model.id)).toContain("sandbox/junction-small");
    expect(await ids({ search: "gpt-4o-mini" })).toEqual([]);
    const all = await api.models.list({ search: "gpt-4o-mini", all: true });
    expect(all.models.map((model) => model.id)).toContain("openai/gpt-4o-mini");
    expect(
      all.models.flatMap((model) => model.endpoints).every((endpoint) => endpoint.available === false),
    ).toBe(true);

    // The organization's own OpenAI key makes OpenAI's endpoints callable for it.
    await api.providerKeys.add({ providerId: "openai", secret: "sk-test-byok-0123456789abcdef" });
    const own = await api.models.list({ search: "gpt-4o-mini" });
    expect(own.models.map((model) => model.id)).toContain("openai/gpt-4o-mini");
    expect(own.models.flatMap((model) => model.endpoints).map((endpoint) => endpoint.available)).toEqual(
      own.models.flatMap((model) => model.endpoints).map(() => true),
    );
  });
});
