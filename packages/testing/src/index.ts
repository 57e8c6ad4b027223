export * from "./catalog.js";
export * from "./database.js";
export * from "./fake-anthropic.js";
export * from "./fake-gemini.js";
export * from "./fake-openai.js";
export * from "./fake-server.js";
export * from "./redis.js";
export * from "./tenants.js";
