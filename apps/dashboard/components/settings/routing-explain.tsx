"use client";

import type { AppRouter } from "@junction/api";
import { Badge, Button, Field, Input, Table, TableHeader, TBody, TD, TR } from "@junction/ui";
import { useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { fieldErrorsOf, messageOf } from "@/lib/trpc/errors";

type Explained = inferRouterOutputs<AppRouter>["routing"]["explain"];

/**
 * Routing preview: the gateway's own planner run on the draft rules above, for one model. Shows the order endpoints
 * would be tried in and why every other endpoint is left out.
 */
export function RoutingExplain({ rulesText }: { rulesText: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<Explained>();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const model = String(form.get("explain-model") ?? "").trim();
    const useDraft = form.get("explain-draft") === "on";
    let rules: unknown = null;
    if (useDraft) {
      try {
        rules = JSON.parse(rulesText);
      } catch {
        setError("The draft rules are not valid JSON.");
        return;
      }
    }
    setError(undefined);
    setPending(true);
    try {
      setResult(
        await queryClient.fetchQuery({
          ...trpc.routing.explain.queryOptions({ model, rules: rules as never }),
          staleTime: 0,
        }),
      );
    } catch (failure) {
      const fields = fieldErrorsOf(failure);
      const first = Object.entries(fields)[0];
      setError(first ? `${first[0].replace(/^rules\./, "")}: ${first[1]}` : messageOf(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <section
      aria-labelledby="routing-explain"
      className="space-y-4 border-t border-slate-100 pt-6 dark:border-slate-800"
    >
      <div>
        <h3 id="routing-explain" className="text-sm font-semibold text-slate-900 dark:text-white">
          Routing preview
        </h3>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Which endpoints a request would try, in order, under the rules above, and why the others are
          excluded.
        </p>
      </div>
      <form noValidate onSubmit={(event) => void onSubmit(event)} className="flex flex-wrap items-end gap-3">
        <Field id="explain-model" label="Model" className="min-w-0 flex-1 basis-64">
          <Input
            id="explain-model"
            name="explain-model"
            defaultValue="sandbox/junction-small"
            spellCheck={false}
          />
        </Field>
        <label className="flex h-10 items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
          <input
            type="checkbox"
            name="explain-draft"
            defaultChecked
            className="size-4 rounded border-slate-300 dark:border-slate-700 accent-indigo-600"
          />
          Apply the draft rules
        </label>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Explaining…" : "Explain routing"}
        </Button>
      </form>
      <FormError message={error} />
      {result ? <ExplainResult result={result} /> : null}
    </section>
  );
}

function ExplainResult({ result }: { result: Explained }) {
  return (
    <div className="space-y-4" data-testid="routing-explain-result" aria-live="polite">
      {result.error ? <FormError message={result.error} /> : null}
      {result.candidates.length ? (
        <Table>
          <TableHeader columns={["#", "Endpoint", "Price per 1M tokens", "Worst case", "First pick"]} />
          <TBody>
            {result.candidates.map((candidate) => (
              <TR key={candidate.endpointId} data-testid="route-candidate">
                <TD className="font-mono text-xs">{candidate.order}</TD>
                <TD>
                  <span className="font-medium text-slate-900 dark:text-white">{candidate.providerName}</span>{" "}
                  <span className="font-mono text-xs break-all text-slate-500 dark:text-slate-400">
                    {candidate.endpointId}
                  </span>
                  {candidate.isByok ? <Badge className="ml-2">BYOK</Badge> : null}
                </TD>
                <TD className="font-mono text-xs">{candidate.display.perMillion}</TD>
                <TD className="font-mono text-xs">{candidate.display.worstCase}</TD>
                <TD className="text-xs">
                  {candidate.weight === null ? "—" : `${(candidate.weight * 100).toFixed(1)}%`}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      {result.excluded.length ? (
        <div>
          <h4 className="text-xs font-medium tracking-wide text-slate-500 dark:text-slate-400 uppercase">
            Excluded
          </h4>
          <ul className="mt-2 space-y-1 text-sm">
            {result.excluded.map((entry) => (
              <li
                key={`${entry.endpoint}-${entry.model}`}
                data-testid="route-excluded"
                className="break-words"
              >
                <span className="font-mono text-xs text-slate-900 dark:text-white">
                  {entry.endpoint === "*" ? entry.model : entry.endpoint}
                </span>{" "}
                <span className="text-slate-600 dark:text-slate-400">— {entry.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Strategy: {result.strategy ?? "none"} · price table v{result.priceTableVersion}.{" "}
        {result.assumptions.join(" ")}
      </p>
    </div>
  );
}
