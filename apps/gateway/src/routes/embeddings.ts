import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatRequest, EmbeddingRequest } from "@junction/providers";
import { attemptCandidates, beginGeneration } from "../chat-service.js";
import type { GatewayContext } from "../context.js";
import { openAiUsage } from "../formats/openai.js";
import { readJsonBody, requestSignal, sendJson, toJunctionError } from "../http.js";
import { servedEndpoint } from "../metrics.js";
import { recordRejected } from "../rejected.js";
import { parseEmbeddingRequest } from "../validation.js";

/** POST /v1/embeddings — OpenAI's embeddings API over any embedding model in the catalog. */
export async function handleEmbeddings(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const principal = await context.auth.authenticate(request.headers);
  let body: unknown;
  let embedding: EmbeddingRequest;
  let begun: Awaited<ReturnType<typeof beginGeneration>>;
  const meta = { apiFormat: "openai" as const, route: "embeddings" as const };
  try {
    body = await readJsonBody(request, context.env.GATEWAY_MAX_BODY_BYTES);
    embedding = parseEmbeddingRequest(body);
    // Routing and the reservation see the input as one prompt: its tokens are what an embedding costs.
    const inputs = typeof embedding.input === "string" ? [embedding.input] : (embedding.input as unknown[]);
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
    begun = await beginGeneration(context, principal, asChat, { ...meta, stream: false }, "embedding");
  } catch (error) {
    await recordRejected(context, principal, body, error, meta, response);
    throw error;
  }
  const { route, tracker } = begun;
  response.setHeader("x-junction-generation-id", tracker.id);
  servedEndpoint.set(response, () => tracker.endpoint);
  const signal = requestSignal(response, context.env.UPSTREAM_TOTAL_TIMEOUT_MS);
  try {
    const result = await attemptCandidates(context, route, tracker, signal, (adapter, attempt) => {
      if (!adapter.embed) throw new Error("adapter cannot embed");
      return adapter.embed(embedding, attempt);
    });
    const settled = await tracker.settle({ status: "success", usage: result.usage, finishReason: "stop" });
    sendJson(response, 200, {
      object: "list",
      id: tracker.id,
      model: settled.endpoint?.modelId,
      provider: settled.endpoint?.providerName,
      data: result.data.map((item) => ({
        object: "embedding",
        index: item.index,
        embedding: item.embedding,
      })),
      usage: openAiUsage(settled),
    });
  } catch (error) {
    const junctionError = toJunctionError(error);
    await tracker.settle({
      status: signal.aborted ? "aborted" : "error",
      usage: undefined,
      error: junctionError,
    });
    throw junctionError;
  }
}
