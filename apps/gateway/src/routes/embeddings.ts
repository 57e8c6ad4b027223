import type { IncomingMessage, ServerResponse } from "node:http";
import { type ChatRequest, embeddingInputs, encodeEmbedding } from "@junction/providers";
import { admitGeneration } from "../admit.js";
import { attemptCandidates } from "../chat-service.js";
import type { GatewayContext } from "../context.js";
import { openAiUsage } from "../formats/openai.js";
import { clientLeft, sendJson, toJunctionError } from "../http.js";
import { parseEmbeddingRequest } from "../validation.js";

/** POST /v1/embeddings — OpenAI's embeddings API over any embedding model in the catalog. */
export async function handleEmbeddings(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { prepared, begun, signal } = await admitGeneration(
    context,
    request,
    response,
    { apiFormat: "openai", route: "embeddings" },
    (body) => {
      const embedding = parseEmbeddingRequest(body);
      // Routing and the reservation see the input as one prompt: its tokens are what an embedding costs.
      const inputs = embeddingInputs(embedding.input);
      const asChat: ChatRequest = {
        model: embedding.model,
        messages: [
          {
            role: "user",
            content: inputs
              .map((input) => (typeof input === "string" ? input : JSON.stringify(input)))
              .join("\n"),
          },
        ],
      };
      return { parsed: embedding, chat: asChat, stream: false, kind: "embedding" };
    },
  );
  const embedding = prepared.parsed;
  const { route, tracker } = begun;
  try {
    const result = await attemptCandidates(context, route, tracker, signal, (adapter, attempt) => {
      if (!adapter.embed) throw new Error("adapter cannot embed");
      return adapter.embed(embedding, attempt);
    });
    const data = result.data.map((item) => ({
      object: "embedding",
      index: item.index,
      embedding: encodeEmbedding(item.embedding, embedding.encoding_format ?? "float"),
    }));
    tracker.embeddingsJson = JSON.stringify(data);
    tracker.embeddingsCount = data.length;
    const settled = tracker.settle({ status: "success", usage: result.usage });
    sendJson(response, 200, {
      object: "list",
      id: tracker.id,
      model: settled.endpoint?.modelId,
      provider: settled.endpoint?.providerName,
      data,
      usage: openAiUsage(settled),
    });
  } catch (error) {
    const junctionError = toJunctionError(error);
    tracker.settle({
      status: clientLeft(signal) ? "aborted" : "error",
      usage: undefined,
      error: junctionError,
    });
    throw junctionError;
  }
}
