import { createHash } from "node:crypto";
import { z } from "zod";
import { usdToNano } from "./money.js";
import { canonicalJson } from "./receipts.js";

/**
 * Routing policies: what an organization (or one key) allows. Versions are immutable; the SHA-256 of the canonical
 * rules identifies a version in every receipt. Model and provider lists are globs (`openai/*`, `*-mini`).
 */
export const policyRulesSchema = z.strictObject({
  allowModels: z.array(z.string().min(1)).optional(),
  denyModels: z.array(z.string().min(1)).optional(),
  allowProviders: z.array(z.string().min(1)).optional(),
  denyProviders: z.array(z.string().min(1)).optional(),
  /** Only providers that do not train on prompts. */
  denyTraining: z.boolean().optional(),
  /** Only zero-data-retention providers. */
  zdrOnly: z.boolean().optional(),
  /** The most one request may cost at worst (USD decimal string). */
  maxRequestCostUsd: z
    .string()
    .regex(/^\d+(\.\d{1,9})?$/, "must be a USD amount like 0.05")
    .optional(),
  /** The most output tokens a request may ask for. */
  maxTokens: z.number().int().positive().optional(),
});

export type PolicyRules = z.infer<typeof policyRulesSchema>;

export const policyVersionHash = (rules: PolicyRules): string =>
  createHash("sha256").update(canonicalJson(rules)).digest("hex");

export function globMatch(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i").test(value);
}

const anyMatch = (patterns: string[] | undefined, value: string) =>
  patterns?.some((pattern) => globMatch(pattern, value)) ?? false;

/** Why the policy forbids a model outright, or null. */
export function policyModelReason(rules: PolicyRules, modelId: string): string | null {
  if (anyMatch(rules.denyModels, modelId)) return `model ${modelId} is denied`;
  if (rules.allowModels && !anyMatch(rules.allowModels, modelId))
    return `model ${modelId} is not in the allowed models`;
  return null;
}

export type PolicyEndpointFacts = {
  providerId: string;
  trainsOnData: boolean;
  zdr: boolean;
  worstCaseCost: bigint;
};

/** Why the policy excludes one endpoint, or null. */
export function policyEndpointReason(rules: PolicyRules, endpoint: PolicyEndpointFacts): string | null {
  if (anyMatch(rules.denyProviders, endpoint.providerId)) return `provider ${endpoint.providerId} is denied`;
  if (rules.allowProviders && !anyMatch(rules.allowProviders, endpoint.providerId)) {
    return `provider ${endpoint.providerId} is not in the allowed providers`;
  }
  if (rules.denyTraining && endpoint.trainsOnData) return "provider may train on prompts";
  if (rules.zdrOnly && !endpoint.zdr) return "provider does not offer zero data retention";
  if (rules.maxRequestCostUsd !== undefined && endpoint.worstCaseCost > usdToNano(rules.maxRequestCostUsd)) {
    return `worst-case cost exceeds the policy's maximum of $${rules.maxRequestCostUsd} per request`;
  }
  return null;
}
