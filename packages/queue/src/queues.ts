import { z } from "zod";

/**
 * Every queue and its payload, in one place, so producers (gateway, dashboard) and consumers (worker) cannot drift.
 * Consumers are idempotent on the natural id in the payload: delivery is at-least-once, totals exactly-once.
 */
export const QUEUES = {
  /** Settled generations to ingest, as many as a gateway wrote in one batch (job id: the first of them). */
  usage: {
    name: "usage",
    payload: z.object({ generationIds: z.array(z.string().startsWith("gen_")).min(1).max(1000) }),
  },
  /**
   * Periodic aggregation and billing work (job schedulers in the worker; anyone may enqueue one more run):
   * - spend_report: (re)build the daily and monthly SpendReports around `at` (default now).
   * - invoice: recompute draft invoices, finalize those whose period ended more than INVOICE_GRACE_HOURS ago.
   * - reconcile: generations vs ledger vs rollups vs finalized invoices; the job's result is the report.
   * - ledger_checkpoint: write LedgerCheckpoints so balances sum only recent entries.
   * - auto_topup: charge saved cards of organizations below their auto top-up threshold (only `organizationId`
   *   when given — what a gateway enqueues when it sees a balance drop below the threshold).
   * - reingest: ingest settled generations whose usage job was lost.
   */
  rollups: {
    name: "rollups",
    payload: z.object({
      kind: z.enum([
        "spend_report",
        "invoice",
        "reconcile",
        "retention",
        "reingest",
        "ledger_checkpoint",
        "auto_topup",
      ]),
      at: z.iso.datetime().optional(),
      organizationId: z.string().startsWith("org_").optional(),
    }),
  },
  heartbeat: {
    name: "heartbeat",
    payload: z.object({ at: z.iso.datetime() }),
  },
} as const;

export type QueueName = keyof typeof QUEUES;
export type QueuePayload<Q extends QueueName> = z.infer<(typeof QUEUES)[Q]["payload"]>;

export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): QueuePayload<Q> {
  return QUEUES[queue].payload.parse(data) as QueuePayload<Q>;
}
