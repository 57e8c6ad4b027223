import { startFakeServer, writeEvents } from "@junction/testing";
import { describe, expect, it } from "vitest";
import { createAdapterRegistry, ProviderError } from "../src/index.js";
import { collect, hello, timeTool, useFakeGemini, weatherTool } from "./gemini-fixtures.js";

const { adapter, context, transport, upstream } = useFakeGemini();

/** A Google error answer for the fake to send: a google.rpc.Status with its details. */
const googleError = (code: number, status: string, message: string, details: unknown[] = []) => ({
  kind: "status" as const,
  status: code,
  body: { error: { code, message, status, details } },
});

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
              id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
          ],
          // The call's thought signature, in the same delta (as OpenRouter streams it).
          reasoning_details: [
            {
              type: "reasoning.encrypted",
              data: Buffer.from("fake thought signature").toString("base64"),
              id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
              format: "google-gemini-v1",
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
              id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
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

  it("takes the wait from the RetryInfo in Google's 429 body (Gemini sends no Retry-After)", async () => {
    const exhausted = googleError(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", [
      { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [] },
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "45.837906927s" },
    ]);
    upstream().queue.push(exhausted);
    await expect(adapter.complete(hello, context())).rejects.toMatchObject({
      status: 429,
      retryable: true,
      retryAfterSeconds: 46,
    });
    upstream().queue.push({ ...exhausted, headers: { "retry-after": "3" } });
    await expect(adapter.stream(hello, context())).rejects.toMatchObject({ retryAfterSeconds: 3 });
  });

  it("a key Google refuses with a 400 (API_KEY_INVALID) or an unserved location is the endpoint's fault, not the request's", async () => {
    const keyInvalid = {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "API_KEY_INVALID",
      domain: "googleapis.com",
    };
    const message = "API key not valid. Please pass a valid API key.";
    upstream().queue.push(googleError(400, "INVALID_ARGUMENT", message, [keyInvalid]));
    const refused = await adapter.complete(hello, context()).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ status: 401, retryable: true, keyRefused: true });
    expect((refused as Error).message).toContain("API key not valid");
    const location = "User location is not supported for the API use.";
    upstream().queue.push(googleError(400, "FAILED_PRECONDITION", location));
    await expect(adapter.stream(hello, context())).rejects.toMatchObject({ status: 403, retryable: true });
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
