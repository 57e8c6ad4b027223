import { describe, expect, it } from "vitest";
import { ConfigError, loadCoreEnv, loadGatewayEnv, providerEnv } from "../src/index.js";

describe("env", () => {
  it("has working local defaults", () => {
    const env = loadGatewayEnv({});
    expect(env.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/junction");
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.GATEWAY_PORT).toBe(4000);
    expect(env.GATEWAY_MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
  });

  it("names the wrong variable", () => {
    expect(() => loadCoreEnv({ DATABASE_URL: "mysql://x" })).toThrow(ConfigError);
    expect(() => loadCoreEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL \("mysql:\/\/x"\)/);
    expect(() => loadGatewayEnv({ GATEWAY_PORT: "http" })).toThrow(/GATEWAY_PORT/);
  });

  it("never echoes secret values", () => {
    try {
      loadGatewayEnv({ GATEWAY_PORT: "x", NEXTAUTH_SECRET: "short" });
    } catch (error) {
      expect(String(error)).not.toContain("short");
    }
  });

  it("reads provider settings by their SDK names", () => {
    expect(
      providerEnv("openai", { OPENAI_BASE_URL: "http://127.0.0.1:9/v1/", OPENAI_API_KEY: "sk" }),
    ).toEqual({
      apiKey: "sk",
      baseUrl: "http://127.0.0.1:9/v1",
    });
    expect(providerEnv("groq", {}).baseUrl).toBe("https://api.groq.com/openai/v1");
  });
});
