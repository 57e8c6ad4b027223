import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerClientError } from "../src/http.js";

/** node:http's refusals in the error shape (app.ts's `clientError` listener), on a server that streams slowly. */
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write("data: one\n\n");
    setTimeout(() => response.end("data: two\n\n"), 300);
  });
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What the server sent on one connection that writes `parts` (the later after `gapMs`). */
function exchange(parts: string[], gapMs = 100): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((wait) => setTimeout(wait, gapMs));
      }
    });
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk;
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(received));
    setTimeout(() => socket.destroy(), 1_000);
  });
}

describe("a request node:http cannot parse", () => {
  it("is answered in the error shape on a fresh connection", async () => {
    const received = await exchange(["NOT HTTP\r\n\r\n"]);
    expect(received).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(received).toContain('"message":"Malformed HTTP request"');
  });

  it("never writes into a response already streaming on the same connection (as node:http's own answer does not)", async () => {
    const received = await exchange(["GET / HTTP/1.1\r\nhost: x\r\n\r\n", "NOT HTTP\r\n\r\n"]);
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received).not.toContain("Bad Request");
  });
});
