/** UTC calendar boundaries shared by key limits, spend figures, reports and invoices (weeks start on Monday). */
export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

export function startOfUtcWeek(at: Date): Date {
  const day = startOfUtcDay(at);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day;
}

export function startOfUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** Start of a key limit's current period, or null when the limit never resets. */
export function limitPeriodStart(reset: string, now = new Date()): Date | null {
  if (reset === "daily") return startOfUtcDay(now);
  if (reset === "weekly") return startOfUtcWeek(now);
  if (reset === "monthly") return startOfUtcMonth(now);
  return null;
}
