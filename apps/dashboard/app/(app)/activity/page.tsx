import { GENERATION_STATUSES } from "@junction/api/schemas";
import { buttonClasses, EmptyState } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { ActivityFilters } from "@/components/activity/activity-filters";
import { ActivityTable } from "@/components/activity/activity-table";
import { ActivityIcon } from "@/components/icons";
import { CursorPager } from "@/components/shell/cursor-pager";
import { PageHeader } from "@/components/shell/page-header";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Activity" };

const first = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) || undefined;

export default async function ActivityPage({ searchParams }: PageProps<"/activity">) {
  const params = await searchParams;
  const status = GENERATION_STATUSES.find((value) => value === first(params.status));
  const filter = { apiKeyId: first(params.key), model: first(params.model), status };
  const cursor = first(params.cursor);
  const [page, filters] = await Promise.all([
    load((api) => api.activity.list({ ...filter, ...(cursor && { cursor }) })),
    load((api) => api.activity.filters()),
  ]);
  const filtered = Boolean(filter.apiKeyId || filter.model || filter.status);
  const older = new URLSearchParams(
    Object.entries({
      key: filter.apiKeyId,
      model: filter.model,
      status: filter.status,
      cursor: page.nextCursor ?? undefined,
    }).flatMap(([name, value]) => (value ? [[name, value]] : [])),
  );

  return (
    <>
      <PageHeader
        title="Activity"
        description="Every request through the gateway: model, provider, tokens, exact cost and latency. Times are UTC."
      />
      <ActivityFilters keys={filters.keys} models={filters.models} />
      {page.items.length ? (
        <>
          <ActivityTable rows={page.items} />
          <CursorPager
            label={cursor ? "Older requests" : "Newest first"}
            latestHref={cursor ? "/activity" : undefined}
            olderHref={page.nextCursor ? `/activity?${older}` : undefined}
          />
        </>
      ) : filtered ? (
        <EmptyState
          icon={<ActivityIcon />}
          title="No requests match these filters"
          description="Try another key, model or status."
          action={
            <Link href="/activity" className={buttonClasses({ variant: "secondary" })}>
              Clear filters
            </Link>
          }
        />
      ) : (
        <EmptyState
          icon={<ActivityIcon />}
          title="No requests yet"
          description="Requests appear here as soon as the gateway has answered them. Create a key and try the quickstart."
          action={
            <>
              <Link href="/keys?create=1" className={buttonClasses()}>
                Create an API key
              </Link>
              <Link href="/overview" className={buttonClasses({ variant: "secondary" })}>
                See the quickstart
              </Link>
            </>
          }
        />
      )}
    </>
  );
}
