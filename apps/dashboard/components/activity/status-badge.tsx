import { Badge, type BadgeTone } from "@junction/ui";

const TONE: Record<string, BadgeTone> = {
  success: "success",
  error: "danger",
  aborted: "warning",
  pending: "neutral",
};

export function StatusBadge({ status, httpStatus }: { status: string; httpStatus: number | null }) {
  return (
    <Badge tone={TONE[status] ?? "neutral"} data-testid="generation-status">
      <span className="capitalize">{status}</span>
      {httpStatus && httpStatus !== 200 ? <span className="font-mono opacity-75">{httpStatus}</span> : null}
    </Badge>
  );
}
