import { cn } from "@junction/ui";
import type { DocOperation, MediaTypes, OpenApiDocument } from "@/lib/docs/openapi";
import { InlineText } from "./inline-text";
import { PropertyList, TypeLabel } from "./schema-view";

const METHOD_TONE: Record<string, string> = {
  get: "bg-sky-50 text-sky-700 ring-sky-200",
  post: "bg-emerald-50 dark:bg-emerald-950/40 text-emerald-700 dark:text-emerald-400 ring-emerald-200 dark:ring-emerald-900",
  put: "bg-amber-50 dark:bg-amber-950/40 text-amber-800 dark:text-amber-300 ring-amber-200 dark:ring-amber-900",
  patch:
    "bg-amber-50 dark:bg-amber-950/40 text-amber-800 dark:text-amber-300 ring-amber-200 dark:ring-amber-900",
  delete: "bg-rose-50 dark:bg-rose-950/40 text-rose-700 dark:text-rose-300 ring-rose-200 dark:ring-rose-900",
};

export function MethodBadge({ method, className }: { method: string; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex w-14 shrink-0 justify-center rounded-md px-1.5 py-0.5 font-mono text-[11px] font-semibold uppercase ring-1 ring-inset",
        METHOD_TONE[method] ??
          "bg-slate-100 dark:bg-slate-800 text-slate-700 dark:text-slate-300 ring-slate-200 dark:ring-slate-700",
        className,
      )}
    >
      {method}
    </span>
  );
}

function statusTone(code: string): string {
  if (code.startsWith("2")) return "text-emerald-700 dark:text-emerald-400";
  if (code.startsWith("4")) return "text-amber-700";
  if (code.startsWith("5")) return "text-rose-700 dark:text-rose-300";
  return "text-slate-700 dark:text-slate-300";
}

function SubHeading({ children }: { children: string }) {
  return (
    <h4 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 dark:text-slate-400 uppercase">
      {children}
    </h4>
  );
}

function ContentTypes({ content }: { content: MediaTypes | undefined }) {
  const entries = Object.entries(content ?? {});
  if (!entries.length) return null;
  return (
    <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
      {entries.map(([type, media]) => (
        <span key={type} className="inline-flex items-center gap-1.5">
          <span className="text-xs text-slate-400">{type}</span>
          {media.schema ? <TypeLabel schema={media.schema} /> : null}
        </span>
      ))}
    </span>
  );
}

/** One path + method: summary, description, auth, parameters, request body fields and response codes. */
export function OperationCard({ spec, entry }: { spec: OpenApiDocument; entry: DocOperation }) {
  const { operation, method, path, id } = entry;
  const security = operation.security ?? spec.security ?? [];
  const parameters = operation.parameters ?? [];
  const body = operation.requestBody;
  const bodySchema =
    body?.content?.["application/json"]?.schema ?? Object.values(body?.content ?? {})[0]?.schema;
  const responses = Object.entries(operation.responses ?? {});

  return (
    <article
      id={id}
      className="scroll-mt-24 rounded-2xl bg-white dark:bg-slate-900 p-6 shadow-sm ring-1 ring-slate-200 dark:ring-slate-700"
    >
      <header>
        <a href={`#${id}`} className="group flex flex-wrap items-center gap-3">
          <MethodBadge method={method} />
          <code className="font-mono text-sm font-semibold break-all text-slate-900 dark:text-white">
            {path}
          </code>
          <span aria-hidden="true" className="text-slate-300 opacity-0 group-hover:opacity-100">
            #
          </span>
        </a>
        {operation.summary ? (
          <p className="mt-3 text-base font-medium text-slate-900 dark:text-white">
            <InlineText text={operation.summary} />
          </p>
        ) : null}
        {operation.description ? (
          <p className="mt-2 text-sm leading-6 text-slate-600 dark:text-slate-400">
            <InlineText text={operation.description} />
          </p>
        ) : null}
        <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">
          {security.length ? (
            <>
              Requires an API key: <code className="font-mono">Authorization: Bearer jk_…</code>
            </>
          ) : (
            "No authentication"
          )}
        </p>
      </header>

      <div className="mt-6 space-y-6">
        {parameters.length ? (
          <section>
            <SubHeading>Parameters</SubHeading>
            <ul className="divide-y divide-slate-100 dark:divide-slate-800 rounded-lg ring-1 ring-slate-200 dark:ring-slate-700">
              {parameters.map((parameter) => (
                <li
                  key={`${parameter.in}:${parameter.name}`}
                  className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2 text-sm"
                >
                  <code className="font-mono text-[13px] font-medium text-slate-900 dark:text-white">
                    {parameter.name}
                  </code>
                  <span className="text-xs text-slate-400">in {parameter.in}</span>
                  <TypeLabel schema={parameter.schema} />
                  {parameter.required ? (
                    <span className="text-[11px] font-semibold tracking-wide text-rose-600 dark:text-rose-400 uppercase">
                      required
                    </span>
                  ) : null}
                  {parameter.description ? (
                    <span className="basis-full text-xs leading-5 text-slate-500 dark:text-slate-400">
                      <InlineText text={parameter.description} />
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        {body ? (
          <section>
            <SubHeading>Request body</SubHeading>
            <div className="mb-2 flex flex-wrap items-center gap-3 text-sm">
              <ContentTypes content={body.content} />
              {body.required ? (
                <span className="text-[11px] font-semibold tracking-wide text-rose-600 dark:text-rose-400 uppercase">
                  required
                </span>
              ) : null}
            </div>
            {body.description ? (
              <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
                <InlineText text={body.description} />
              </p>
            ) : null}
            <PropertyList spec={spec} schema={bodySchema} />
          </section>
        ) : null}

        {responses.length ? (
          <section>
            <SubHeading>Responses</SubHeading>
            <ul className="divide-y divide-slate-100 dark:divide-slate-800 rounded-lg ring-1 ring-slate-200 dark:ring-slate-700">
              {responses.map(([code, response]) => (
                <li key={code} className="flex flex-wrap items-baseline gap-x-4 gap-y-1 px-3 py-2 text-sm">
                  <span className={cn("w-10 shrink-0 font-mono text-[13px] font-semibold", statusTone(code))}>
                    {code}
                  </span>
                  <span className="min-w-0 flex-1 text-slate-700 dark:text-slate-300">
                    {response.description ? <InlineText text={response.description} /> : null}
                  </span>
                  <ContentTypes content={response.content} />
                  {Object.entries(response.headers ?? {}).map(([header, detail]) => (
                    <span
                      key={header}
                      className="basis-full pl-14 text-xs text-slate-500 dark:text-slate-400"
                    >
                      Header <code className="font-mono text-slate-700 dark:text-slate-300">{header}</code>
                      {detail.description ? (
                        <>
                          {" — "}
                          <InlineText text={detail.description} />
                        </>
                      ) : null}
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </article>
  );
}
