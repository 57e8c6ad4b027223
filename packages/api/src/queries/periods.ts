/** UTC day arithmetic for spend figures; the calendar boundaries themselves live in @junction/core. */
export { startOfUtcDay, startOfUtcMonth, startOfUtcWeek } from "@junction/core";
export function addUtcDays(date: Date, days: number): Date {
  const next = new Date(date);
  next.setUTCDate(next.getUTCDate() + days);
  return next;
}

/** "2026-11-25" */
export function utcDayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}
