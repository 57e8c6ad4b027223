import { type ChatRequest, chatRequestFromResponses, type ResponsesRequest } from "@junction/providers";
import type { ChatRouteSpec } from "../chat-route.js";
import { createResponsesSink, responsesBody } from "../formats/responses.js";
import { parseResponsesRequest } from "../validation.js";

/** Response ids look like `resp_…`; ours carry the generation id's body. */
const responseId = (generationId: string) => `resp_${generationId.slice(4)}`;

/** Each request as the client sent it, for the answer to echo (the route's other steps see the internal shape). */
const asSent = new WeakMap<ChatRequest, ResponsesRequest>();

/**
 * POST /v1/responses — OpenAI's Responses API for any model, stateless (as Codex calls it with `store: false`):
 * translated to the internal shape and back, like /v1/messages.
 */
export const responsesRoute: ChatRouteSpec = {
  format: "openai",
  route: "responses",
  parse: (body) => {
    const request = parseResponsesRequest(body);
    const chat = chatRequestFromResponses(request);
    asSent.set(chat, request);
    return chat;
  },
  sink: (id, created, chat) => createResponsesSink(responseId(id), created, asSent.get(chat)),
  body: (id, created, completion, settled, chat) =>
    responsesBody(responseId(id), created, completion, settled, asSent.get(chat)),
};
