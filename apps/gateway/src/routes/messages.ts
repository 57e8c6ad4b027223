import { chatRequestFromAnthropic } from "@junction/providers";
import type { ChatRouteSpec } from "../chat-route.js";
import { anthropicMessageBody, createAnthropicSink } from "../formats/anthropic.js";
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
