import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { JunctionError } from "@junction/core";
import {
  answerText,
  type FinishReason,
  ProviderError,
  type StreamEvent,
  type Usage,
} from "@junction/providers";
import type { CatalogEndpoint } from "@junction/routing/catalog";
import type { GenerationTracker, SettledGeneration } from "./generation.js";
import { clientLeft, type ErrorFormat, sendError, toJunctionError } from "./http.js";

/** Serializes one API format's stream: the gateway's pump is the same for OpenAI and Anthropic clients. */
export type StreamSink = {
  /** `prompt`: the upstream's exact prompt figures when it gave them as its answer started (Claude's). */
  begin(endpoint: CatalogEndpoint, prompt?: Usage): string;
  event(event: StreamEvent): string;
  /** `stopSequence`: the stop sequence that ended the answer, when the provider said which. */
  end(finishReason: FinishReason, settled: SettledGeneration, stopSequence?: string): string;
  fail(error: JunctionError, settled?: SettledGeneration): string;
};

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

export type PumpOptions = {
  response: ServerResponse;
  tracker: GenerationTracker;
  sink: StreamSink;
  signal: AbortSignal;
  format: ErrorFormat;
  headers: Record<string, string>;
  processingCommentMs: number;
  /** Opens the upstream stream, falling back across candidates; resolves when one accepted the request. */
  open: () => Promise<AsyncIterable<StreamEvent[]>>;
};

/**
 * Opens an upstream stream and reads its first batch before the attempt counts as a success: an upstream that
 * accepted the request but fails before its first token (an overloaded error event, an error body sent with 200,
 * a connection cut) can still be replaced by the next candidate, since nothing has reached the client yet.
 * A read ended by `signal` (the client gone, the total timeout) is no failure of the upstream and no candidate is tried
 * after it: the attempt stands and the stream fails at its first read, so the pump bills and ends it as any abort.
 */
export async function openedWithFirstBatch(
  batches: AsyncIterable<StreamEvent[]>,
  signal: AbortSignal,
): Promise<AsyncIterable<StreamEvent[]>> {
  const iterator = batches[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<StreamEvent[]>> | undefined;
  try {
    first = Promise.resolve(await iterator.next());
  } catch (error) {
    if (!signal.aborted) throw error;
    first = Promise.reject(error);
    first.catch(() => undefined); // rejected when the pump reads it
  }
  const rest: AsyncIterator<StreamEvent[]> = {
    next() {
      const read = first;
      first = undefined;
      return read ?? iterator.next();
    },
    return(value?: unknown) {
      first = undefined;
      return iterator.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
    },
  };
  return { [Symbol.asyncIterator]: () => rest };
}

/**
 * Streams an upstream answer to the client without buffering. Until an upstream accepts, the status is still
 * open (errors get their real HTTP status) but `: JUNCTION PROCESSING` comments keep the connection alive once the
 * wait exceeds `processingCommentMs`. After the first byte, a failure ends the stream with an error chunk — never
 * a fake success — and the usage already produced is billed once.
 */
export async function pumpStream(options: PumpOptions): Promise<void> {
  const { response, tracker, sink, signal } = options;
  let receivedToken = false;
  const startHeaders = () => {
    // Object.assign, not a spread followed by more keys: that makes a new hidden class per request (see admit.ts).
    if (!response.headersSent) response.writeHead(200, Object.assign({}, SSE_HEADERS, options.headers));
  };
  const keepAlive = setInterval(() => {
    if (receivedToken || response.writableEnded) return;
    startHeaders();
    response.write(": JUNCTION PROCESSING\n\n");
  }, options.processingCommentMs);

  // A batch of events (what one upstream read carried) is written with one write(): node:http frames every write()
  // as a chunk of its own. The first token leaves at once. A write the socket could not take makes the next batch
  // wait for 'drain' (backpressure).
  let firstWritten = false;
  let drained: Promise<unknown> | undefined;
  const write = (text: string) => {
    if (!response.write(text)) {
      drained = once(response, "drain", { signal });
      drained.catch(() => undefined); // awaited before the next batch; an abort is handled there
    }
    if (!firstWritten) {
      firstWritten = true;
      // node:http corks a chunked response's socket until the next tick; the first token must not wait for that.
      response.socket?.uncork();
    }
  };

  let batches: AsyncIterable<StreamEvent[]>;
  try {
    batches = await options.open();
  } catch (error) {
    clearInterval(keepAlive);
    const junctionError = toJunctionError(error);
    const left = clientLeft(signal);
    const settled = tracker.settle({
      status: left ? "aborted" : "error",
      usage: undefined,
      error: junctionError,
    });
    // A client gone away has nothing to write to; the total timeout still has a client waiting for its answer.
    if (left) return;
    if (!response.headersSent) sendError(response, junctionError, options.format, options.headers);
    else response.end(sink.fail(junctionError, settled));
    return;
  }

  let finishReason: FinishReason = "stop";
  let stopSequence: string | undefined;
  let usage: Usage | undefined;
  // The opening event leaves with the first token, in one write (as OpenAI sends its role chunk). It is made at the
  // first delta, which carries the upstream's prompt figures when it gave them at its start (Claude's).
  let opening: string | undefined;
  const begin = () => opening ?? sink.begin(tracker.endpoint as CatalogEndpoint);
  try {
    startHeaders();
    for await (const batch of batches) {
      let text = "";
      for (const event of batch) {
        if (event.type === "delta") {
          const { delta } = event;
          opening ??= sink.begin(tracker.endpoint as CatalogEndpoint, event.promptUsage);
          // A refusal's words are output too (counted when the provider reports no usage).
          tracker.observe(answerText(delta.content, delta.refusal), delta.tool_calls, delta.reasoning);
          const written = sink.event(event);
          // Reasoning the client asked not to see writes nothing: keep-alive comments go on meanwhile.
          if (!written) continue;
          receivedToken = true;
          text += opening + written;
          opening = "";
        } else if (event.type === "finish") {
          finishReason = event.finishReason;
          stopSequence = event.stopSequence;
        } else usage = event.usage;
      }
      if (!text) continue;
      if (drained) {
        const waiting = drained;
        drained = undefined;
        await waiting;
      }
      write(text);
    }
    clearInterval(keepAlive);
    const settled = tracker.settle({ status: "success", usage, finishReason });
    response.end(begin() + sink.end(finishReason, settled, stopSequence));
  } catch (error) {
    clearInterval(keepAlive);
    const junctionError = toJunctionError(error);
    // What the provider reported before it failed (its exact prompt side, cache reads included) beats a count.
    usage ??= error instanceof ProviderError ? error.partialUsage : undefined;
    if (clientLeft(signal)) {
      // The client went away: bill what was produced, write nothing more.
      tracker.settle({ status: "aborted", usage, error: junctionError });
      response.destroy();
      return;
    }
    const settled = tracker.settle({
      status: "error",
      usage,
      finishReason: "error",
      error: junctionError,
    });
    response.end(begin() + sink.fail(junctionError, settled));
  }
}
