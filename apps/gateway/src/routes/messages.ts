import type { IncomingMessage, ServerResponse } from "node:http";
import { JunctionError } from "@junction/core";
import { chatRequestFromAnthropic } from "@junction/providers";
import { findModel } from "@junction/routing/catalog";
import type { ChatRouteSpec } from "../chat-route.js";
import type { GatewayContext } from "../context.js";
import { anthropicMessageBody, createAnthropicSink } from "../formats/anthropic.js";
import { readJsonBody, sendJson } from "../http.js";
import { parseAnthropicRequest } from "../validation.js";

/** Anthropic message ids look like `msg_…`; ours carry the generation id's body. */
const messageId = (generationId: string) => `msg_${generationId.slice(4)}`;

/** POST /v1/messages — Anthropic's Messages API for any model (translated to the internal shape and back). */
export const messagesRoute: ChatRouteSpec = {
  format: "anthropic",
  route: "messages",
  parse: (body) => chatRequestFromAnthropic(parseAnthropicRequest(body)),
  sink: (id, _created, _request, promptTokens) => createAnthropicSink(messageId(id), promptTokens),
  body: (id, _created, completion, settled) => anthropicMessageBody(messageId(id), completion, settled),
};

/**
 * POST /v1/messages/count_tokens — Anthropic's token counting (Claude Code calls it). Counted locally with the
 * o200k tokenizer for every model, so it is an estimate for non-OpenAI tokenizers; it costs nothing.
 */
export async function handleCountTokens(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const principal = await context.auth.authenticate(request.headers);
  const body = (await readJsonBody(request, context.env.GATEWAY_MAX_BODY_BYTES)) as Record<string, unknown>;
  // count_tokens takes a Messages body without max_tokens.
  const chat = chatRequestFromAnthropic(parseAnthropicRequest({ max_tokens: 1, ...body }));
  if (!findModel(context.catalog(), chat.model)) {
    throw new JunctionError("not_found", `Model "${chat.model}" not found`, { param: "model" });
  }
  sendJson(response, 200, { input_tokens: context.tokenCounts.countPrompt(principal.organizationId, chat) });
}
