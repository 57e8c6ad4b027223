import type { Readable } from "node:stream";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { UpstreamResponse } from "./transport.js";
import { classifyTransportError } from "./transport.js";

/**
 * Reads an upstream SSE body incrementally and yields its events as they arrive. Pulling from the body only when
 * the consumer asks for the next event keeps backpressure intact end to end.
 */
export async function* readSseEvents(
  providerId: string,
  response: UpstreamResponse,
  signal: AbortSignal,
): AsyncGenerator<EventSourceMessage> {
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const decoder = new TextDecoder();
  const body = pullChunks(response.body);
  try {
    for (let chunk = await body.next(); chunk !== null; chunk = await body.next()) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      while (pending.length) yield pending.shift() as EventSourceMessage;
    }
    parser.feed(decoder.decode());
    while (pending.length) yield pending.shift() as EventSourceMessage;
  } catch (error) {
    throw classifyTransportError(providerId, error, signal);
  } finally {
    body.stop();
  }
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
