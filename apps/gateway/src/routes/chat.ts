import type { ChatRouteSpec } from "../chat-route.js";
import { createOpenAiSink, openAiCompletionBody } from "../formats/openai.js";
import { parseChatRequest } from "../validation.js";

/** POST /v1/chat/completions — OpenAI's Chat Completions, any model. */
export const chatCompletionsRoute: ChatRouteSpec = {
  format: "openai",
  route: "chat",
  parse: parseChatRequest,
  sink: (id, created, request) =>
    createOpenAiSink(id, created, {
      includeUsage: request.stream_options?.include_usage === true,
      excludeReasoning: request.reasoning?.exclude === true,
      legacyFunctions: request.legacy_functions === true,
    }),
  body: openAiCompletionBody,
};
