import { isJunctionError } from "@junction/core";
import {
  anthropicRequestFromChat,
  chatRequestFromAnthropic,
  geminiRequestFromChat,
} from "@junction/providers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAnthropicRequest, parseChatRequest } from "../src/validation.js";
import { type Harness, startHarness } from "./harness.js";

/**
 * Property-based fuzzing of the gateway's edge: request parsing and both translations must either accept a body
 * or refuse it with a JunctionError (400) — never throw anything else, never hang. Then the same over HTTP.
 */
const json = fc.jsonValue({ maxDepth: 6 });
const content = fc.oneof(
  fc.string(),
  fc.array(
    fc.oneof(
      fc.record({ type: fc.constant("text"), text: fc.string() }),
      fc.record({
        type: fc.constant("image_url"),
        image_url: fc.record({ url: fc.oneof(fc.webUrl(), fc.string()) }),
      }),
      json,
    ),
    { maxLength: 4 },
  ),
  json,
);
const message = fc.oneof(
  fc.record({
    role: fc.constantFrom("system", "user", "assistant", "developer", "tool", "bogus"),
    content,
    tool_call_id: fc.option(fc.string(), { nil: undefined }),
  }),
  json,
);
const chatBody = fc.oneof(
  fc.record(
    {
      model: fc.oneof(fc.constant("sandbox/junction-small"), fc.string(), json),
      messages: fc.oneof(fc.array(message, { maxLength: 5 }), json),
      stream: fc.oneof(fc.boolean(), json),
      max_tokens: fc.oneof(fc.integer(), fc.double(), json),
      temperature: fc.oneof(fc.double(), json),
      tools: fc.oneof(fc.array(json, { maxLength: 3 }), json),
      tool_choice: json,
      response_format: json,
      provider: json,
      models: json,
    },
    { requiredKeys: [] },
  ),
  json,
);
const anthropicBody = fc.oneof(
  fc.record(
    {
      model: fc.oneof(fc.string(), json),
      max_tokens: fc.oneof(fc.integer(), json),
      system: fc.oneof(fc.string(), json),
      messages: fc.oneof(
        fc.array(
          fc.record({
            role: fc.constantFrom("user", "assistant"),
            content: fc.oneof(fc.string(), fc.array(json, { maxLength: 4 })),
          }),
          { maxLength: 5 },
        ),
        json,
      ),
      tools: json,
      tool_choice: json,
    },
    { requiredKeys: [] },
  ),
  json,
);

function acceptsOrRefuses(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isJunctionError(error) || error.status !== 400) throw error;
  }
}

describe("fuzzing request parsing and translation", () => {
  it("OpenAI bodies: parse, then translate to Anthropic and Gemini, 6,000 cases", () => {
    fc.assert(
      fc.property(chatBody, (body) => {
        acceptsOrRefuses(() => {
          const chat = parseChatRequest(body);
          anthropicRequestFromChat(chat, "claude", 1024);
          geminiRequestFromChat(chat, "gemini-2.5-flash");
        });
      }),
      { numRuns: 6_000 },
    );
  });

  it("Anthropic bodies: parse, translate to the internal shape and back, 4,000 cases", () => {
    fc.assert(
      fc.property(anthropicBody, (body) => {
        acceptsOrRefuses(() => {
          const chat = chatRequestFromAnthropic(parseAnthropicRequest(body));
          anthropicRequestFromChat(chat, "claude", 1024);
        });
      }),
      { numRuns: 4_000 },
    );
  });
});

describe("fuzzing over HTTP", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ GATEWAY_MAX_BODY_BYTES: "200000" });
  });
  afterAll(() => harness.close());

  const send = (body: string | Buffer, headers: Record<string, string> = {}, path = "/v1/chat/completions") =>
    fetch(`${harness.gateway.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${harness.tenant.apiKey}`,
        "content-type": "application/json",
        ...headers,
      },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });

  it("random bodies on both routes never get a 5xx, 300 cases", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(chatBody, anthropicBody), fc.boolean(), async (body, anthropic) => {
        const response = await send(
          JSON.stringify(body),
          {},
          anthropic ? "/v1/messages" : "/v1/chat/completions",
        );
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("hostile inputs: deep nesting, invalid UTF-8, oversized, header injection — 4xx, and the server keeps serving", async () => {
    const deep = `${"[".repeat(60_000)}${"]".repeat(60_000)}`; // 120 kB of nesting, under the 200 kB limit
    expect((await send(deep)).status).toBe(400);
    const nested = `{"model":"sandbox/junction-small","messages":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    expect((await send(nested)).status).toBe(400);
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"model":"sandbox/junction-small","messages":[{"role":"user","content":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}]}'),
    ]);
    expect([200, 400]).toContain((await send(invalidUtf8)).status);
    expect((await send("x".repeat(300_000))).status).toBe(413);
    const injected = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${harness.tenant.apiKey}\r\nx-injected: 1`.replace(/[\r\n]/g, " "),
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect(injected.status).toBe(401);
    const ok = await harness.openai().chat.completions.create({
      model: "sandbox/junction-small",
      messages: [{ role: "user", content: "still alive?" }],
    });
    expect(ok.choices[0]?.message.content).toContain("still alive?");
  });
});
