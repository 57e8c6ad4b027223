import { describe, expect, it } from "vitest";
import {
  globMatch,
  policyEndpointReason,
  policyModelReason,
  policyRulesSchema,
  policyVersionHash,
} from "../src/policy.js";

describe("policies", () => {
  it("matches globs", () => {
    expect(globMatch("openai/*", "openai/gpt-4o-mini")).toBe(true);
    expect(globMatch("*-mini", "openai/gpt-4o-mini")).toBe(true);
    expect(globMatch("openai/*", "anthropic/claude")).toBe(false);
    expect(globMatch("a.b", "axb")).toBe(false);
  });

  it("allows and denies models and providers as written", () => {
    const rules = policyRulesSchema.parse({
      allowModels: ["openai/*", "sandbox/*"],
      denyModels: ["openai/gpt-4o"],
    });
    expect(policyModelReason(rules, "openai/gpt-4o-mini")).toBeNull();
    expect(policyModelReason(rules, "openai/gpt-4o")).toBe("model openai/gpt-4o is denied");
    expect(policyModelReason(rules, "anthropic/claude-sonnet-4-5")).toMatch(/not in the allowed/);
    const facts = { providerId: "deepseek", trainsOnData: true, zdr: false, worstCaseCost: 60_000_000n };
    expect(policyEndpointReason({ denyTraining: true }, facts)).toBe("provider may train on prompts");
    expect(policyEndpointReason({ zdrOnly: true }, facts)).toMatch(/zero data retention/);
    expect(policyEndpointReason({ denyProviders: ["deep*"] }, facts)).toMatch(/denied/);
    expect(policyEndpointReason({ maxRequestCostUsd: "0.05" }, facts)).toMatch(/\$0.05/);
    expect(policyEndpointReason({ maxRequestCostUsd: "0.06" }, facts)).toBeNull();
  });

  it("hashes versions canonically and rejects unknown rules", () => {
    expect(policyVersionHash({ denyTraining: true, maxTokens: 5 })).toBe(
      policyVersionHash({ maxTokens: 5, denyTraining: true }),
    );
    expect(policyVersionHash({ maxTokens: 5 })).not.toBe(policyVersionHash({ maxTokens: 6 }));
    expect(() => policyRulesSchema.parse({ allowModel: ["x"] })).toThrow();
  });
});
