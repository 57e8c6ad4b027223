import type { EmbeddingRequest } from "./types.js";

/** An embeddings request's inputs: a string or one token array is one input; an array of them, several. */
export function embeddingInputs(input: EmbeddingRequest["input"]): (string | number[])[] {
  if (typeof input === "string") return [input];
  if (input.every((item) => typeof item === "number")) return [input as number[]];
  return input as (string | number[])[];
}

/**
 * OpenAI's two encodings of an embedding: a JSON array of numbers (`float`), or the base64 of its little-endian
 * float32 values (`base64`, what the official SDKs ask for by default and decode themselves). Upstreams answer in
 * either; the client gets the one it asked for.
 */
export function encodeEmbedding(embedding: number[] | string, format: "float" | "base64"): number[] | string {
  if (format === "base64") {
    if (typeof embedding === "string") return embedding;
    const bytes = Buffer.alloc(embedding.length * 4);
    for (const [index, value] of embedding.entries()) bytes.writeFloatLE(value, index * 4);
    return bytes.toString("base64");
  }
  if (typeof embedding !== "string") return embedding;
  const bytes = Buffer.from(embedding, "base64");
  return Array.from({ length: Math.floor(bytes.length / 4) }, (_, index) => bytes.readFloatLE(index * 4));
}
