export { ingestGenerationUsage } from "./ingest-usage.js";
export { startWorkers, type WorkerHealth } from "./worker.js";
