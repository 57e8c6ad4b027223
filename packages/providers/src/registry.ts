import { createAnthropicAdapter } from "./adapters/anthropic.js";
import { createGeminiAdapter } from "./adapters/gemini.js";
import { createOpenAiAdapter } from "./adapters/openai.js";
import { createSandboxAdapter, type SandboxOptions } from "./adapters/sandbox.js";
import type { Transport } from "./transport.js";
import type { ProviderAdapter } from "./types.js";

/** Adapter kinds, as stored in Provider.adapter. Provider differences are data (base URL, key name), not code. */
export type AdapterKind = "openai" | "openai_compatible" | "anthropic" | "gemini" | "sandbox";

export type AdapterRegistry = { get(kind: string): ProviderAdapter | undefined };

export function createAdapterRegistry(transport: Transport, sandbox: SandboxOptions): AdapterRegistry {
  const openai = createOpenAiAdapter(transport);
  const adapters = new Map<string, ProviderAdapter>([
    ["openai", openai],
    ["openai_compatible", createOpenAiAdapter(transport, "openai_compatible")],
    ["anthropic", createAnthropicAdapter(transport)],
    ["gemini", createGeminiAdapter(transport)],
    ["sandbox", createSandboxAdapter(sandbox)],
  ]);
  return { get: (kind) => adapters.get(kind) };
}
