import type { IncomingMessage, ServerResponse } from "node:http";
import { worstCaseCost } from "@junction/core";
import { type ChatRequest, countTextTokens, type EmbeddingRequest } from "@junction/providers";
import { attemptCandidates, generationContext } from "../chat-service.js";
import type { GatewayContext } from "../context.js";
import { openAiUsage } from "../formats/openai.js";
import { GenerationTracker } from "../generation.js";
import { readJsonBody, requestSignal, sendJson, toJunctionError } from "../http.js";
import { servedEndpoint } from "../metrics.js";
import { planChat } from "../plan.js";
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
  let plan: ReturnType<typeof planChat>;
  let tracker: GenerationTracker;
  const meta = { apiFormat: "openai" as const, route: "embeddings" as const };
  try {
    body = await readJsonBody(request, context.env.GATEWAY_MAX_BODY_BYTES);
    embedding = parseEmbeddingRequest(body);
    const asChat: ChatRequest = { model: embedding.model, messages: [] };
    const catalog = context.catalog();
    plan = planChat(
      catalog,
      asChat,
      context.providerEnv,
      (adapter) => context.adapters.get(adapter)?.embed !== undefined,
      "embedding",
    );
    tracker = new GenerationTracker(
      generationContext(context, catalog.priceTableVersion),
      principal,
      asChat,
      { ...meta, stream: false },
      await context.credits.reserve(principal, embeddingWorstCase(embedding, plan)),
    );
  } catch (error) {
    await recordRejected(context, principal, body, error, meta, response);
    throw error;
  }
  response.setHeader("x-junction-generation-id", tracker.id);
  servedEndpoint.set(response, () => tracker.endpoint);
  const signal = requestSignal(response, context.env.UPSTREAM_TOTAL_TIMEOUT_MS);
  try {
    const result = await attemptCandidates(context, plan, tracker, signal, (adapter, attempt) => {
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

/** Embeddings have no output: the worst case is every input token at the dearest candidate's price. */
function embeddingWorstCase(request: EmbeddingRequest, plan: ReturnType<typeof planChat>): bigint {
  const inputs = typeof request.input === "string" ? [request.input] : (request.input as unknown[]);
  const tokens = inputs.reduce<number>(
    (sum, input) => sum + countTextTokens(typeof input === "string" ? input : JSON.stringify(input)),
    0,
  );
  let worst = 0n;
  for (const { endpoint } of plan.candidates) {
    const cost = worstCaseCost(tokens, 0, endpoint.prices);
    if (cost > worst) worst = cost;
  }
  return worst;
}
