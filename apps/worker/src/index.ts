export { runAutoTopUps } from "./auto-top-up.js";
export {
  drainBacklog,
  type IngestOutcome,
  ingestBacklogBatch,
  ingestGenerations,
  ingestGenerationUsage,
} from "./ingest-usage.js";
export { finalizeInvoice, formatInvoiceNumber, refreshDraftInvoice, runInvoices } from "./invoices.js";
export { checkpointHorizon, verifyLedgerCheckpoints, writeLedgerCheckpoints } from "./ledger-checkpoints.js";
export { type Discrepancy, type ReconcileReport, reconcile } from "./reconcile.js";
export { generateSpendReports, writeSpendReport } from "./spend-reports.js";
export { ingestUningested, reenqueueUningested } from "./sweep.js";
export { UsageBatcher } from "./usage-batcher.js";
export { startWorkers, type WorkerHealth } from "./worker.js";
