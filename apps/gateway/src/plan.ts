import { JunctionError } from "@junction/core";
import type { ChatRequest } from "@junction/providers";
import { type CatalogEndpoint, type CatalogSnapshot, providerSettings } from "./catalog.js";

export type Candidate = { endpoint: CatalogEndpoint; baseUrl: string; apiKey: string | undefined };
export type Exclusion = { endpoint: string; reason: string };
export type Plan = { modelId: string; candidates: Candidate[]; excluded: Exclusion[] };

function usesImages(request: ChatRequest): boolean {
  return request.messages.some(
    (message) => Array.isArray(message.content) && message.content.some((part) => part.type === "image_url"),
  );
}

/** Why an endpoint cannot serve this request, or null when it can. */
function exclusionReason(
  endpoint: CatalogEndpoint,
  request: ChatRequest,
  configured: boolean,
): string | null {
  if (!configured) return `provider ${endpoint.providerId} has no credentials configured`;
  if (request.tools?.length && request.tool_choice !== "none" && !endpoint.supportsTools)
    return "does not support tools";
  if (request.response_format?.type === "json_schema" && !endpoint.supportsJsonSchema) {
    return "does not support response_format json_schema";
  }
  if (usesImages(request) && !endpoint.supportsVision) return "does not support image input";
  return null;
}

/**
 * Resolves the requested model to the endpoints that can serve it, cheapest first, with the reason for every
 * endpoint left out. 404 for an unknown model; 400 when it exists but nothing can serve this request.
 */
export function planChat(
  catalog: CatalogSnapshot,
  request: ChatRequest,
  env: Record<string, string | undefined>,
  hasAdapter: (adapter: string) => boolean,
  kind: "chat" | "embedding" = "chat",
): Plan {
  const model = catalog.models.get(request.model);
  if (!model || model.kind !== kind) {
    throw new JunctionError(
      "not_found",
      `Model "${request.model}" not found. GET /v1/models lists the available models.`,
      {
        param: "model",
      },
    );
  }
  const candidates: Candidate[] = [];
  const excluded: Exclusion[] = [];
  for (const endpoint of model.endpoints) {
    const settings = providerSettings(endpoint.providerId, env);
    const reason = hasAdapter(endpoint.adapter)
      ? exclusionReason(endpoint, request, settings.configured)
      : `no adapter for the ${endpoint.adapter} protocol yet`;
    if (reason) excluded.push({ endpoint: endpoint.id, reason });
    else candidates.push({ endpoint, baseUrl: settings.baseUrl, apiKey: settings.apiKey });
  }
  candidates.sort(
    (a, b) =>
      Number(
        a.endpoint.prices.input +
          a.endpoint.prices.output -
          (b.endpoint.prices.input + b.endpoint.prices.output),
      ) || a.endpoint.id.localeCompare(b.endpoint.id),
  );
  if (!candidates.length) {
    throw new JunctionError(
      "bad_request",
      `No endpoint can serve "${model.id}" for this request: ${excluded.map((e) => `${e.endpoint} ${e.reason}`).join("; ")}`,
      { param: "model", metadata: { excluded } },
    );
  }
  return { modelId: model.id, candidates, excluded };
}
