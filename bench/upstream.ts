import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";

const { values: options } = parseArgs({
  options: { port: { type: "string", default: "0" }, "pace-ms": { type: "string", default: "10" } },
});
const PACE_MS = Number(options["pace-ms"]);

/**
 * A fast fake OpenAI-compatible upstream for the benchmark: POST /v1/chat/completions answers a JSON completion
 * with usage, or (when the body asks for `"stream": true`) an SSE stream of 20 content chunks, the finish chunk, a
 * usage chunk and [DONE], written back to back with no artificial delays. Every response is precomputed, and the
 * body is never JSON-parsed, so the upstream costs as little CPU as possible and is shared by every target.
 *
 * Under the path prefix `/paced` (`/paced/v1/chat/completions`) a stream is paced as a model generates: the role
 * chunk and the first token at once, then one event every `--pace-ms` milliseconds (default 10).
 *
 * Prints `LISTENING <port>` once ready. Usage: node --import tsx bench/upstream.ts [--port 0] [--pace-ms 10]
 */

const MODEL = "gpt-4o-mini-2024-07-18";
const ID = "chatcmpl-bench";
const CREATED = 1_764_000_000;
const WORDS = (
  "Hello there, this is the benchmark upstream answering with twenty small pieces of streamed text " +
  "to measure the gateway"
).split(" ");
export const CONTENT_CHUNKS = 20;
const pieces = Array.from({ length: CONTENT_CHUNKS }, (_, index) => `${WORDS[index % WORDS.length]} `);
const usage = {
  prompt_tokens: 14,
  completion_tokens: CONTENT_CHUNKS,
  total_tokens: 14 + CONTENT_CHUNKS,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 },
};

const chunk = (delta: unknown, finishReason: string | null = null) =>
  `data: ${JSON.stringify({ id: ID, object: "chat.completion.chunk", created: CREATED, model: MODEL, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;

const STREAM_EVENTS = [
  chunk({ role: "assistant", content: "" }),
  ...pieces.map((piece) => chunk({ content: piece })),
  chunk({}, "stop"),
  `data: ${JSON.stringify({ id: ID, object: "chat.completion.chunk", created: CREATED, model: MODEL, choices: [], usage })}\n\n`,
  "data: [DONE]\n\n",
];

const COMPLETION = Buffer.from(
  JSON.stringify({
    id: ID,
    object: "chat.completion",
    created: CREATED,
    model: MODEL,
    choices: [
      { index: 0, message: { role: "assistant", content: pieces.join("").trim() }, finish_reason: "stop" },
    ],
    usage,
  }),
);

const STREAM_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const JSON_HEADERS = { "content-type": "application/json", "content-length": String(COMPLETION.length) };
const STREAM_FLAG = /"stream"\s*:\s*true/;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (data: Buffer) => chunks.push(data));
  request.on("end", () => {
    if (request.method !== "POST" || !request.url?.endsWith("/chat/completions")) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    if (!STREAM_FLAG.test(body.toString("latin1"))) {
      response.writeHead(200, JSON_HEADERS);
      response.end(COMPLETION);
      return;
    }
    response.writeHead(200, STREAM_HEADERS);
    if (request.url.startsWith("/paced/")) return pace(response);
    const last = STREAM_EVENTS.length - 1;
    for (let index = 0; index < last; index++) response.write(STREAM_EVENTS[index] as string);
    response.end(STREAM_EVENTS[last]);
  });
});

/** The role chunk and the first token at once, then one event per PACE_MS; stops when the client goes away. */
function pace(response: ServerResponse): void {
  response.write((STREAM_EVENTS[0] as string) + (STREAM_EVENTS[1] as string));
  let next = 2;
  const timer = setInterval(() => {
    if (next === STREAM_EVENTS.length - 1 || response.destroyed) {
      clearInterval(timer);
      response.end(STREAM_EVENTS[next]);
    } else response.write(STREAM_EVENTS[next++] as string);
  }, PACE_MS);
}
server.keepAliveTimeout = 65_000;
server.listen(Number(options.port), "127.0.0.1", () => {
  console.log(`LISTENING ${(server.address() as AddressInfo).port}`);
});

const stop = () => server.close(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
