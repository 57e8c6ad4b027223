import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { errorInBody, ProviderError, type UpstreamErrorObject } from "./errors.js";
import type { UpstreamResponse } from "./transport.js";
import { classifyTransportError } from "./transport.js";
import type { StreamEvent, Usage } from "./types.js";

/** Turns an upstream's SSE messages into stream events; one per adapter and stream, so it can keep state. */
export type SseDecoder = {
  /** Pushes the events one message carries onto `out`; returns true when the message ends the stream. */
  message(message: EventSourceMessage, out: StreamEvent[]): boolean;
  /** The body ended without a message saying the stream is complete: push the closing events, or throw. */
  end(out: StreamEvent[]): void;
  /** The usage the upstream has reported so far, kept on the error when the stream fails midway. */
  reportedUsage?(): Usage | undefined;
};

/** The JSON an SSE message carries; a message that is not JSON is the upstream breaking its protocol. */
export function parseSseJson<T>(providerId: string, message: EventSourceMessage): T {
  try {
    return JSON.parse(message.data) as T;
  } catch {
    throw new ProviderError(providerId, "protocol", "upstream sent an invalid stream event");
  }
}

/**
 * Reads an upstream SSE body incrementally and yields its events in batches: a batch is what one read of the body
 * carried, except that the stream's first delta is yielded on its own as soon as it is decoded (time to first
 * token). Batches instead of single events save a few async-iteration steps per event; pulling from the body only
 * when the consumer asks for the next batch keeps backpressure intact end to end.
 */
export async function* readSseStream(
  providerId: string,
  response: UpstreamResponse,
  signal: AbortSignal,
  decoder: SseDecoder,
): AsyncGenerator<StreamEvent[]> {
  const messages: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => messages.push(message) });
  // StringDecoder (native, keeps a split UTF-8 sequence for the next chunk) costs a fraction of TextDecoder's
  // streaming decode per chunk.
  const text = new StringDecoder("utf8");
  const body = pullChunks(response.body);
  let awaitingDelta = true;
  // Until the first message: what the body said (an error page, a JSON error), to report when no message comes.
  let heard = false;
  let head = "";
  try {
    for (;;) {
      const chunk = await body.next();
      // At the end, a blank line: a last event whose own blank line never came (`data: [DONE]` and EOF) still counts.
      let unread = chunk === null ? `${text.end()}\n\n` : text.write(chunk);
      let out: StreamEvent[] = [];
      while (unread) {
        // Until the first delta, a read is framed one event at a time: the first token does not wait for the framing
        // of the rest of the read. (The parser is incremental, so any cut is safe.)
        const cut = awaitingDelta ? unread.indexOf("\n\n") + 2 : 0;
        const piece = cut > 1 ? unread.slice(0, cut) : unread;
        unread = unread.slice(piece.length);
        parser.feed(piece);
        if (!heard) {
          if (messages.length) heard = true;
          else if (head.length < MAX_HEAD) head += piece;
        }
        for (const message of messages.splice(0)) {
          if (decoder.message(message, out)) {
            if (out.length) yield out;
            return;
          }
          if (awaitingDelta && out.some((event) => event.type === "delta")) {
            awaitingDelta = false;
            yield out;
            out = [];
          }
        }
      }
      if (chunk === null) {
        if (!heard) throw notAnEventStream(providerId, response, head);
        decoder.end(out);
      }
      if (out.length) yield out;
      if (chunk === null) return;
    }
  } catch (error) {
    const failure = classifyTransportError(providerId, error, signal);
    failure.partialUsage ??= decoder.reportedUsage?.();
    throw failure;
  } finally {
    body.stop();
  }
}

const MAX_HEAD = 8_192;

/**
 * A 200 whose body carried no SSE message at all: an error the upstream sent as JSON instead of a stream (classified
 * by its status, so a failing upstream can still be replaced), an HTML error page from a proxy, or nothing.
 */
function notAnEventStream(providerId: string, response: UpstreamResponse, head: string): ProviderError {
  const text = head.trim();
  try {
    const parsed = JSON.parse(text) as { error?: UpstreamErrorObject | string };
    if (typeof parsed.error === "object" && parsed.error !== null)
      return errorInBody(providerId, parsed.error, "upstream error");
    if (typeof parsed.error === "string")
      return errorInBody(providerId, { message: parsed.error }, "upstream error");
  } catch {
    // Not JSON: described below by its content type.
  }
  const type = String(response.headers["content-type"] ?? "no content type");
  return new ProviderError(
    providerId,
    "protocol",
    text
      ? `upstream answered the stream with no events (${type.slice(0, 100)})`
      : "upstream answered the stream with an empty body",
  );
}

/**
 * Pulls a Readable one chunk at a time. A stream's own async iterator builds an AbortError — stack trace included —
 * for every body it finishes, which cost more than parsing the whole stream. A consumer that stops early (after
 * `[DONE]`, before the body's end arrives) leaves the rest to drain: destroying an unfinished undici body aborts its
 * request. A stuck upstream is still cut off by the request's signal and timeouts.
 */
function pullChunks(body: Readable): { next(): Promise<Buffer | null>; stop(): void } {
  let wake: (() => void) | undefined;
  const onChange = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  body.on("readable", onChange).on("end", onChange).on("error", onChange).on("close", onChange);
  return {
    async next() {
      for (;;) {
        if (body.errored) throw body.errored;
        const chunk = body.read() as Buffer | null;
        if (chunk !== null) return chunk;
        if (body.readableEnded) return null;
        if (body.destroyed) {
          throw Object.assign(new Error("the upstream body closed before it ended"), {
            code: "ERR_STREAM_PREMATURE_CLOSE",
          });
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    stop() {
      body.off("readable", onChange).off("end", onChange).off("error", onChange).off("close", onChange);
      if (body.readableEnded || body.destroyed) return;
      body.on("error", () => undefined); // errors of a body nobody reads any more are of no interest
      body.resume();
    },
  };
}
