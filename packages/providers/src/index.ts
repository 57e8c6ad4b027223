export * from "./anthropic-format.js";
export { createAnthropicAdapter } from "./adapters/anthropic.js";
export { createOpenAiAdapter, finishFromOpenAi, usageFromOpenAi } from "./adapters/openai.js";
export { createSandboxAdapter, sampleFromSchema } from "./adapters/sandbox.js";
export * from "./errors.js";
export * from "./registry.js";
export * from "./tokens.js";
export * from "./transport.js";
export * from "./types.js";
