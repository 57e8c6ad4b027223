import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What a fake upstream does with the next request. Fakes speak the provider's real wire format; a behavior
 * injects the faults a real provider shows (error statuses with their bodies, Retry-After, hangs, a connection
 * dropped mid-stream, missing usage).
 */
export type FakeBehavior =
  | {
      kind: "ok";
      omitUsage?: boolean;
      text?: string;
      eventDelayMs?: number;
      /** Reasoning before the answer, in DeepSeek's `reasoning_content` (the OpenAI-compatible fake only). */
      reasoning?: string;
      /**
       * Reasoning tokens the OpenAI fake reports (`completion_tokens_details.reasoning_tokens`, also counted in
       * `completion_tokens`), as its o-series and GPT-5 models do whether or not any reasoning text is shown.
       */
      reasoningTokens?: number;
      /**
       * The prompt's size the fake reports (the Gemini fake: all of it, default 40; the Anthropic fake: its uncached
       * `input_tokens`, default 12), e.g. past a long-context threshold.
       */
      promptTokens?: number;
    }
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "slow-first-byte"; delayMs: number }
  | { kind: "drop-mid-stream"; afterEvents: number };

export type RecordedRequest = {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  /** True when the caller closed the connection before the fake finished answering (a cancelled request). */
  closedEarly: boolean;
  /** Stream events the socket has taken so far (the fake waits for 'drain', as a real server does). */
  eventsWritten: number;
};

export type FakeUpstream = {
  url: string;
  requests: RecordedRequest[];
  /** Behaviors for the next requests, in order; when empty, `fallback` applies. */
  queue: FakeBehavior[];
  fallback: FakeBehavior;
  reset(): void;
  close(): Promise<void>;
};

export type FakeHandler = (
  request: RecordedRequest,
  response: ServerResponse,
  behavior: Extract<FakeBehavior, { kind: "ok" | "drop-mid-stream" }>,
) => Promise<void> | void;

export async function startFakeServer(
  handle: FakeHandler,
  errorBody: (status: number) => unknown,
): Promise<FakeUpstream> {
  const state = {
    queue: [] as FakeBehavior[],
    fallback: { kind: "ok" } as FakeBehavior,
    requests: [] as RecordedRequest[],
  };
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const recorded: RecordedRequest = {
      path: request.url ?? "/",
      headers: request.headers,
      body: text ? JSON.parse(text) : {},
      closedEarly: false,
      eventsWritten: 0,
    };
    response.once("close", () => {
      if (!response.writableFinished) recorded.closedEarly = true;
    });
    state.requests.push(recorded);
    const behavior = state.queue.shift() ?? state.fallback;
    switch (behavior.kind) {
      case "status":
        response.writeHead(behavior.status, { "content-type": "application/json", ...behavior.headers });
        response.end(JSON.stringify(behavior.body ?? errorBody(behavior.status)));
        return;
      case "hang":
        return; // never answers; the gateway's timeout must fire
      case "slow-first-byte":
        await new Promise((resolve) => setTimeout(resolve, behavior.delayMs));
        await handle(recorded, response, { kind: "ok" });
        return;
      default:
        await handle(recorded, response, behavior);
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: state.requests,
    get queue() {
      return state.queue;
    },
    set queue(value) {
      state.queue = value;
    },
    get fallback() {
      return state.fallback;
    },
    set fallback(value) {
      state.fallback = value;
    },
    reset() {
      state.queue = [];
      state.fallback = { kind: "ok" };
      state.requests.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes SSE events one by one; stops (destroying the socket) after `dropAfter` events to simulate a dead upstream. */
export async function writeEvents(
  response: ServerResponse,
  events: string[],
  behavior: Extract<FakeBehavior, { kind: "ok" | "drop-mid-stream" }>,
  recorded: RecordedRequest,
): Promise<void> {
  const dropAfter = behavior.kind === "drop-mid-stream" ? behavior.afterEvents : undefined;
  const delayMs = behavior.kind === "ok" ? (behavior.eventDelayMs ?? 0) : 0;
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const [index, event] of events.entries()) {
    if (response.destroyed) return;
    if (dropAfter !== undefined && index === dropAfter) {
      response.socket?.destroy();
      return;
    }
    if (!response.write(event)) await drainOrClose(response);
    recorded.eventsWritten++;
    await new Promise((resolve) => (delayMs ? setTimeout(resolve, delayMs) : setImmediate(resolve)));
  }
  response.end();
}

function drainOrClose(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done).off("close", done);
      resolve();
    };
    response.on("drain", done).on("close", done);
  });
}
