export * from "./api-keys.js";
export * from "./envelope.js";
export * from "./errors.js";
export * from "./ids.js";
export * from "./money.js";
export * from "./policy.js";
export * from "./pricing.js";
export * from "./receipts.js";
