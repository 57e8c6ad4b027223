import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { StreamEvent, UpstreamResponse } from "../src/index.js";
import { readSseStream, type SseDecoder } from "../src/sse.js";

/** Each message's data becomes a content delta; an empty data is a message without one; [DONE] ends the stream. */
const decoder = (): SseDecoder => ({
  message(message, out) {
    if (message.data === "[DONE]") return true;
    if (message.data) out.push({ type: "delta", delta: { content: message.data } });
    return false;
  },
  end(out) {
    out.push({ type: "finish", finishReason: "stop" });
  },
});

function upstream(chunks: (string | Buffer)[]): UpstreamResponse {
  const body = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
  return { status: 200, headers: {}, body: body as UpstreamResponse["body"] };
}

async function batchesOf(chunks: (string | Buffer)[]): Promise<StreamEvent[][]> {
  const batches: StreamEvent[][] = [];
  for await (const batch of readSseStream("test", upstream(chunks), new AbortController().signal, decoder()))
    batches.push(batch);
  return batches;
}

const contents = (batches: StreamEvent[][]) =>
  batches.flat().map((event) => (event.type === "delta" ? event.delta.content : event.type));

const words = ["Hello", " there,", " üñí", " code", " 😀", " done"];
const stream = `: keep-alive\n\ndata:\n\n${words.map((word) => `data: ${word}\n\n`).join("")}data: [DONE]\n\n`;

describe("readSseStream", () => {
  it("decodes the same events however the body is cut into reads", async () => {
    const bytes = Buffer.from(stream);
    for (let cut = 0; cut <= bytes.length; cut++) {
      // Cuts through multi-byte characters too: the text decoder must carry them across reads.
      const batches = await batchesOf([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(contents(batches), `cut at byte ${cut}`).toEqual(words);
    }
  });

  it("yields the first delta on its own, then the rest of the read as one batch", async () => {
    const batches = await batchesOf([stream]);
    expect(batches.map((batch) => contents([batch]))).toEqual([words.slice(0, 1), words.slice(1)]);
  });

  it("reads every line ending, field and comment the same however the body is cut, a last event without its blank line included", async () => {
    for (const nl of ["\n", "\r\n", "\r"]) {
      const framed = [
        ": OPENROUTER PROCESSING",
        "",
        "event: message",
        "id: 1",
        "retry: 100",
        "data:Hello", // no space after the colon
        "",
        "data: multi",
        "data: line",
        "",
        ": between events",
        "data: üñí 😀",
        "",
        "data: last", // the body ends here: no blank line, no newline
      ].join(nl);
      const bytes = Buffer.from(framed);
      for (let cut = 0; cut <= bytes.length; cut++) {
        // Cuts inside "\r\n" and inside multi-byte characters too.
        const batches = await batchesOf([bytes.subarray(0, cut), bytes.subarray(cut)]);
        expect(contents(batches), `${JSON.stringify(nl)} cut at byte ${cut}`).toEqual([
          "Hello",
          "multi\nline",
          "üñí 😀",
          "last",
          "finish",
        ]);
      }
    }
  });

  it("fails a 200 that carried no event at all, with the error a JSON body names", async () => {
    const body = (text: string, type: string): UpstreamResponse => ({
      ...upstream([text]),
      headers: { "content-type": type },
    });
    const read = async (response: UpstreamResponse) => {
      for await (const _ of readSseStream("test", response, new AbortController().signal, decoder())) {
        // drain
      }
    };
    await expect(
      read(body('{"error":{"message":"busy","code":503}}', "application/json")),
    ).rejects.toMatchObject({
      kind: "http",
      status: 503,
      retryable: true,
      message: "upstream error: busy",
    });
    await expect(read(body("<html>Bad gateway</html>", "text/html"))).rejects.toMatchObject({
      kind: "protocol",
      message: "upstream answered the stream with no events (text/html)",
    });
    await expect(read(body(": keep-alive\n\n", "text/event-stream"))).rejects.toMatchObject({
      kind: "protocol",
    });
  });

  it("reads CRLF framing, and closes a body that ends without [DONE] through the decoder's end", async () => {
    const crlf = words.map((word) => `data: ${word}\r\n\r\n`).join("");
    expect(contents(await batchesOf([crlf.slice(0, 17), crlf.slice(17)]))).toEqual([...words, "finish"]);
  });
});
