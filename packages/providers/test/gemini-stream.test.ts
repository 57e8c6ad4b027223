import { startFakeServer, writeEvents } from "@junction/testing";
import { describe, expect, it } from "vitest";
import { createAdapterRegistry, ProviderError } from "../src/index.js";
import { collect, hello, timeTool, useFakeGemini, weatherTool } from "./gemini-fixtures.js";

const { adapter, context, transport, upstream } = useFakeGemini();

describe("streaming", () => {
  it("streams text deltas, then finish, then the last usageMetadata", async () => {
    const events = await collect(await adapter.stream({ ...hello, stream: true }, context()));
    expect(upstream().requests[0]?.path).toBe(
      "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    );
    const text = events.map((event) => (event.type === "delta" ? event.delta.content : "")).join("");
    expect(text).toBe("Hello from the fake Gemini upstream.");
    expect(events.slice(-2)).toEqual([
      { type: "finish", finishReason: "stop" },
      {
        type: "usage",
        usage: {
          promptTokens: 40,
          completionTokens: 8 + 7,
          cachedTokens: 16,
          cacheWriteTokens: 0,
          reasoningTokens: 7,
        },
      },
    ]);
  });

  it("emits each function call whole: id, name and all arguments in one delta", async () => {
    const events = await collect(
      await adapter.stream({ ...hello, tools: [weatherTool, timeTool] }, context()),
    );
    expect(events.filter((event) => event.type === "delta")).toEqual([
      {
        type: "delta",
        delta: {
          tool_calls: [
            {
              index: 0,
              id: "call_0",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
          ],
        },
      },
      {
        type: "delta",
        delta: {
          tool_calls: [
            {
              index: 1,
              id: "call_1",
              type: "function",
              function: { name: "get_time", arguments: '{"city":"Oslo"}' },
            },
          ],
        },
      },
    ]);
    expect(events).toContainEqual({ type: "finish", finishReason: "tool_calls" });
  });

  it("streams MAX_TOKENS as length and omits usage when Gemini sent none", async () => {
    upstream().queue.push({ kind: "ok", omitUsage: true });
    const events = await collect(await adapter.stream({ ...hello, max_tokens: 3 }, context()));
    expect(events.at(-1)).toEqual({ type: "finish", finishReason: "length" });
    expect(events.some((event) => event.type === "usage")).toBe(false);
  });

  it("fails (never a fake success) when the stream is cut or ends without a finishReason", async () => {
    upstream().queue.push({ kind: "drop-mid-stream", afterEvents: 2 });
    await expect(collect(await adapter.stream(hello, context()))).rejects.toBeInstanceOf(ProviderError);
    // A 200 whose body is JSON, not events: no finishReason ever came.
    upstream().queue.push({ kind: "status", status: 200, body: {} });
    await expect(collect(await adapter.stream(hello, context()))).rejects.toMatchObject({
      kind: "protocol",
      message: "upstream answered the stream with no events (application/json)",
    });
  });

  it("classifies an error Gemini sends inside the stream by its code", async () => {
    const broken = await startFakeServer(
      (request, response, behavior) =>
        writeEvents(
          response,
          [
            `data: ${JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text: "Hi" }] } }] })}\r\n\r\n`,
            `data: ${JSON.stringify({ error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } })}\r\n\r\n`,
          ],
          behavior,
          request,
        ),
      () => ({}),
    );
    try {
      const events = await adapter.stream(hello, context("gemini-2.5-flash", broken.url));
      await expect(collect(events)).rejects.toMatchObject({
        errorClass: "http_503",
        message: expect.stringContaining("overloaded"),
      });
    } finally {
      await broken.close();
    }
  });
});

describe("errors", () => {
  it("429 with Retry-After is retryable and carries the wait and Gemini's message", async () => {
    upstream().queue.push({ kind: "status", status: 429, headers: { "retry-after": "7" } });
    const error = await adapter.complete(hello, context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterSeconds: 7,
      errorClass: "http_429",
    });
    expect((error as Error).message).toContain("Resource has been exhausted");
  });

  it("500 is retryable, 400 is not, and a Google key in the error body is redacted", async () => {
    upstream().queue.push({ kind: "status", status: 500 });
    const serverError = await adapter.stream(hello, context()).catch((caught: unknown) => caught);
    expect(serverError).toMatchObject({ status: 500, retryable: true });
    expect((serverError as Error).message).not.toMatch(/AIza/);
    upstream().queue.push({ kind: "status", status: 400 });
    await expect(adapter.complete(hello, context())).rejects.toMatchObject({ status: 400, retryable: false });
  });

  it("without a key the fake answers 403 as Gemini does", async () => {
    const anonymous = context();
    anonymous.target.apiKey = undefined;
    // Refused credentials are this endpoint's fault, not the request's: another endpoint may serve it.
    await expect(adapter.complete(hello, anonymous)).rejects.toMatchObject({ status: 403, retryable: true });
  });
});

it("is registered under the adapter kind gemini", () => {
  expect(createAdapterRegistry(transport, { tokensPerSecond: 1000 }).get("gemini")?.kind).toBe("gemini");
});
