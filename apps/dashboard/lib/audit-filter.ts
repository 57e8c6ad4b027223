import type { AuditFilter } from "@junction/api";

/** A page's `searchParams`, or a request's `URLSearchParams`: both name the same filters. */
type Params = URLSearchParams | Record<string, string | string[] | undefined>;

/** A parameter's first value; "" counts as absent. */
export function firstParam(params: Params, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

const UTC_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The audit log's filters in a URL (`?action=&actor=&target=&from=&to=`), read the same way by the audit page and
 * its CSV export. `from` and `to` are UTC days, both inclusive (the filter runs from `from`'s midnight to the
 * midnight after `to`), or exact date-times. Values that are neither are listed in `invalid` (the export answers
 * 400; the page leaves them out). `from`/`to` are returned as days, for the form's date inputs and its links.
 */
export function auditFilterFromParams(params: Params): {
  filter: AuditFilter;
  from?: string;
  to?: string;
  invalid: string[];
} {
  const invalid: string[] = [];
  const bound = (name: "from" | "to"): Date | undefined => {
    const value = firstParam(params, name);
    if (!value) return undefined;
    const date = new Date(UTC_DAY.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(date.getTime())) {
      invalid.push(name);
      return undefined;
    }
    if (name === "to" && UTC_DAY.test(value)) date.setUTCDate(date.getUTCDate() + 1);
    return date;
  };
  const from = bound("from");
  const to = bound("to");
  const day = (name: string) => {
    const value = firstParam(params, name);
    return value && UTC_DAY.test(value) ? value : undefined;
  };
  return {
    filter: {
      action: firstParam(params, "action"),
      actorUserId: firstParam(params, "actor"),
      targetId: firstParam(params, "target"),
      ...(from && { from }),
      ...(to && { to }),
    },
    from: day("from"),
    to: day("to"),
    invalid,
  };
}
