export * from "./key-events.js";
export * from "./producers.js";
export * from "./queues.js";
