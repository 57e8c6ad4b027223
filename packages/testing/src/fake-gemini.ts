import type { ServerResponse } from "node:http";
import { type FakeUpstream, type RecordedRequest, startFakeServer, writeEvents } from "./fake-server.js";

type Part = { text?: string; functionCall?: unknown; functionResponse?: unknown };
type Body = {
  contents?: { role?: string; parts?: Part[] }[];
  tools?: { functionDeclarations?: { name: string }[] }[];
  toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } };
  generationConfig?: {
    maxOutputTokens?: number;
    responseMimeType?: string;
    thinkingConfig?: { includeThoughts?: boolean };
  };
};

const STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** Gemini's error body: `{error: {code, message, status}}`. */
export const geminiErrorBody = (code: number, message?: string) => ({
  error: {
    code,
    message:
      message ??
      (code === 429
        ? "Resource has been exhausted (e.g. check quota)."
        : `Internal error encountered (fake ${code}). key=AIzaSyFakeLeakedKey0123456789abcdefghijk`),
    status: STATUS[code] ?? "UNKNOWN",
  },
});

const FAKE_SIGNATURE = Buffer.from("fake thought signature").toString("base64");
const ROUTE =
  /^\/v1beta\/models\/([^/:?]+):(generateContent|streamGenerateContent|batchEmbedContents)(\?.*)?$/;

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  response.end(JSON.stringify(body));
}

