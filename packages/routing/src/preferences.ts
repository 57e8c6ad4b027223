import { JunctionError } from "@junction/core";
import { z } from "zod";

/**
 * A max_price value: USD per million tokens (per request for `request`). OpenRouter's clients send numbers or
 * decimal strings ("0.5"); both are taken.
 */
const usdPrice = z.union([
  z.number().nonnegative(),
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*$/, "must be a non-negative number of USD")
    .transform(Number),
]);

/** OpenRouter's `provider` routing preferences, validated at the edge (unknown keys are refused, not ignored). */
export const providerPreferencesSchema = z
  .strictObject({
    order: z.array(z.string()).optional(),
    only: z.array(z.string()).optional(),
    ignore: z.array(z.string()).optional(),
    allow_fallbacks: z.boolean().optional(),
    require_parameters: z.boolean().optional(),
    data_collection: z.enum(["allow", "deny"]).optional(),
    zdr: z.boolean().optional(),
    quantizations: z.array(z.string()).optional(),
    sort: z.enum(["price", "throughput", "latency"]).optional(),
    max_price: z
      .strictObject({
        prompt: usdPrice.optional(),
        completion: usdPrice.optional(),
        request: usdPrice.optional(),
      })
      .optional(),
  })
  .superRefine((prefs, context) => {
    // Both allowing and skipping a provider leaves nothing to say which the caller meant.
    const ignored = new Set(prefs.ignore?.map(providerNameKey));
    const both = prefs.only?.find((name) => ignored.has(providerNameKey(name)));
    if (both !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["ignore"],
        message: `names "${both}", which provider.only allows`,
      });
    }
  });

export type ProviderPreferences = z.infer<typeof providerPreferencesSchema>;

export function parseProviderPreferences(value: unknown): ProviderPreferences {
  if (value === undefined || value === null) return {};
  const result = providerPreferencesSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = ["provider", ...(issue?.path ?? [])].join(".");
  throw new JunctionError("bad_request", `Invalid request: \`${param}\` ${issue?.message ?? "is invalid"}`, {
    param,
  });
}

/**
 * A provider name as OpenRouter users write it, reduced to compare: case, punctuation and an "AI" suffix do not
 * count, so "together", "Together", "together_ai" and "Together AI" all name Together AI, and "google-ai-studio"
 * names Google AI Studio.
 */
export function providerNameKey(name: string): string {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return key.length > 2 && key.endsWith("ai") ? key.slice(0, -2) : key;
}

/**
 * The position in `names` (provider.order, only or ignore) of the first name that means this provider — its id or
 * its display name, as `providerNameKey` compares them — or -1.
 */
export function providerListIndex(
  names: readonly string[],
  provider: { providerId: string; providerName: string },
): number {
  const exact = names.indexOf(provider.providerId);
  if (exact !== -1) return exact;
  const id = providerNameKey(provider.providerId);
  const name = providerNameKey(provider.providerName);
  return names.findIndex((entry) => {
    const key = providerNameKey(entry);
    return key === id || key === name;
  });
}

/** `model:floor` sorts by price, `model:nitro` by throughput. */
export function parseModelSuffix(name: string): { modelId: string; sort?: "price" | "throughput" } {
  if (name.endsWith(":floor")) return { modelId: name.slice(0, -6), sort: "price" };
  if (name.endsWith(":nitro")) return { modelId: name.slice(0, -6), sort: "throughput" };
  return { modelId: name };
}
