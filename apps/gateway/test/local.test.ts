import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generationRow, type Harness, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness((fakes) => ({
    LOCAL_MODELS: "llama3.2, qwen2.5:7b",
    OLLAMA_BASE_URL: `${fakes.openai}/v1`,
  }));
});
afterAll(() => harness.close());

describe("a local OpenAI-compatible server (Ollama / vLLM)", () => {
  it("serves LOCAL_MODELS as local/<name>, at the operator's price of zero, with no platform key sent", async () => {
    const models = await harness.openai().models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(["local/llama3.2", "local/qwen2.5:7b"]));
    const { data, response } = await harness
      .openai()
      .chat.completions.create({ model: "local/qwen2.5:7b", messages: [{ role: "user", content: "Hi" }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("Hello from the fake OpenAI upstream.");
    expect((data as unknown as { provider: string }).provider).toBe("Local");
    const upstream = harness.openaiUpstream.requests.at(-1);
    expect(upstream?.body.model).toBe("qwen2.5:7b");
    expect(upstream?.headers.authorization).toBeUndefined();
    const row = await generationRow(harness, response.headers.get("x-junction-generation-id") as string);
    expect(row).toMatchObject({ providerId: "local", cost: 0n, promptTokens: 21 });
  });
});
