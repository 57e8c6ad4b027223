import {
  constraintNote,
  type OpenApiDocument,
  resolve,
  type Schema,
  slug,
  typeLabel,
} from "@/lib/docs/openapi";
import { InlineText } from "./inline-text";

/** A type label; a `$ref` links to the schema's entry further down the page. */
export function TypeLabel({ schema }: { schema: Schema | undefined }) {
  const label = typeLabel(schema);
  if (schema?.$ref) {
    return (
      <a
        href={`#schema-${slug(label)}`}
        className="font-mono text-xs text-indigo-600 dark:text-indigo-400 hover:text-indigo-500"
      >
        {label}
      </a>
    );
  }
  if (schema?.type === "array" && schema.items?.$ref) {
    return (
      <a
        href={`#schema-${slug(typeLabel(schema.items))}`}
        className="font-mono text-xs text-indigo-600 dark:text-indigo-400 hover:text-indigo-500"
      >
        {label}
      </a>
    );
  }
  return <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{label}</span>;
}

/** The top-level fields of an object schema (a `$ref` followed once): name, type, required, notes. */
export function PropertyList({ spec, schema }: { spec: OpenApiDocument; schema: Schema | undefined }) {
  const resolved = resolve(spec, schema);
  const properties = Object.entries(resolved?.properties ?? {});
  const required = new Set(resolved?.required ?? []);
  // Required fields named without a property description still deserve a row.
  for (const name of required) if (!resolved?.properties?.[name]) properties.push([name, {}]);
  if (!properties.length) return null;
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800 rounded-lg ring-1 ring-slate-200 dark:ring-slate-700">
      {properties.map(([name, property]) => {
        const note = constraintNote(property);
        return (
          <li key={name} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2 text-sm">
            <code className="font-mono text-[13px] font-medium text-slate-900 dark:text-white">{name}</code>
            <TypeLabel schema={property} />
            {required.has(name) ? (
              <span className="text-[11px] font-semibold tracking-wide text-rose-600 dark:text-rose-400 uppercase">
                required
              </span>
            ) : null}
            {property.description || note ? (
              <span className="basis-full text-xs leading-5 text-slate-500 dark:text-slate-400">
                {property.description ? <InlineText text={property.description} /> : null}
                {property.description && note ? " · " : null}
                {note}
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
