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

  it("reads CRLF framing, and closes a body that ends without [DONE] through the decoder's end", async () => {
    const crlf = words.map((word) => `data: ${word}\r\n\r\n`).join("");
    expect(contents(await batchesOf([crlf.slice(0, 17), crlf.slice(17)]))).toEqual([...words, "finish"]);
  });
});
