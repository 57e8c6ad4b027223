export { createDb, type Db } from "./client.js";
export * from "./generated/prisma/client.js";
export * from "./ledger.js";
export * from "./tenancy.js";
