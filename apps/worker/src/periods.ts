/** UTC calendar periods: every rollup hour, report and invoice is in UTC. */
import { startOfUtcDay, startOfUtcMonth } from "@junction/core";

export { startOfUtcDay, startOfUtcMonth };
export type ReportPeriodKind = "daily" | "monthly";

export function addUtcDays(at: Date, days: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + days));
}

export function addUtcMonths(at: Date, months: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
}

/** The [start, end) of the daily or monthly period that contains `at`. */
export function periodContaining(kind: ReportPeriodKind, at: Date): { start: Date; end: Date } {
  if (kind === "daily") {
    const start = startOfUtcDay(at);
    return { start, end: addUtcDays(start, 1) };
  }
  const start = startOfUtcMonth(at);
  return { start, end: addUtcMonths(start, 1) };
}

/** Every period of `kind` that overlaps [from, to], oldest first. */
export function periodsBetween(kind: ReportPeriodKind, from: Date, to: Date): { start: Date; end: Date }[] {
  const periods: { start: Date; end: Date }[] = [];
  for (
    let period = periodContaining(kind, from);
    period.start <= to;
    period = periodContaining(kind, period.end)
  ) {
    periods.push(period);
  }
  return periods;
}
