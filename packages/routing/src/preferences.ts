import { JunctionError } from "@junction/core";
import { z } from "zod";

/** OpenRouter's `provider` routing preferences, validated at the edge (unknown keys are refused, not ignored). */
export const providerPreferencesSchema = z.strictObject({
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
      prompt: z.number().nonnegative().optional(),
      completion: z.number().nonnegative().optional(),
    })
    .optional(),
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

/** `model:floor` sorts by price, `model:nitro` by throughput. */
export function parseModelSuffix(name: string): { modelId: string; sort?: "price" | "throughput" } {
  if (name.endsWith(":floor")) return { modelId: name.slice(0, -6), sort: "price" };
  if (name.endsWith(":nitro")) return { modelId: name.slice(0, -6), sort: "throughput" };
  return { modelId: name };
}
