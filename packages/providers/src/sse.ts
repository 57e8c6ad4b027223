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
  try {
    for await (const chunk of response.body) {
      parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      while (pending.length) yield pending.shift() as EventSourceMessage;
    }
  } catch (error) {
    throw classifyTransportError(providerId, error, signal);
  }
  parser.feed(decoder.decode());
  while (pending.length) yield pending.shift() as EventSourceMessage;
}
