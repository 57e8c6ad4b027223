import { ProviderError } from "@junction/providers";

/** A bug or an unexpected throw inside an adapter: not retryable, reported without internals. */
export function classifyUnknown(providerId: string, error: unknown): ProviderError {
  return new ProviderError(providerId, "protocol", "adapter failed unexpectedly", { cause: error });
}
