import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { JunctionError } from "@junction/core";
import { handleChatRoute } from "./chat-route.js";
import type { GatewayContext } from "./context.js";
import { answerClientError, type ErrorFormat, sendError, sendJson, toJunctionError } from "./http.js";
import { modelLabel, servedEndpoint } from "./metrics.js";
import { openApiDocument } from "./openapi.js";
import { chatCompletionsRoute } from "./routes/chat.js";
import { handleEmbeddings } from "./routes/embeddings.js";
import {
  handleCredits,
  handleGeneration,
  handleGenerationByQuery,
  handleHealth,
  handleKey,
  handleMetrics,
  handleModel,
  handleModelEndpoints,
  handleModels,
} from "./routes/info.js";
import { handleCountTokens, messagesRoute } from "./routes/messages.js";
import { responsesRoute } from "./routes/responses.js";
import { handleReceiptKey, handleRoutingExplain } from "./routes/routing.js";

type Handler = (
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  param: string,
) => Promise<void>;
type Route = { method: string; path: string | RegExp; name: string; handler: Handler; format?: ErrorFormat };

const ROUTES: Route[] = [
  {
    method: "POST",
    path: "/v1/chat/completions",
    name: "chat",
    handler: (c, q, s) => handleChatRoute(chatCompletionsRoute, c, q, s),
  },
  {
    method: "POST",
    path: "/v1/messages",
    name: "messages",
    format: "anthropic",
    handler: (c, q, s) => handleChatRoute(messagesRoute, c, q, s),
  },
  {
    method: "POST",
    path: "/v1/responses",
    name: "responses",
    handler: (c, q, s) => handleChatRoute(responsesRoute, c, q, s),
  },
  {
    method: "POST",
    path: "/v1/messages/count_tokens",
    name: "count_tokens",
    format: "anthropic",
    handler: handleCountTokens,
  },
  { method: "POST", path: "/v1/embeddings", name: "embeddings", handler: handleEmbeddings },
  { method: "GET", path: "/v1/models", name: "models", handler: handleModels },
  {
    method: "GET",
    path: /^\/v1\/models\/(.+)\/endpoints$/,
    name: "model_endpoints",
    handler: handleModelEndpoints,
  },
  { method: "GET", path: /^\/v1\/models\/(.+)$/, name: "model", handler: handleModel },
  { method: "GET", path: /^\/v1\/generations\/([^/]+)$/, name: "generation", handler: handleGeneration },
  { method: "GET", path: "/v1/generation", name: "generation", handler: handleGenerationByQuery },
  { method: "GET", path: "/v1/credits", name: "credits", handler: handleCredits },
  { method: "GET", path: "/v1/key", name: "key", handler: handleKey },
  { method: "POST", path: "/v1/routing/explain", name: "routing_explain", handler: handleRoutingExplain },
  {
    method: "GET",
    path: "/.well-known/junction-receipt-key",
    name: "receipt_key",
    handler: handleReceiptKey,
  },
  { method: "GET", path: "/health", name: "health", handler: handleHealth },
  { method: "GET", path: "/metrics", name: "metrics", handler: handleMetrics },
  {
    method: "GET",
    path: "/openapi.json",
    name: "openapi",
    handler: async (c, _q, s) =>
      sendJson(s, 200, openApiDocument(c.env.GATEWAY_PUBLIC_URL ?? `http://localhost:${c.env.GATEWAY_PORT}`)),
  },
];

/** Method, path (string or pattern) and name of every route: what the REST isolation matrix checks it covers. */
export const routeTable = (): { method: string; path: string; name: string }[] =>
  ROUTES.map((route) => ({ method: route.method, path: String(route.path), name: route.name }));

/**
 * The route for a method and path, or the methods the path takes (none: no such path). HEAD is GET without the body
 * (node:http leaves it out), as HTTP asks of every GET resource: uptime checks and `curl -I` use it.
 */
