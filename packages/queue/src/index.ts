export * from "./credit-keys.js";
export * from "./key-events.js";
export * from "./producers.js";
export * from "./queues.js";
export * from "./served-providers.js";
