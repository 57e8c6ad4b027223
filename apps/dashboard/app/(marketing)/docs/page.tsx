import { buttonClasses } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { InlineText } from "@/components/docs/inline-text";
import { MethodBadge, OperationCard } from "@/components/docs/operation-card";
import { PropertyList } from "@/components/docs/schema-view";
import { groupOperations, loadGatewaySpec, slug } from "@/lib/docs/openapi";
import { gatewayUrl } from "@/lib/env";

export const metadata: Metadata = {
  title: "API reference",
  description: "The Junction gateway's HTTP API, rendered from its OpenAPI document.",
};

/** API reference rendered from the gateway's own OpenAPI document, fetched per request (apps never import each other). */
export default async function DocsPage() {
  await connection();
  const loaded = await loadGatewaySpec();

  if (!loaded.ok) {
    return (
      <>
        <DocsHero title="API reference" />
        <section className="bg-white dark:bg-slate-900 py-20">
          <div className="mx-auto max-w-2xl px-6 text-center" data-testid="docs-unavailable" role="status">
            <h2 className="text-xl font-semibold text-slate-900 dark:text-white">
              The API reference is unavailable right now
            </h2>
            <p className="mt-3 text-sm leading-6 text-slate-600 dark:text-slate-400">
              It is read live from the gateway at{" "}
              <code className="rounded bg-slate-100 dark:bg-slate-800 px-1 font-mono text-xs">
                {loaded.source}
              </code>
              . {loaded.reason} Try again in a moment.
            </p>
            <div className="mt-8 flex flex-wrap justify-center gap-3">
              <Link href="/docs" className={buttonClasses({ variant: "secondary" })}>
                Retry
              </Link>
              <Link href="/#quickstart" className={buttonClasses({ variant: "ghost" })}>
                Read the quickstart <span aria-hidden="true">→</span>
              </Link>
            </div>
          </div>
        </section>
      </>
    );
  }

  const { spec } = loaded;
  const groups = groupOperations(spec);
  const schemas = Object.entries(spec.components?.schemas ?? {});
  const baseUrl = spec.servers?.[0]?.url ?? gatewayUrl();

  return (
    <>
      <DocsHero
        title={spec.info?.title ?? "API reference"}
        version={spec.info?.version}
        description={spec.info?.description}
        baseUrl={baseUrl}
      />
      <section className="bg-slate-50 dark:bg-slate-950 py-12 lg:py-16">
        <div className="mx-auto grid max-w-6xl grid-cols-1 gap-10 px-6 lg:grid-cols-[14rem_minmax(0,1fr)]">
          <nav
            aria-label="API reference"
            className="lg:sticky lg:top-24 lg:max-h-[calc(100dvh-8rem)] lg:self-start lg:overflow-y-auto"
          >
            <ul className="space-y-5 text-sm">
              {groups.map((group) => (
                <li key={group.id}>
                  <a
                    href={`#${group.id}`}
                    className="font-semibold text-slate-900 dark:text-white hover:text-indigo-600"
                  >
                    {group.name}
                  </a>
                  <ul className="mt-2 space-y-1.5">
                    {group.operations.map((entry) => (
                      <li key={entry.id}>
                        <a
                          href={`#${entry.id}`}
                          className="flex items-center gap-2 text-slate-600 dark:text-slate-400 hover:text-indigo-600"
                        >
                          <MethodBadge method={entry.method} className="w-12 text-[10px]" />
                          <span className="truncate font-mono text-xs">{entry.path}</span>
                        </a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
              {schemas.length ? (
                <li>
                  <a
                    href="#schemas"
                    className="font-semibold text-slate-900 dark:text-white hover:text-indigo-600"
                  >
                    Schemas
                  </a>
                </li>
              ) : null}
            </ul>
          </nav>

          <div className="min-w-0 space-y-14" data-testid="api-reference">
            {groups.map((group) => (
              <section key={group.id} aria-labelledby={group.id}>
                <h2
                  id={group.id}
                  className="mb-5 scroll-mt-24 text-2xl font-semibold tracking-tight text-slate-900 dark:text-white"
                >
                  {group.name}
                </h2>
                <div className="space-y-6">
                  {group.operations.map((entry) => (
                    <OperationCard key={entry.id} spec={spec} entry={entry} />
                  ))}
                </div>
              </section>
            ))}

            {schemas.length ? (
              <section aria-labelledby="schemas">
                <h2
                  id="schemas"
                  className="mb-5 scroll-mt-24 text-2xl font-semibold tracking-tight text-slate-900 dark:text-white"
                >
                  Schemas
                </h2>
                <div className="space-y-6">
                  {schemas.map(([name, schema]) => (
                    <article
                      key={name}
                      id={`schema-${slug(name)}`}
                      className="scroll-mt-24 rounded-2xl bg-white dark:bg-slate-900 p-6 shadow-sm ring-1 ring-slate-200 dark:ring-slate-700"
                    >
                      <h3 className="font-mono text-sm font-semibold text-slate-900 dark:text-white">
                        {name}
                      </h3>
                      {schema.description ? (
                        <p className="mt-2 text-sm leading-6 text-slate-600 dark:text-slate-400">
                          <InlineText text={schema.description} />
                        </p>
                      ) : null}
                      <div className="mt-4">
                        <PropertyList spec={spec} schema={schema} />
                      </div>
                    </article>
                  ))}
                </div>
              </section>
            ) : null}
          </div>
        </div>
      </section>
    </>
  );
}

function DocsHero({
  title,
  version,
  description,
  baseUrl,
}: {
  title: string;
  version?: string | undefined;
  description?: string | undefined;
  baseUrl?: string | undefined;
}) {
  return (
    <section className="relative isolate overflow-hidden bg-slate-950 text-white">
      <div
        aria-hidden="true"
        className="absolute inset-0 -z-10 bg-[radial-gradient(60%_60%_at_75%_0%,rgb(79_70_229/0.35),transparent_70%)]"
      />
      <div className="mx-auto max-w-6xl px-6 pt-16 pb-14">
        <p className="text-sm font-semibold text-indigo-300">Docs</p>
        <h1 className="mt-2 flex flex-wrap items-baseline gap-3 text-3xl font-semibold tracking-tight sm:text-4xl">
          {title}
          {version ? (
            <span className="rounded-full bg-white/5 px-2.5 py-0.5 font-mono text-xs font-medium text-slate-300 ring-1 ring-white/15">
              v{version}
            </span>
          ) : null}
        </h1>
        {description ? (
          <p className="mt-4 max-w-3xl text-base leading-7 text-slate-300 [&_code]:bg-white/10 [&_code]:text-slate-100">
            <InlineText text={description} />
          </p>
        ) : null}
        {baseUrl ? (
          <p className="mt-6 text-sm text-slate-400">
            Base URL{" "}
            <code className="ml-2 rounded bg-white/10 px-2 py-1 font-mono text-slate-100">{baseUrl}</code>
          </p>
        ) : null}
      </div>
    </section>
  );
}
