export * from "./catalog/import.js";
export * from "./catalog/litellm.js";
export { createDb, type Db } from "./client.js";
export * from "./credentials.js";
export * from "./generated/prisma/client.js";
export * from "./generations.js";
export * from "./ledger.js";
export * from "./policies.js";
export * from "./tenancy.js";
