import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type Harness, startHarness } from "./harness.js";

/** One scripted answer: what the raw upstream writes for the next request it gets (its body read as text). */
export type Answer = (
  response: ServerResponse,
  request: IncomingMessage,
  body: string,
) => void | Promise<void>;

export type ScriptedUpstream = {
  url: string;
  /** The next answers, in order; a request with none left gets a bare 500. */
  answers: Answer[];
  /** The requests answered so far. */
  asked: IncomingMessage[];
  reset: () => void;
  close: () => Promise<void>;
};

/**
 * A raw upstream that answers byte for byte as a test scripts it: real hosts' ways of answering (badly or not) that
 * the fakes do not produce. Every provider of a harness can point at it.
 */
export async function startScriptedUpstream(
  answers: Answer[] = [],
  asked: IncomingMessage[] = [],
): Promise<ScriptedUpstream> {
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    asked.push(request);
    const answer = answers.shift();
    if (answer) await answer(response, request, body);
    else response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answers,
    asked,
    reset: () => {
      answers.length = 0;
      asked.length = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The harness settings that send OpenAI, Anthropic and Gemini requests (and Groq's, then Together's) to `url`. */
export const scriptedProviders = (url: string): Record<string, string> => ({
  OPENAI_BASE_URL: `${url}/v1`,
  ANTHROPIC_BASE_URL: url,
  GEMINI_API_KEY: "AIzaSyUpstreamGeminiSecret000000000000000",
  GEMINI_BASE_URL: url,
  // Llama 3.3 70B: Groq first (cheapest), then Together.
  GROQ_API_KEY: "gsk-upstream",
  GROQ_BASE_URL: `${url}/v1`,
  TOGETHER_API_KEY: "together-upstream",
  TOGETHER_BASE_URL: `${url}/v1`,
});

/** An answer of `parts` written one by one (separate reads upstream of the gateway), then the end of the body. */
export const written =
  (parts: string[], contentType = "text/event-stream"): Answer =>
  async (response) => {
    response.writeHead(200, { "content-type": contentType });
    for (const part of parts) {
      response.write(part);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    response.end();
  };

export const json =
  (body: unknown): Answer =>
  (response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };

/** The same upstream answer twice over: `parts` to a stream request (by its body, or Gemini's URL), else `whole`. */
export const either =
  (parts: string[], whole: unknown): Answer =>
  (response, request, body) => {
    const streams = request.url?.includes("streamGenerateContent") || JSON.parse(body).stream === true;
    response.writeHead(200, { "content-type": streams ? "text/event-stream" : "application/json" });
    response.end(streams ? parts.join("") : JSON.stringify(whole));
  };

/** One SSE event carrying `value` as JSON (OpenAI's and Gemini's framing: no event name). */
export const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

/** One Anthropic SSE event: its name, and its data with the same `type`. */
export const event = (type: string, fields: object) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;

/** The upstream's queue and log exist from the start; the upstream and the harness once beforeAll has run. */
export type ScriptedHarness = Pick<ScriptedUpstream, "answers" | "asked"> & {
  upstream: ScriptedUpstream;
  harness: Harness;
};

/**
 * For one test file: a harness whose providers all answer from one scripted upstream (filled in beforeAll). Each test
 * starts with no answers queued and every endpoint's circuit closed.
 */
export function scriptedHarness(
  /** More settings, given the upstream's URL (other providers sent to it, say). */
  more: (url: string) => Record<string, string> = () => ({}),
): ScriptedHarness {
  const scripted = { answers: [], asked: [] } as unknown as ScriptedHarness;
  beforeAll(async () => {
    scripted.upstream = await startScriptedUpstream(scripted.answers, scripted.asked);
    const url = scripted.upstream.url;
    scripted.harness = await startHarness(() => ({ ...scriptedProviders(url), ...more(url) }));
  });
  afterAll(async () => {
    await scripted.harness.close();
    await scripted.upstream.close();
  });
  beforeEach(async () => {
    scripted.upstream.reset();
    await scripted.harness.gateway.context.health.resetAll();
  });
  return scripted;
}
