import { Card, CopyButton } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AttemptsTable } from "@/components/activity/attempts-table";
import { CostArithmetic } from "@/components/activity/cost-arithmetic";
import { ReceiptCard } from "@/components/activity/receipt-card";
import { StatusBadge } from "@/components/activity/status-badge";
import { ArrowLeftIcon } from "@/components/icons";
import { PageHeader } from "@/components/shell/page-header";
import { count, dateTime, duration } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Request" };

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 truncate text-sm text-slate-900 dark:text-white">{children}</dd>
    </div>
  );
}

export default async function GenerationPage({ params }: PageProps<"/activity/[id]">) {
  const { id } = await params;
  const generation = await load((api) => api.activity.get({ id }));
  const none = <span className="text-slate-400">—</span>;
  // Refused before routing (bad body, unknown model, no credit, rate limit): no provider, no usage, no receipt.
  const refused = generation.endpointId === null && generation.attempts.length === 0;

  return (
    <>
      <PageHeader
        eyebrow={
          <Link
            href="/activity"
            className="inline-flex items-center gap-1.5 font-medium hover:text-slate-900 dark:hover:text-white"
          >
            <ArrowLeftIcon />
            Activity
          </Link>
        }
        title={generation.servedModel ?? generation.requestedModel}
        description={
          <span className="inline-flex items-center gap-2">
            <code className="font-mono text-xs text-slate-500 dark:text-slate-400">{generation.id}</code>
            <CopyButton value={generation.id} tone="light" label="Copy id" />
          </span>
        }
        actions={<StatusBadge status={generation.status} httpStatus={generation.httpStatus} />}
      />
      <Card>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-5 md:grid-cols-4">
          <Item label="Time">{dateTime(generation.createdAt)}</Item>
          <Item label="API key">
            {generation.apiKey ? `${generation.apiKey.name} (${generation.apiKey.displayPrefix})` : none}
          </Item>
          <Item label="Requested model">{generation.requestedModel}</Item>
          <Item label="Provider · endpoint">{generation.endpointId ?? none}</Item>
          <Item label="Prompt tokens">
            {count(generation.promptTokens)}
            {generation.cachedTokens ? (
              <span className="text-slate-500 dark:text-slate-400">
                {" "}
                ({count(generation.cachedTokens)} cached)
              </span>
            ) : null}
          </Item>
          <Item label="Completion tokens">
            {count(generation.completionTokens)}
            {generation.reasoningTokens ? (
              <span className="text-slate-500 dark:text-slate-400">
                {" "}
                ({count(generation.reasoningTokens)} reasoning)
              </span>
            ) : null}
          </Item>
          <Item label="Latency">
            {duration(generation.latencyMs)}
            {generation.timeToFirstTokenMs !== null ? (
              <span className="text-slate-500 dark:text-slate-400">
                {" "}
                · first token {duration(generation.timeToFirstTokenMs)}
              </span>
            ) : null}
          </Item>
          <Item label="API · streaming">
            {generation.apiFormat} {generation.route} · {generation.stream ? "streamed" : "not streamed"}
          </Item>
          <Item label="Finish reason">{generation.finishReason ?? none}</Item>
          <Item label="Usage source">
            {refused ? none : generation.usageEstimated ? "Counted by Junction" : "Reported by the provider"}
          </Item>
          <Item label="Billed">
            {generation.cost === 0n
              ? "Nothing to bill"
              : generation.ingestedAt
                ? dateTime(generation.ingestedAt)
                : "Pending"}
          </Item>
          <Item label="Policy">
            {generation.policyVersionHash ? (
              <code className="font-mono text-xs">{generation.policyVersionHash.slice(0, 16)}</code>
            ) : (
              none
            )}
          </Item>
        </dl>
        {generation.errorMessage ? (
          <p className="mt-6 rounded-lg bg-rose-50 dark:bg-rose-950/40 px-4 py-3 text-sm text-rose-800 ring-1 ring-rose-200 dark:ring-rose-900">
            <span className="font-mono text-xs">{generation.errorCode}</span> {generation.errorMessage}
          </p>
        ) : null}
      </Card>
      <div className="mt-6 grid grid-cols-1 gap-6 xl:grid-cols-2 *:min-w-0">
        <CostArithmetic generation={generation} />
        <AttemptsTable attempts={generation.attempts} />
      </div>
      <div className="mt-6">
        <ReceiptCard
          refused={refused}
          receipt={generation.receipt}
          signature={generation.signature}
          signatureValid={generation.signatureValid}
        />
      </div>
    </>
  );
}
