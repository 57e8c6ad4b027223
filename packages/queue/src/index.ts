export * from "./producers.js";
export * from "./queues.js";
