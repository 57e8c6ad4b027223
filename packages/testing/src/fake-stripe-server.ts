import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { parseStripeForm, StripeApiError, type StripeJson, stripeId } from "./fake-stripe-wire.js";

/** The API version the fake stamps on responses and events (the one stripe@23.1.0 pins). */
export const FAKE_STRIPE_API_VERSION = "2026-10-28.endive";

export type FakeStripeRequest = { method: string; path: string; body: StripeJson; idempotencyKey?: string };

/** A route handler: form body, `:id` path parameters, query string → the JSON object to answer with. */
export type StripeRoute = (body: StripeJson, params: string[], query: URLSearchParams) => StripeJson;

/**
 * A browser page outside the API (the hosted Checkout page): answers and returns true when it handles the request.
 * Pages need no API key, like Stripe's own checkout.stripe.com.
 */
export type StripePage = (
  request: { method: string; url: URL },
  response: ServerResponse,
) => Promise<boolean>;

/**
 * The HTTP side of the fake Stripe API: bearer-key check, `Idempotency-Key` replay (same key + same request →
 * the stored response, different request → idempotency_error, as Stripe does), routing `"METHOD /path/:id"`
 * patterns, and Stripe's error envelope `{ error: { type, message, code?, param? } }` with its status codes.
 */

export async function serveStripeApi(
  routes: Record<string, StripeRoute>,
  requests: FakeStripeRequest[],
  options: { port?: number; page?: StripePage } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const idempotent = new Map<string, { request: string; status: number; body: StripeJson }>();

  function route(method: string, path: string): { handler: StripeRoute; params: string[] } | undefined {
    for (const [pattern, handler] of Object.entries(routes)) {
      const [routeMethod, routePath = ""] = pattern.split(" ");
      if (routeMethod !== method) continue;
      const expected = routePath.split("/");
      const actual = path.split("/");
      if (expected.length !== actual.length) continue;
      const params: string[] = [];
      if (
        expected.every((part, index) =>
          part === ":id" ? params.push(actual[index] ?? "") > 0 : part === actual[index],
        )
      ) {
        return { handler, params };
      }
    }
    return undefined;
  }

  function send(response: ServerResponse, status: number, body: StripeJson, replayed = false): void {
    response.writeHead(status, {
      "content-type": "application/json",
      "request-id": stripeId("req"),
      "stripe-version": FAKE_STRIPE_API_VERSION,
      ...(replayed && { "idempotent-replayed": "true" }),
    });
    response.end(JSON.stringify(body));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://fake");
    const method = request.method ?? "GET";
    if (!url.pathname.startsWith("/v1/") && options.page && (await options.page({ method, url }, response)))
      return;
    const body = parseStripeForm(text);
    const header = request.headers["idempotency-key"];
    const idempotencyKey = typeof header === "string" ? header : undefined;
    requests.push({ method, path: url.pathname, body, ...(idempotencyKey && { idempotencyKey }) });

    if (!/^Bearer sk_(test|live)_\w+/.test(request.headers.authorization ?? "")) {
      send(response, 401, {
        error: {
          type: "invalid_request_error",
          message: "You did not provide an API key. Provide your API key in the Authorization header.",
        },
      });
      return;
    }
    const fingerprint = `${method} ${url.pathname} ${text}`;
    const scope = `${request.headers.authorization} ${idempotencyKey}`;
    const previous = method === "POST" && idempotencyKey ? idempotent.get(scope) : undefined;
    if (previous) {
      if (previous.request !== fingerprint) {
        send(response, 400, {
          error: {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          },
        });
      } else {
        send(response, previous.status, previous.body, true);
      }
      return;
    }
    let status = 200;
    let result: StripeJson;
    const matched = route(method, url.pathname);
    try {
      if (!matched) {
        throw new StripeApiError(404, {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${method}: ${url.pathname}).`,
        });
      }
      result = structuredClone(matched.handler(body, matched.params, url.searchParams));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      status = error.status;
      result = { error: error.body };
    }
    if (method === "POST" && idempotencyKey)
      idempotent.set(scope, { request: fingerprint, status, body: result });
    send(response, status, result);
  }

  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, 500, { error: { type: "api_error", message: String(error) } });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
