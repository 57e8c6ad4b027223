import { chatRequestFromResponses } from "@junction/providers";
import type { ChatRouteSpec } from "../chat-route.js";
import { createResponsesSink, responsesBody } from "../formats/responses.js";
import { parseResponsesRequest } from "../validation.js";

/** Response ids look like `resp_…`; ours carry the generation id's body. */
const responseId = (generationId: string) => `resp_${generationId.slice(4)}`;

/**
 * POST /v1/responses — OpenAI's Responses API for any model, stateless (as Codex calls it with `store: false`):
 * translated to the internal shape and back, like /v1/messages.
 */
export const responsesRoute: ChatRouteSpec = {
  format: "openai",
  route: "responses",
  parse: (body) => chatRequestFromResponses(parseResponsesRequest(body)),
  sink: (id, created) => createResponsesSink(responseId(id), created),
  body: (id, created, completion, settled) => responsesBody(responseId(id), created, completion, settled),
};
