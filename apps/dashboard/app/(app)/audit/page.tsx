import { buttonClasses, Card, Field, Input, Select, Table, TableHeader, TBody, TD, TR } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { CursorPager } from "@/components/shell/cursor-pager";
import { PageHeader } from "@/components/shell/page-header";
import { auditFilterFromParams, firstParam } from "@/lib/audit-filter";
import { dateTime, usd } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Audit log" };

/** Money stored in nano-USD (a key's credit limit, `…Nano` fields); shown in dollars. Other amounts are shown as is. */
const NANO_USD = /^creditLimit$|Nano$/;

function shown(field: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (NANO_USD.test(field) && typeof value === "string" && /^-?\d+$/.test(value)) return usd(BigInt(value));
  return typeof value === "string" ? value : JSON.stringify(value);
}

const fieldsOf = (value: unknown) =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;

/**
 * What changed, readably: `field: before → after` for an update, the fields set by a creation, `field: before → —`
 * for a removal, other details as they are.
 */
function details(metadata: unknown): string {
  if (metadata === null || typeof metadata !== "object") return "";
  const { before, after, ...rest } = metadata as Record<string, unknown>;
  const parts = Object.entries(rest).map(([field, value]) => `${field}: ${shown(field, value)}`);
  const [old, now] = [fieldsOf(before), fieldsOf(after)];
  for (const field of new Set([...Object.keys(old ?? {}), ...Object.keys(now ?? {})])) {
    const [from, to] = [old?.[field], now?.[field]];
    if (!old) {
      if (to !== null && to !== undefined) parts.push(`${field}: ${shown(field, to)}`);
    } else if (JSON.stringify(from) !== JSON.stringify(to)) {
      parts.push(`${field}: ${shown(field, from)} → ${shown(field, to)}`);
    }
  }
  const text = parts.join(" · ");
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

export default async function AuditPage({ searchParams }: PageProps<"/audit">) {
  const params = await searchParams;
  const settings = await load((api) => api.settings.organization());
  if (!settings.canEdit) {
    return (
      <>
        <PageHeader title="Audit log" description="Who changed what, when and from where." />
        <Card>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Only admins and owners can read the audit log.
          </p>
        </Card>
      </>
    );
  }
  const { filter, from, to } = auditFilterFromParams(params);
  const cursor = firstParam(params, "cursor");
  const [page, filters] = await Promise.all([
    load((api) => api.audit.list({ ...filter, ...(cursor && { cursor }) })),
    load((api) => api.audit.filters()),
  ]);
  const query = (extra: Record<string, string | undefined>) =>
    new URLSearchParams(
      Object.entries({
        action: filter.action,
        actor: filter.actorUserId,
        target: filter.targetId,
        from,
        to,
        ...extra,
      }).flatMap(([name, value]) => (value ? [[name, value]] : [])),
    ).toString();

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every admin action in this organization: who, when (UTC), from which address, and what changed (secrets redacted). Append-only."
      />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Audit log filters">
        <Field id="audit-action" label="Action">
          <Select id="audit-action" name="action" defaultValue={filter.action ?? ""} width="auto">
            <option value="">All actions</option>
            {filters.actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="audit-actor" label="Actor">
          <Select id="audit-actor" name="actor" defaultValue={filter.actorUserId ?? ""} width="auto">
            <option value="">Everyone</option>
            {filters.actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.name ?? actor.email}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="audit-from" label="From">
          <Input id="audit-from" type="date" name="from" defaultValue={from} width="auto" />
        </Field>
        <Field id="audit-to" label="To">
          <Input id="audit-to" type="date" name="to" defaultValue={to} width="auto" />
        </Field>
        {filter.targetId ? <input type="hidden" name="target" value={filter.targetId} /> : null}
        <button type="submit" className={buttonClasses({ variant: "secondary", size: "md" })}>
          Apply
        </button>
        <Link href="/audit" className={buttonClasses({ variant: "ghost", size: "md" })}>
          Clear
        </Link>
        <a
          href={`/api/audit/export?${query({})}`}
          className={buttonClasses({ variant: "secondary", size: "md" })}
          download
        >
          Download CSV
        </a>
      </form>
      {page.items.length ? (
        <>
          <Table>
            <TableHeader columns={["Time (UTC)", "Action", "Actor", "Target", "IP", "Changes"]} />
            <TBody>
              {page.items.map((row) => (
                <TR key={row.id} data-testid="audit-row">
                  <TD className="whitespace-nowrap text-xs">{dateTime(row.createdAt)}</TD>
                  <TD>
                    <code className="font-mono text-xs">{row.action}</code>
                  </TD>
                  <TD>{row.actor ? (row.actor.name ?? row.actor.email) : "—"}</TD>
                  <TD className="font-mono text-xs">
                    {row.targetId ? (
                      <Link href={`/audit?${query({ target: row.targetId })}`} className="hover:underline">
                        {row.targetType}:{row.targetId}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </TD>
                  <TD className="font-mono text-xs">{row.ip ?? "—"}</TD>
                  <TD className="max-w-md break-all font-mono text-xs text-slate-600 dark:text-slate-400">
                    {details(row.metadata)}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <CursorPager
            label={cursor ? "Older entries" : "Newest first"}
            latestHref={cursor ? `/audit?${query({})}` : undefined}
            olderHref={page.nextCursor ? `/audit?${query({ cursor: page.nextCursor })}` : undefined}
          />
        </>
      ) : (
        <Card>
          <p className="text-sm text-slate-600 dark:text-slate-400">No audit entries match these filters.</p>
        </Card>
      )}
    </>
  );
}
