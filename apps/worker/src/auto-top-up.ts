import { autoTopUpCandidates, maybeAutoTopUp, type Stripe } from "@junction/billing";
import type { Db } from "@junction/db";
import { log as workerLog } from "./log.js";

/**
 * The auto top-up job: one organization (when a gateway asked for it) or every organization with auto top-up
 * configured. `maybeAutoTopUp` keeps at most one charge in flight per organization, so overlapping runs are safe.
 */
export async function runAutoTopUps(
  db: Db,
  stripe: Stripe,
  organizationId?: string,
  options: { log?: (line: string) => void; onCredited?: (organizationId: string) => Promise<void> } = {},
): Promise<{
  checked: number;
  started: { organizationId: string; outcome: string; detail: string | null }[];
}> {
  const log = options.log ?? ((line: string) => workerLog.warn(line));
  const organizations = organizationId ? [organizationId] : await autoTopUpCandidates(db);
  // JSON-safe (BullMQ stores the job's return value as JSON; no bigint).
  const started: { organizationId: string; outcome: string; detail: string | null }[] = [];
  for (const id of organizations) {
    try {
      const result = await maybeAutoTopUp(db, stripe, id);
      if (result.outcome === "charged" || result.outcome === "processing" || result.outcome === "failed") {
        started.push({
          organizationId: id,
          outcome: result.outcome,
          detail: result.paymentIntentId ?? result.reason ?? null,
        });
      }
      if (result.outcome === "failed")
        log(`[worker] auto top-up for ${id} failed: ${result.reason ?? "unknown"}`);
    } catch (error) {
      log(
        `[worker] auto top-up for ${id} errored: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { checked: organizations.length, started };
}
