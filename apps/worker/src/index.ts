export { ingestGenerationUsage } from "./ingest-usage.js";
export { reenqueueUningested } from "./sweep.js";
export { startWorkers, type WorkerHealth } from "./worker.js";
