import type { ApiKeyView } from "@junction/api";
import { Badge, type BadgeTone, Table, type TableColumn, TableHeader, TBody, TD, TR } from "@junction/ui";
import { date, dateTime, relative, usd } from "@/lib/format";
import { EditKeyButton } from "./edit-key-button";
import { RevokeKeyButton } from "./revoke-key-button";

const STATUS_TONE: Record<ApiKeyView["status"], BadgeTone> = {
  active: "success",
  expired: "warning",
  revoked: "neutral",
};
const RESET_SUFFIX: Record<ApiKeyView["limitReset"], string> = {
  never: "",
  daily: " / day",
  weekly: " / week",
  monthly: " / month",
};

function LimitCell({ apiKey }: { apiKey: ApiKeyView }) {
  if (apiKey.creditLimit === null) {
    return (
      <div>
        <p className="text-slate-500 dark:text-slate-400">No limit</p>
        <p className="text-xs text-slate-400">{usd(apiKey.spentTotal)} spent</p>
      </div>
    );
  }
  // Bar width only: the figures themselves are formatted from nano-USD.
  const used = apiKey.creditLimit > 0n ? Number((apiKey.spentInWindow * 1000n) / apiKey.creditLimit) / 10 : 0;
  return (
    <div className="w-40">
      <p className="font-mono text-slate-900 dark:text-white">
        {usd(apiKey.creditLimit)}
        <span className="font-sans text-slate-500 dark:text-slate-400">
          {RESET_SUFFIX[apiKey.limitReset]}
        </span>
      </p>
      <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800">
        <div className="h-full rounded-full bg-indigo-500" style={{ width: `${Math.min(100, used)}%` }} />
      </div>
      <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{usd(apiKey.spentInWindow)} used</p>
    </div>
  );
}

/** The key's own rate limits, if any ("60 rpm · 40k tpm · 4 concurrent"). */
function RateLimitsLine({ apiKey }: { apiKey: ApiKeyView }) {
  const parts = [
    apiKey.rateLimitRpm !== null && `${apiKey.rateLimitRpm.toLocaleString("en-US")} rpm`,
    apiKey.rateLimitTpm !== null && `${apiKey.rateLimitTpm.toLocaleString("en-US")} tpm`,
    apiKey.rateLimitConcurrency !== null && `${apiKey.rateLimitConcurrency} concurrent`,
  ].filter(Boolean);
  return parts.length ? (
    <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400" data-testid="api-key-rate-limits">
      {parts.join(" · ")}
    </p>
  ) : null;
}

const KEY_COLUMNS: TableColumn[] = [
  "Name",
  "Key",
  "Created",
  "Last used",
  "Limit",
  "Expires",
  "Status",
  { label: "Actions", srOnly: true },
];

/** The organization's keys: display prefix only (the key itself is never shown again), limits and status. */
export function KeysTable({ keys }: { keys: ApiKeyView[] }) {
  const now = new Date();
  return (
    <Table>
      <TableHeader columns={KEY_COLUMNS} />
      <TBody>
        {keys.map((apiKey) => (
          <TR
            key={apiKey.id}
            data-testid="api-key-row"
            data-key-id={apiKey.id}
            className={apiKey.status === "revoked" ? "opacity-60" : undefined}
          >
            <TD>
              <p className="font-medium text-slate-900 dark:text-white">{apiKey.name}</p>
              {apiKey.createdBy ? (
                <p className="text-xs text-slate-500 dark:text-slate-400">by {apiKey.createdBy}</p>
              ) : null}
            </TD>
            <TD>
              <code className="rounded-md bg-slate-100 dark:bg-slate-800 px-2 py-1 font-mono text-xs text-slate-700 dark:text-slate-300">
                {apiKey.displayPrefix}
              </code>
            </TD>
            <TD title={dateTime(apiKey.createdAt)}>{date(apiKey.createdAt)}</TD>
            <TD title={apiKey.lastUsedAt ? dateTime(apiKey.lastUsedAt) : undefined}>
              {apiKey.lastUsedAt ? (
                relative(apiKey.lastUsedAt, now)
              ) : (
                <span className="text-slate-400">Never</span>
              )}
            </TD>
            <TD>
              <LimitCell apiKey={apiKey} />
              <RateLimitsLine apiKey={apiKey} />
            </TD>
            <TD title={apiKey.expiresAt ? dateTime(apiKey.expiresAt) : undefined}>
              {apiKey.expiresAt ? date(apiKey.expiresAt) : <span className="text-slate-400">Never</span>}
            </TD>
            <TD>
              <Badge tone={STATUS_TONE[apiKey.status]} className="capitalize" data-testid="api-key-status">
                {apiKey.status}
              </Badge>
            </TD>
            <TD className="text-right">
              <div className="flex items-center justify-end gap-1">
                {apiKey.canEdit ? <EditKeyButton apiKey={apiKey} /> : null}
                {apiKey.canRevoke ? (
                  <RevokeKeyButton id={apiKey.id} name={apiKey.name} displayPrefix={apiKey.displayPrefix} />
                ) : null}
              </div>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
