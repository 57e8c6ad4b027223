import { type FakeUpstream, startFakeGemini } from "@junction/testing";
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  type AttemptContext,
  type ChatRequest,
  createGeminiAdapter,
  createTransport,
  type ProviderAdapter,
  type StreamEvent,
  type Transport,
} from "../src/index.js";

export const API_KEY = "AIzaSyTestKey000000000000000000000000000";

export const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { city: { type: "string" }, unit: { type: ["string", "null"], enum: ["c", "f"] } },
      required: ["city"],
      additionalProperties: false,
    },
  },
};

export const timeTool = {
  type: "function" as const,
  function: { name: "get_time", parameters: { type: "object", properties: {} } },
};

export const hello: ChatRequest = {
  model: "google/gemini-2.5-flash",
  messages: [{ role: "user", content: "Hello" }],
};

export async function collect(batches: AsyncIterable<StreamEvent[]>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

export type GeminiFixture = {
  transport: Transport;
  adapter: ProviderAdapter;
  upstream: () => FakeUpstream;
  context: (model?: string, baseUrl?: string) => AttemptContext;
  /** The body of the first request the fake received since the last reset. */
  sentBody: () => Record<string, unknown>;
};

/** The Gemini adapter against a fresh fake Gemini server for this test file (reset before each test). */
export function useFakeGemini(): GeminiFixture {
  const transport = createTransport();
  let fake: FakeUpstream | undefined;
  const upstream = () => {
    if (!fake) throw new Error("the fake Gemini server is not running");
    return fake;
  };
  beforeAll(async () => {
    fake = await startFakeGemini();
  });
  afterAll(async () => {
    await fake?.close();
    await transport.dispatcher.close();
  });
  beforeEach(() => upstream().reset());
  return {
    transport,
    adapter: createGeminiAdapter(transport),
    upstream,
    context: (model = "gemini-2.5-flash", baseUrl = upstream().url) => ({
      target: { providerId: "gemini", providerModelId: model, baseUrl, apiKey: API_KEY },
      signal: new AbortController().signal,
    }),
    sentBody: () => upstream().requests[0]?.body as Record<string, unknown>,
  };
}
