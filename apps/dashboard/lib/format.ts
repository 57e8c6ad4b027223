import { formatUsd, type NanoUsd } from "@junction/core";

/**
 * Display formatting for server components. Money goes through `formatUsd` from bigint nano-USD (exact, never a
 * float); times are shown in UTC, the timezone every rollup and limit window uses.
 */
export const usd = (nano: NanoUsd): string => formatUsd(nano);

/** Catalog prices are nano-USD per million tokens, i.e. exactly USD per million once formatted. */
export const perMillion = (nanoPerMillion: NanoUsd | null): string =>
  nanoPerMillion === null ? "—" : formatUsd(nanoPerMillion);

const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
  timeZone: "UTC",
});
const dateFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});
const dayFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export const dateTime = (date: Date): string => `${dateTimeFormat.format(date)} UTC`;
/** Without the zone, for tables whose header already says UTC. */
export const shortDateTime = (date: Date): string => dateTimeFormat.format(date);
/** "2026-11-25 14:03:05", with the year, for logs that span years (the column header says UTC). */
export const utcTimestamp = (value: Date): string => value.toISOString().replace("T", " ").slice(0, 19);
export const date = (value: Date): string => dateFormat.format(value);
/** A billing period [start, end) as inclusive UTC days: "Oct 1, 2026 – Oct 31, 2026" (one day: just the day). */
export function period(start: Date, end: Date): string {
  const last = new Date(Math.max(start.getTime(), end.getTime() - 1));
  const [from, to] = [dateFormat.format(start), dateFormat.format(last)];
  return from === to ? from : `${from} – ${to}`;
}
/** "2026-11-25" (a UTC day key) → "Nov 25". */
/** "Nov 25" for the UTC day that contains `value`. */
export const utcDayLabel = (value: Date): string => dayFormat.format(value);
/** "14:00" (UTC), for hour buckets. */
export const hourLabel = (value: Date): string => `${value.toISOString().slice(11, 13)}:00`;

export function relative(value: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - value.getTime()) / 1000);
  if (seconds < 0) {
    const ahead = -seconds;
    if (ahead < 3600) return `in ${Math.max(1, Math.round(ahead / 60))} min`;
    if (ahead < 86_400) return `in ${Math.round(ahead / 3600)} h`;
    return `in ${Math.round(ahead / 86_400)} days`;
  }
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 30 * 86_400) return `${Math.round(seconds / 86_400)} days ago`;
  return date(value);
}

export const count = (value: number | bigint): string => value.toLocaleString("en-US");

export function duration(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
