import type { AuditFilter } from "@junction/api";

/** A page's `searchParams`, or a request's `URLSearchParams`: both name the same filters. */
type Params = URLSearchParams | Record<string, string | string[] | undefined>;

/** A parameter's first value; "" counts as absent. */
export function firstParam(params: Params, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

/** "2026-11-25", or undefined for anything that is not a UTC day. */
function day(params: Params, name: string): string | undefined {
  const value = firstParam(params, name);
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

function midnightUtc(day: string, addDays = 0): Date {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + addDays);
  return date;
}

/**
 * The audit log's filters in a URL (`?action=&actor=&target=&from=&to=`), read the same way by the audit page and
 * its CSV export. `from` and `to` are UTC days, both inclusive (anything else is ignored): the filter runs from
 * `from`'s midnight to the midnight after `to`. The days are returned too, for the form and its links.
 */
export function auditFilterFromParams(params: Params): { filter: AuditFilter; from?: string; to?: string } {
  const from = day(params, "from");
  const to = day(params, "to");
  return {
    filter: {
      action: firstParam(params, "action"),
      actorUserId: firstParam(params, "actor"),
      targetId: firstParam(params, "target"),
      ...(from && { from: midnightUtc(from) }),
      ...(to && { to: midnightUtc(to, 1) }),
    },
    from,
    to,
  };
}
