import type { IncomingMessage, ServerResponse } from "node:http";
import { answerText, type ChatCompletion, type ChatRequest } from "@junction/providers";
import { admitGeneration } from "./admit.js";
import { attemptCandidates } from "./chat-service.js";
import type { GatewayContext } from "./context.js";
import type { GenerationRoute, SettledGeneration } from "./generation.js";
import { clientLeft, type ErrorFormat, sendJson, toJunctionError, withAnthropicBetas } from "./http.js";
import { openedWithFirstBatch, pumpStream, type StreamSink } from "./stream.js";

/** What differs between the OpenAI and Anthropic chat routes: parsing in, and formatting out. */
export type ChatRouteSpec = {
  format: ErrorFormat;
  route: Exclude<GenerationRoute, "embeddings">;
  parse: (body: unknown) => ChatRequest;
  sink: (generationId: string, created: number, request: ChatRequest, promptTokens: number) => StreamSink;
  body: (
    generationId: string,
    created: number,
    completion: ChatCompletion,
    settled: SettledGeneration,
    request: ChatRequest,
  ) => unknown;
};

/** The request as one candidate is sent it: with the lower output limit routing gave it, if any. */
function withOutputLimit(chat: ChatRequest, maxTokens: number | undefined): ChatRequest {
  if (maxTokens === undefined) return chat;
  return chat.max_completion_tokens === undefined
    ? { ...chat, max_tokens: maxTokens }
    : { ...chat, max_completion_tokens: maxTokens };
}

/**
 * The request path for a chat call: authenticate → read & validate → plan & reserve → attempt candidates →
 * stream or respond → settle. Refusals after authentication are recorded too.
 */
export async function handleChatRoute(
  spec: ChatRouteSpec,
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { prepared, begun, signal } = await admitGeneration(
    context,
    request,
    response,
    { apiFormat: spec.format, route: spec.route },
    (body) => {
      const chat = withAnthropicBetas(spec.parse(body), request.headers);
      return { parsed: chat, chat, stream: chat.stream === true, kind: "chat" };
    },
  );
  const chat = prepared.chat;
  const { route, tracker } = begun;
  const created = Math.floor(tracker.startedAt / 1000);

  if (chat.stream) {
    await pumpStream({
      response,
      tracker,
      signal,
      format: spec.format,
      headers: { "x-junction-generation-id": tracker.id },
      processingCommentMs: context.env.GATEWAY_PROCESSING_COMMENT_MS,
      sink: spec.sink(tracker.id, created, chat, tracker.meta.promptTokens),
      open: () =>
        attemptCandidates(context, route, tracker, signal, async (adapter, attempt, candidate) =>
          openedWithFirstBatch(
            await adapter.stream(withOutputLimit(chat, candidate.maxTokens), attempt),
            signal,
          ),
        ),
    });
    return;
  }

  let completion: ChatCompletion;
  try {
    completion = await attemptCandidates(context, route, tracker, signal, (adapter, attempt, candidate) =>
      adapter.complete(withOutputLimit(chat, candidate.maxTokens), attempt),
    );
  } catch (error) {
    const junctionError = toJunctionError(error);
    tracker.settle({
      status: clientLeft(signal) ? "aborted" : "error",
      usage: undefined,
      error: junctionError,
    });
    throw junctionError;
  }
  tracker.observe(
    answerText(completion.message.content, completion.message.refusal) ?? "",
    completion.message.tool_calls?.map((call, index) => ({ index, ...call })),
    completion.message.reasoning,
  );
  const settled = tracker.settle({
    status: "success",
    usage: completion.usage,
    finishReason: completion.finishReason,
  });
  sendJson(response, 200, spec.body(tracker.id, created, completion, settled, chat));
}
