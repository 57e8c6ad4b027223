import { z } from "zod";

/**
 * Every queue and its payload, in one place, so producers (gateway, dashboard) and consumers (worker) cannot drift.
 * Consumers are idempotent on the natural id in the payload: delivery is at-least-once, totals exactly-once.
 */
export const QUEUES = {
  usage: {
    name: "usage",
    payload: z.object({ generationId: z.string().startsWith("gen_") }),
  },
  rollups: {
    name: "rollups",
    payload: z.object({
      kind: z.enum(["spend_report", "invoice", "reconcile", "retention", "reingest"]),
      at: z.iso.datetime().optional(),
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
