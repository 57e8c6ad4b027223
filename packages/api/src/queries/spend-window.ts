import { JunctionError } from "@junction/core";
import type { SpendRange } from "../schemas";
import { MAX_CUSTOM_DAYS } from "../schemas";
import { addUtcDays, startOfUtcDay } from "./periods";
import type { SpendWindow } from "./usage";

const HOUR_MS = 3_600_000;

function parseDay(value: string | undefined, param: "from" | "to"): Date {
  const parsed = value ? new Date(`${value}T00:00:00.000Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new JunctionError("bad_request", "Choose a valid date", { param });
  }
  return parsed;
}

/**
 * The chart's window: the last 24 hours in hour buckets (the current hour included), the last 7 or 30 UTC days
 * (today included), or custom UTC days from `from` to `to`, both inclusive.
 */
export function spendWindow(
  input: { range: SpendRange; from?: string; to?: string },
  now: Date,
): SpendWindow {
  if (input.range === "24h") {
    const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
    return { from: new Date(to.getTime() - 24 * HOUR_MS), to, bucket: "hour" };
  }
  if (input.range === "custom") {
    const from = parseDay(input.from, "from");
    const last = parseDay(input.to, "to");
    if (last < from)
      throw new JunctionError("bad_request", "The end date is before the start date", { param: "to" });
    const to = addUtcDays(last, 1);
    if (to.getTime() - from.getTime() > MAX_CUSTOM_DAYS * 24 * HOUR_MS) {
      throw new JunctionError("bad_request", `Choose at most ${MAX_CUSTOM_DAYS} days`, { param: "from" });
    }
    return { from, to, bucket: "day" };
  }
  const days = input.range === "7d" ? 7 : 30;
  const to = addUtcDays(startOfUtcDay(now), 1);
  return { from: addUtcDays(to, -days), to, bucket: "day" };
}
