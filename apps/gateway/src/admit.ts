import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatRequest } from "@junction/providers";
import { beginGeneration } from "./chat-service.js";
import type { GatewayContext } from "./context.js";
import type { GenerationRoute } from "./generation.js";
import { parseJsonBody, readBody, requestSignal } from "./http.js";
import { servedEndpoint } from "./metrics.js";
import { recordRejected } from "./rejected.js";

export type Prepared<T> = { parsed: T; chat: ChatRequest; stream: boolean; kind: "chat" | "embedding" };

/**
 * The front half of every generating route: authenticate → read & validate → route & reserve, then the response
 * headers every generation carries (its id, rate-limit state). A refusal after authentication is recorded as a
 * free generation before it is rethrown.
 */
export async function admitGeneration<T>(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  meta: { apiFormat: "openai" | "anthropic"; route: GenerationRoute },
  prepare: (body: unknown) => Prepared<T>,
): Promise<{
  prepared: Prepared<T>;
  begun: Awaited<ReturnType<typeof beginGeneration>>;
  signal: AbortSignal;
}> {
  const principal = await context.auth.authenticate(request.headers);
  let bytes: Buffer;
  let body: unknown;
  let prepared: Prepared<T>;
  let begun: Awaited<ReturnType<typeof beginGeneration>>;
  try {
    bytes = await readBody(request, context.env.GATEWAY_MAX_BODY_BYTES);
    body = parseJsonBody(bytes, request.headers["content-type"]);
    prepared = prepare(body);
    // Fields listed, not `{ ...meta, stream, body }`: V8 gives an object that starts with a spread and then adds
    // keys a new hidden class every time, which turns every later read of it megamorphic (perf: maps per request).
    begun = await beginGeneration(
      context,
      principal,
      prepared.chat,
      { apiFormat: meta.apiFormat, route: meta.route, stream: prepared.stream, body: bytes },
      prepared.kind,
    );
  } catch (error) {
    await recordRejected(context, principal, body, error, meta, response);
    throw error;
  }
  const { tracker } = begun;
  response.setHeader("x-junction-generation-id", tracker.id);
  for (const [name, value] of Object.entries(tracker.rateLease?.headers ?? {}))
    response.setHeader(name, value);
  servedEndpoint.set(response, () => tracker.endpoint);
  return { prepared, begun, signal: requestSignal(response, context.env.UPSTREAM_TOTAL_TIMEOUT_MS) };
}
