import type { IncomingMessage, ServerResponse } from "node:http";
import { nanoToUsdString, pricePerMillionToUsdPerToken, tokenPricesFor } from "@junction/core";
import { routeRequest } from "../chat-service.js";
import type { GatewayContext } from "../context.js";
import { readJsonBody, sendJson, withAnthropicBetas } from "../http.js";
import { parseChatRequest } from "../validation.js";

/**
 * POST /v1/routing/explain — the route a chat request would take, without calling any provider: the candidates in
 * order (with prices, worst-case cost and, for the default strategy, selection weights) and the reason every other
 * endpoint was excluded. Runs the same routing code as a real request.
 */
export async function handleRoutingExplain(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const principal = await context.auth.authenticate(request.headers);
  const body = await readJsonBody(request, context.env.GATEWAY_MAX_BODY_BYTES);
  const chat = withAnthropicBetas(parseChatRequest(body), request.headers);
  const { route, policy, promptTokens } = await routeRequest(context, principal, chat);
  sendJson(response, 200, {
    models: route.models,
    strategy: route.strategy,
    strategy_description: {
      weighted:
        "first endpoint drawn at random, weighted by the inverse square of price; the rest cheapest first",
      price: "cheapest first",
      throughput: "highest measured tokens/second first",
      latency: "lowest measured time to first token first",
      order: "provider.order first, then cheapest first",
    }[route.strategy],
    prompt_tokens: promptTokens,
    policy: policy ? { id: policy.id, name: policy.name, version_hash: policy.versionHash } : null,
    price_table_version: context.catalog().priceTableVersion,
    // The prices this prompt would be charged at (an endpoint's long-context tier's when it is that long).
    candidates: route.candidates.map(({ endpoint, worstCase }) => {
      const prices = tokenPricesFor(promptTokens, endpoint.prices);
      return {
        endpoint: endpoint.id,
        model: endpoint.modelId,
        provider: endpoint.providerId,
        pricing: {
          prompt: pricePerMillionToUsdPerToken(prices.input),
          completion: pricePerMillionToUsdPerToken(prices.output),
        },
        worst_case_cost_usd: nanoToUsdString(worstCase),
        ...(route.weights && { weight: route.weights[endpoint.id] }),
        stats: context.health.statsFor(endpoint.id) ?? null,
      };
    }),
    excluded: route.excluded,
  });
}

/** GET /.well-known/junction-receipt-key — the public key that verifies receipts offline. */
export async function handleReceiptKey(
  context: GatewayContext,
  _request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  sendJson(response, 200, {
    key_id: context.receipts.keyId,
    algorithm: "Ed25519",
    canonicalization: "JSON with object keys sorted, no whitespace, bigints as decimal strings",
    public_key_pem: context.receipts.publicKeyPem,
  });
}
