import { Button, buttonClasses, EmptyState, Input, Select } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { CubeIcon } from "@/components/icons";
import { ModelRow } from "@/components/models/model-row";
import { PageHeader } from "@/components/shell/page-header";
import { count } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Models" };

const first = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

export default async function ModelsPage({ searchParams }: PageProps<"/models">) {
  const params = await searchParams;
  const search = first(params.search);
  const provider = first(params.provider);
  const page = Math.max(1, Math.min(1000, Number(first(params.page)) || 1));
  const all = first(params.all) === "1";
  const catalog = await load((api) =>
    api.models.list({ page, all, ...(search && { search }), ...(provider && { provider }) }),
  );
  const pageHref = (target: number) => {
    const query = new URLSearchParams({
      ...(search && { search }),
      ...(provider && { provider }),
      ...(all && { all: "1" }),
      page: String(target),
    });
    return `/models?${query}`;
  };
  const known = catalog.availability === "known";

  return (
    <>
      <PageHeader
        title="Models"
        description={
          all || !known
            ? "Every model in the catalog, the providers serving it and their prices per million tokens."
            : "The models you can call here with one API key: served by a provider this gateway has credentials for, or one you added your own key for. Prices per million tokens."
        }
      />
      <form method="GET" action="/models" className="mb-4 flex flex-wrap items-center gap-3">
        <Input
          name="search"
          defaultValue={search}
          placeholder="Search models, e.g. gpt-4o or llama"
          aria-label="Search models"
          width="auto"
          className="w-72"
        />
        <Select
          name="provider"
          defaultValue={provider ?? ""}
          aria-label="Provider"
          width="auto"
          className="min-w-44"
        >
          <option value="">All providers</option>
          {catalog.providers.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
            </option>
          ))}
        </Select>
        {known ? (
          <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
            <input
              type="checkbox"
              name="all"
              value="1"
              defaultChecked={all}
              className="size-4 rounded border-slate-300 dark:border-slate-600"
            />
            Include models not callable here
          </label>
        ) : null}
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        <p className="ml-auto text-sm text-slate-500 dark:text-slate-400">{count(catalog.total)} models</p>
      </form>
      {catalog.models.length ? (
        <>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800 rounded-xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 shadow-sm">
            {catalog.models.map((model) => (
              <ModelRow key={model.id} model={model} />
            ))}
          </ul>
          <nav
            aria-label="Pages"
            className="mt-4 flex items-center justify-between text-sm text-slate-500 dark:text-slate-400"
          >
            <span>
              Page {catalog.page} of {catalog.pageCount}
            </span>
            <div className="flex gap-2">
              {catalog.page > 1 ? (
                <Link
                  href={pageHref(catalog.page - 1)}
                  className={buttonClasses({ variant: "secondary", size: "sm" })}
                >
                  ← Previous
                </Link>
              ) : null}
              {catalog.page < catalog.pageCount ? (
                <Link
                  href={pageHref(catalog.page + 1)}
                  className={buttonClasses({ variant: "secondary", size: "sm" })}
                >
                  Next →
                </Link>
              ) : null}
            </div>
          </nav>
        </>
      ) : (
        <EmptyState
          icon={<CubeIcon />}
          title={search || provider ? "No models match" : "The catalog is empty"}
          description={
            search || provider
              ? all || !known
                ? "Try a shorter search or another provider."
                : "Try a shorter search, or include the models not callable here."
              : "Import the price table with `pnpm db:seed`."
          }
          action={
            search || provider ? (
              <Link href="/models" className={buttonClasses({ variant: "secondary" })}>
                Clear filters
              </Link>
            ) : null
          }
        />
      )}
    </>
  );
}