function match(method: string, pathname: string): { route: Route; param: string } | { allowed: string[] } {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const found =
      typeof route.path === "string"
        ? route.path === pathname
          ? [pathname]
          : null
        : route.path.exec(pathname);
    if (!found) continue;
    if (route.method !== method && !(method === "HEAD" && route.method === "GET")) {
      allowed.push(...(route.method === "GET" ? ["GET", "HEAD"] : [route.method]));
      continue;
    }
    try {
      return { route, param: decodeURIComponent(found[1] ?? "") };
    } catch {
      return { allowed: [] }; // a malformed escape (`%E0`) names nothing here
    }
  }
  return { allowed };
}

/**
 * Browsers may call the API from any origin (as OpenRouter allows): keys are bearer tokens, never cookies, so no
 * origin gains anything another does not have. Only requests that carry an Origin get the headers, and only on the
 * API and its public documents: /health and /metrics stay unreadable to other sites' pages.
 */
const corsPath = (pathname: string) =>
  pathname.startsWith("/v1/") || pathname === "/openapi.json" || pathname.startsWith("/.well-known/");
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": [
    "x-junction-generation-id",
    "retry-after",
    ...["requests", "tokens"].flatMap((kind) =>
      ["limit", "remaining", "reset"].map((field) => `x-ratelimit-${field}-${kind}`),
    ),
  ].join(", "),
};

function answerPreflight(request: IncomingMessage, response: ServerResponse, allowed: string[]): void {
  response.writeHead(204, {
    ...CORS,
    "access-control-allow-methods": allowed.join(", "),
    "access-control-allow-headers":
      request.headers["access-control-request-headers"] ?? "authorization, content-type",
    "access-control-max-age": "86400",
  });
  response.end();
}

/** The gateway's HTTP server: raw node:http (no per-request Web stream wrapping on the hot path). */
export function createGatewayServer(context: GatewayContext): Server {
  const server = createServer(async (request, response) => {
    const pathname = (request.url ?? "/").split("?")[0] ?? "/";
    const found = match(request.method ?? "GET", pathname);
    const cors = request.headers.origin !== undefined && corsPath(pathname);
    if (cors) for (const [name, value] of Object.entries(CORS)) response.setHeader(name, value);
    // OPTIONS on a path that exists: a browser's preflight, or else what the path takes (RFC 9110), not a 405.
    if (request.method === "OPTIONS" && "allowed" in found && found.allowed.length) {
      if (cors) answerPreflight(request, response, found.allowed);
      else response.writeHead(204, { allow: [...found.allowed, "OPTIONS"].join(", ") }).end();
      return;
    }
    if (!("route" in found)) {
      const error = found.allowed.length
        ? new JunctionError("method_not_allowed", `Method ${request.method} not allowed on ${pathname}`)
        : new JunctionError("not_found", `No route for ${request.method} ${pathname}`);
      sendError(
        response,
        error,
        pathname.startsWith("/v1/messages") ? "anthropic" : "openai",
        found.allowed.length ? { allow: found.allowed.join(", ") } : {},
      );
      return;
    }
    const { route, param } = found;
    response.once("close", () => {
      const served = servedEndpoint.get(response)?.();
      const status = response.writableFinished ? String(response.statusCode) : "client_closed";
      context.metrics.requests.inc({
        route: route.name,
        status,
        model: served ? modelLabel(served) : "",
        provider: served?.providerId ?? "",
      });
    });
    try {
      await route.handler(context, request, response, param);
    } catch (error) {
      const junctionError = toJunctionError(error);
      if (junctionError.code === "internal_error") context.log(`${request.method} ${pathname} failed`, error);
      // A body we refused to read is still arriving: answer, then close the connection instead of draining it.
      const closing: Record<string, string> = junctionError.status === 413 ? { connection: "close" } : {};
      sendError(response, junctionError, route.format ?? "openai", closing);
      if (junctionError.status === 413) request.resume();
    }
  });
  server.on("clientError", answerClientError);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0; // streams may legitimately run for minutes; upstream timeouts bound them.
  return server;
}