/** The calls this turn makes: the first two declared functions (parallel calls), unless tools are off or answered. */
function plannedCalls(body: Body, answered: boolean): { name: string; args: Record<string, unknown> }[] {
  const declared = (body.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((fn) => fn.name);
  const config = body.toolConfig?.functionCallingConfig;
  if (!declared.length || config?.mode === "NONE" || answered) return [];
  const names = config?.allowedFunctionNames?.length
    ? config.allowedFunctionNames.slice(0, 1)
    : declared.slice(0, 2);
  return names.map((name, index) => ({ name, args: { city: index === 0 ? "Paris" : "Oslo" } }));
}

/**
 * A fake Gemini (Generative Language API v1beta) server: generateContent and streamGenerateContent?alt=sse with
 * usageMetadata (cached, thoughts), parallel functionCall parts when tools are given (the first carrying a thought
 * signature, as Gemini 3 does), MAX_TOKENS truncation by generationConfig.maxOutputTokens, the API key required in
 * a header or `key` query parameter, and Gemini's error body. Requests are recorded with path and headers.
 */
export const FAKE_GEMINI_THOUGHT = "**Greeting** I should say hello.";

export function startFakeGemini(): Promise<FakeUpstream> {
  return startFakeServer(
    async (request: RecordedRequest, response, behavior) => {
      const route = ROUTE.exec(request.path);
      if (!route) return reply(response, 404, geminiErrorBody(404, `Path ${request.path} not found.`));
      const [, model, method, query = ""] = route;
      if (!request.headers["x-goog-api-key"] && !/[?&]key=/.test(query)) {
        return reply(
          response,
          403,
          geminiErrorBody(403, "Method doesn't allow unregistered callers. Please use API Key."),
        );
      }
      if (method === "batchEmbedContents") {
        // As Gemini answers: at most 100 requests a call, one embedding each, of the asked dimensionality (default
        // 3 here), and the input's token count (4 per text; left out with omitUsage).
        const requests = (request.body as { requests?: { outputDimensionality?: number }[] }).requests ?? [];
        if (requests.length > 100) {
          const message = "* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch";
          return reply(response, 400, geminiErrorBody(400, message));
        }
        const embeddings = requests.map((item, index) => ({
          values: Array.from(
            { length: item.outputDimensionality ?? 3 },
            (_, at) => (index + 1) / 10 + at / 100,
          ),
        }));
        const omitUsage = behavior.kind === "ok" && behavior.omitUsage === true;
        return reply(response, 200, {
          embeddings,
          ...(!omitUsage && { usageMetadata: { promptTokenCount: requests.length * 4 } }),
        });
      }
      const body = request.body as Body;
      // A turn that carries function responses gets a text answer, as a real model gives after a tool round trip.
      const answered =
        body.contents?.at(-1)?.parts?.some((part) => part.functionResponse !== undefined) ?? false;
      const calls = plannedCalls(body, answered);
      const json = body.generationConfig?.responseMimeType === "application/json";
      const defaultText = json
        ? '{"greeting": "Hello from the fake Gemini upstream."}'
        : "Hello from the fake Gemini upstream.";
      const fullText = behavior.kind === "ok" && behavior.text !== undefined ? behavior.text : defaultText;
      let words: string[] = (answered ? "It is sunny in Paris." : fullText).match(/\S+\s*/g) ?? [];
      const limit = body.generationConfig?.maxOutputTokens;
      const truncated = !calls.length && limit !== undefined && words.length > limit;
      if (truncated) words = words.slice(0, limit);
      const finishReason = truncated ? "MAX_TOKENS" : "STOP";
      const candidatesTokenCount = calls.length ? 12 : words.length + 2;
      const promptTokens = (behavior.kind === "ok" && behavior.promptTokens) || 40;
      const usage = {
        promptTokenCount: promptTokens,
        candidatesTokenCount,
        cachedContentTokenCount: 16,
        thoughtsTokenCount: 7,
        totalTokenCount: promptTokens + candidatesTokenCount + 7,
        promptTokensDetails: [{ modality: "TEXT", tokenCount: promptTokens }],
        cacheTokensDetails: [{ modality: "TEXT", tokenCount: 16 }],
      };
      const omitUsage = behavior.kind === "ok" && behavior.omitUsage === true;
      const envelope = { modelVersion: model, responseId: "fakeGeminiResponse01" };
      const callParts = calls.map((call, index) => ({
        functionCall: call,
        ...(index === 0 && { thoughtSignature: FAKE_SIGNATURE }),
      }));
      const candidate = (parts: unknown[], finish?: string) => ({
        content: { role: "model", parts },
        ...(finish && { finishReason: finish }),
        index: 0,
      });

      // Asked for thoughts, a thought summary comes first (its own chunk when streamed).
      const thought = body.generationConfig?.thinkingConfig?.includeThoughts
        ? [{ text: FAKE_GEMINI_THOUGHT, thought: true }]
        : [];
      if (method === "generateContent") {
        const parts = [...thought, ...(calls.length ? callParts : [{ text: words.join("") }])];
        return reply(response, 200, {
          candidates: [candidate(parts, finishReason)],
          ...(!omitUsage && { usageMetadata: usage }),
          ...envelope,
        });
      }
      const chunks: unknown[] = thought.length ? [{ candidates: [candidate(thought)], ...envelope }] : [];
      if (calls.length) {
        chunks.push({
          candidates: [candidate(callParts, finishReason)],
          ...(!omitUsage && { usageMetadata: usage }),
          ...envelope,
        });
      } else {
        for (const [index, word] of words.entries()) {
          const last = index === words.length - 1;
          // Gemini repeats usageMetadata on every chunk as running totals; only the last is final.
          const running = {
            promptTokenCount: promptTokens,
            candidatesTokenCount: index + 1,
            totalTokenCount: promptTokens + 1 + index,
          };
          const chunkUsage = last ? usage : running;
          chunks.push({
            candidates: [candidate([{ text: word }], last ? finishReason : undefined)],
            ...(!omitUsage && { usageMetadata: chunkUsage }),
            ...envelope,
          });
        }
      }
      if (!query.includes("alt=sse")) return reply(response, 200, chunks); // without alt=sse: one JSON array
      await writeEvents(
        response,
        chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`),
        behavior,
        request,
      );
    },
    (status) => geminiErrorBody(status),
  );
}
