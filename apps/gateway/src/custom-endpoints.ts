import {
  checkEndpointUrl,
  type EndpointGuardOptions,
  EnvelopeError,
  JunctionError,
  type KeyEncryptionKeys,
  openSecret,
} from "@junction/core";
import type { Db } from "@junction/db";
import {
  type AdapterRegistry,
  type ChatRequest,
  createOpenAiAdapter,
  type ProviderAdapter,
  type Transport,
} from "@junction/providers";
import type { CatalogModel, CustomRoute } from "@junction/routing";
import { parseModelSuffix } from "@junction/routing/preferences";

/**
 * Organizations' own OpenAI-compatible endpoints, addressed as `custom/<endpoint name>/<model>`. They are only ever
 * called through the guarded transport (its own pool; every connection resolves, refuses non-public addresses and
 * pins what it checked; no redirects) and only with the organization's own credential: platform keys never reach
 * them, because a custom candidate takes its key from the attached BYOK credential and nowhere else.
 */
export const CUSTOM_MODEL_PREFIX = "custom/";
export const CUSTOM_ADAPTER = "custom_openai";
export const CUSTOM_PROVIDER = "custom";

/** `custom/<name>/<model>` → its parts (the model may itself contain slashes), or null. */
export function parseCustomModel(id: string): { name: string; model: string } | null {
  if (!id.startsWith(CUSTOM_MODEL_PREFIX)) return null;
  const rest = id.slice(CUSTOM_MODEL_PREFIX.length);
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) return null;
  return { name: rest.slice(0, slash), model: rest.slice(slash + 1) };
}

/** The platform adapters plus the custom-endpoint adapter bound to the guarded transport. */
export function withCustomAdapter(base: AdapterRegistry, guarded: Transport): AdapterRegistry {
  const custom: ProviderAdapter = createOpenAiAdapter(guarded, CUSTOM_ADAPTER);
  return { get: (kind) => (kind === CUSTOM_ADAPTER ? custom : base.get(kind)) };
}

export class CustomEndpoints {
  constructor(
    private readonly db: Db,
    private readonly keks: () => KeyEncryptionKeys | undefined,
    private readonly guard: EndpointGuardOptions,
  ) {}

  /**
   * The organization's custom endpoints named by the request's models, keyed by model id. Reads the database only
   * when a `custom/` model is asked for, so platform traffic pays nothing. The stored URL is checked again here
   * (a row written before a rule tightened, or by hand, is still refused); DNS is checked at connect time.
   */
  async forRequest(organizationId: string, request: ChatRequest): Promise<Map<string, CustomRoute>> {
    const routes = new Map<string, CustomRoute>();
    const wanted = [request.model, ...((request.models as string[] | undefined) ?? [])]
      .map((id) =>
        typeof id === "string" ? { id, parsed: parseCustomModel(parseModelSuffix(id).modelId) } : null,
      )
      .filter((entry) => entry?.parsed);
    if (!wanted.length) return routes;
    const names = [...new Set(wanted.map((entry) => entry?.parsed?.name ?? ""))];
    const endpoints = await this.db.customEndpoint.findMany({
      where: { organizationId, name: { in: names }, revokedAt: null },
    });
    for (const entry of wanted) {
      const parsed = entry?.parsed;
      if (!parsed) continue;
      const endpoint = endpoints.find((row) => row.name === parsed.name);
      if (!endpoint?.models.includes(parsed.model)) continue;
      const modelId = `${CUSTOM_MODEL_PREFIX}${parsed.name}/${parsed.model}`;
      checkEndpointUrl(endpoint.baseUrl, this.guard);
      routes.set(modelId, {
        model: customModel(modelId, endpoint.id, parsed.name, parsed.model),
        baseUrl: endpoint.baseUrl.replace(/\/+$/, ""),
        apiKey: endpoint.credentialId
          ? await this.credential(organizationId, endpoint.credentialId, parsed.name)
          : undefined,
      });
    }
    return routes;
  }

  private async credential(organizationId: string, credentialId: string, name: string): Promise<string> {
    const row = await this.db.providerCredential.findFirst({
      where: { id: credentialId, organizationId, revokedAt: null },
    });
    if (!row) {
      throw new JunctionError(
        "forbidden",
        `The credential of custom endpoint "${name}" was revoked; attach another one in Settings`,
      );
    }
    const keks = this.keks();
    if (!keks) {
      throw new JunctionError(
        "service_unavailable",
        "This deployment has no key-encryption key (JUNCTION_KEKS)",
      );
    }
    try {
      return openSecret(keks, row, organizationId, row.id);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      throw new JunctionError(
        "internal_error",
        `The credential of custom endpoint "${name}" could not be decrypted: ${error.message}`,
        { metadata: { byok: "decrypt_failed" } },
      );
    }
  }
}

function customModel(modelId: string, endpointId: string, name: string, model: string): CatalogModel {
  return {
    id: modelId,
    name: `${model} (${name})`,
    kind: "chat",
    description: `Served by the organization's custom endpoint "${name}"`,
    contextLength: null,
    createdAt: new Date(0),
    endpoints: [
      {
        id: `${CUSTOM_PROVIDER}:${endpointId}`,
        modelId,
        providerId: CUSTOM_PROVIDER,
        providerName: `Custom (${name})`,
        adapter: CUSTOM_ADAPTER,
        providerModelId: model,
        // Junction does not price what it does not sell: the organization pays its own upstream.
        prices: { input: 0n, output: 0n },
        contextLength: null,
        maxOutputTokens: null,
        supportsTools: true,
        supportsJsonSchema: true,
        supportsVision: true,
        supportsReasoning: false,
        trainsOnData: false,
        zdr: false,
        quantization: null,
        status: "active",
      },
    ],
  };
}
