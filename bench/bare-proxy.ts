import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream";
import { undici } from "./undici.js";

/**
 * The floor for any Node gateway: a bare node:http server that forwards each request body to the upstream with
 * undici's `request` on a pooled keep-alive Agent (the same settings as the gateway's transport) and pipes the
 * response back. No parsing, no auth, no accounting.
 *
 * Prints `LISTENING <port>` once ready. Usage: node --import tsx bench/bare-proxy.ts <upstream origin> [port]
 */

const upstream = process.argv[2];
if (!upstream) {
  console.error("usage: bare-proxy.ts <upstream origin, e.g. http://127.0.0.1:4100> [port]");
  process.exit(2);
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "upgrade",
  "host",
  "proxy-connection",
]);

function forwardable(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (!HOP_BY_HOP.has(name)) out[name] = headers[name];
  }
  return out;
}

const agent = new undici.Agent({ keepAliveTimeout: 30_000, connections: 256 });

const server = createServer((request, response) => {
  undici
    .request(`${upstream}${request.url ?? "/"}`, {
      method: request.method as "POST",
      headers: forwardable(request.headers) as Record<string, string>,
      body: request.method === "GET" || request.method === "HEAD" ? null : request,
      dispatcher: agent,
    })
    .then(
      (answer) => {
        response.writeHead(answer.statusCode, forwardable(answer.headers));
        pipeline(answer.body, response, (error) => {
          if (error) response.destroy();
        });
      },
      () => {
        if (response.headersSent) response.destroy();
        else {
          response.writeHead(502, { "content-type": "application/json" });
          response.end('{"error":{"message":"bad gateway"}}');
        }
      },
    );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[3] ?? 0), "127.0.0.1", () => {
  console.log(`LISTENING ${(server.address() as AddressInfo).port}`);
});

const stop = () => {
  server.closeAllConnections();
  server.close(() => void agent.close().then(() => process.exit(0)));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
