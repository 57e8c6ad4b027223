export { createAnthropicAdapter } from "./adapters/anthropic.js";
export { createGeminiAdapter } from "./adapters/gemini.js";
export {
  createOpenAiAdapter,
  finishFromOpenAi,
  openAiHostSamplers,
  usageFromOpenAi,
} from "./adapters/openai.js";
export { createSandboxAdapter, sampleFromSchema } from "./adapters/sandbox.js";
export * from "./anthropic-format.js";
export * from "./embeddings.js";
export * from "./errors.js";
export * from "./gemini-format.js";
export * from "./gemini-schema.js";
export * from "./guarded-transport.js";
export * from "./registry.js";
export * from "./responses-format.js";
export * from "./tokens.js";
export * from "./transport.js";
export * from "./types.js";
