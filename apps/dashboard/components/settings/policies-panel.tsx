"use client";

import { policyNameSchema } from "@junction/api/schemas";
import { Badge, Button, Field, Table, TableHeader, TBody, TD, TextField, TR } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FormError, SaveRow } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { fieldErrorsOf, messageOf } from "@/lib/trpc/errors";
import { RoutingExplain } from "./routing-explain";

export type PolicyRow = {
  id: string;
  name: string;
  active: boolean;
  latest: { version: number; hashPrefix: string; rules: Record<string, unknown> } | null;
};

// A starting point that blocks nothing this gateway serves out of the box (the sandbox neither trains nor retains).
const EXAMPLE_RULES = `{
  "denyTraining": true,
  "maxRequestCostUsd": "1.00"
}`;

const pretty = (rules: unknown) => JSON.stringify(rules, null, 2);

/** Rule errors from the server's zod issues ("rules.maxTokens" → "maxTokens: …"), joined. */
function rulesErrorOf(fields: Record<string, string>): string | undefined {
  const lines = Object.entries(fields)
    .filter(([field]) => field === "rules" || field.startsWith("rules."))
    .map(([field, message]) => (field === "rules" ? message : `${field.slice("rules.".length)}: ${message}`));
  return lines.length ? lines.join("; ") : undefined;
}

/**
 * The organization's routing policies: latest version, hash prefix and which one is active. Admins save rules as
 * JSON (a new immutable version each time they change) and choose the active policy; everyone else reads.
 */
export function PoliciesPanel({ policies, canEdit }: { policies: PolicyRow[]; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.settings.savePolicy.mutationOptions());
  const activate = useMutation(trpc.settings.setActivePolicy.mutationOptions());
  const [name, setName] = useState("");
  const [rulesText, setRulesText] = useState(EXAMPLE_RULES);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string>();
  const [rowError, setRowError] = useState<string>();

  function edit(policy: PolicyRow) {
    setName(policy.name);
    setRulesText(pretty(policy.latest?.rules ?? {}));
    setErrors({});
    setNotice(undefined);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(undefined);
    const next: Record<string, string> = {};
    const parsedName = policyNameSchema.safeParse(name);
    if (!parsedName.success) next.name = parsedName.error.issues[0]?.message ?? "Check the name";
    let rules: unknown;
    try {
      rules = JSON.parse(rulesText);
    } catch (failure) {
      next.rules = `Not valid JSON: ${failure instanceof Error ? failure.message : "check the syntax"}`;
    }
    setErrors(next);
    if (!parsedName.success || next.rules) return;
    try {
      // The server validates the rules with policyRulesSchema; its issues come back as field errors.
      const result = await save.mutateAsync({ name: parsedName.data, rules: rules as never });
      setErrors({});
      setNotice(
        result.created
          ? `Saved ${parsedName.data} as version ${result.version} (${result.hashPrefix}).`
          : `No change: version ${result.version} already has these rules.`,
      );
      router.refresh();
    } catch (failure) {
      const fields = fieldErrorsOf(failure);
      const rulesError = rulesErrorOf(fields);
      setErrors({
        ...(fields.name && { name: fields.name }),
        ...(rulesError && { rules: rulesError }),
        ...(!fields.name && !rulesError && { _form: messageOf(failure) }),
      });
    }
  }

  async function setActive(policyId: string | null) {
    try {
      await activate.mutateAsync({ policyId });
      setRowError(undefined);
      router.refresh();
    } catch (failure) {
      setRowError(messageOf(failure));
    }
  }

  return (
    <div className="space-y-6">
      {policies.length ? (
        <Table>
          <TableHeader
            columns={["Policy", "Version", "Hash", "Status", { label: "Actions", srOnly: true }]}
          />
          <TBody>
            {policies.map((policy) => (
              <TR key={policy.id} data-testid="policy-row">
                <TD className="font-medium text-slate-900 dark:text-white">{policy.name}</TD>
                <TD>{policy.latest ? `v${policy.latest.version}` : "—"}</TD>
                <TD>
                  <code className="font-mono text-xs">{policy.latest?.hashPrefix ?? "—"}</code>
                </TD>
                <TD>{policy.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}</TD>
                <TD className="text-right">
                  <div className="flex items-center justify-end gap-2">
                    <Button variant="subtle" size="sm" onClick={() => edit(policy)}>
                      {canEdit ? "Edit" : "View rules"}
                    </Button>
                    {canEdit && policy.latest ? (
                      <Button
                        variant="secondary"
                        size="sm"
                        disabled={activate.isPending}
                        onClick={() => void setActive(policy.active ? null : policy.id)}
                      >
                        {policy.active ? "Deactivate" : "Make active"}
                      </Button>
                    ) : null}
                  </div>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No policies yet: requests may use any model and provider your keys allow.
        </p>
      )}
      {rowError ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          {rowError}
        </p>
      ) : null}

      <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
        <h3 className="text-sm font-semibold text-slate-900 dark:text-white">
          {canEdit ? "Create or update a policy" : "Rules"}
        </h3>
        <fieldset disabled={!canEdit} className="space-y-4">
          <TextField
            id="policy-name"
            label="Name"
            hint="Saving under an existing name adds a new version; earlier versions never change."
            error={errors.name}
            value={name}
            onValueChange={setName}
            placeholder="default"
            maxLength={80}
          />
          <Field
            id="policy-rules"
            label="Rules (JSON)"
            hint="Keys: allowModels, denyModels, allowProviders, denyProviders (glob lists), denyTraining, zdrOnly, maxRequestCostUsd (a USD string), maxTokens."
            error={errors.rules}
          >
            <textarea
              id="policy-rules"
              value={rulesText}
              onChange={(event) => setRulesText(event.target.value)}
              rows={10}
              spellCheck={false}
              aria-invalid={Boolean(errors.rules) || undefined}
              aria-describedby={errors.rules ? "policy-rules-error" : "policy-rules-hint"}
              className={
                "block w-full rounded-lg border bg-white dark:bg-slate-900 px-3 py-2 font-mono text-xs text-slate-900 dark:text-white shadow-sm " +
                "focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-500 disabled:bg-slate-50 dark:disabled:bg-slate-800 " +
                (errors.rules ? "border-rose-400" : "border-slate-300 dark:border-slate-700")
              }
            />
          </Field>
        </fieldset>
        <FormError message={errors._form} />
        {canEdit ? (
          <SaveRow
            className="flex items-center justify-end gap-3"
            status={notice}
            pending={save.isPending}
            label="Save policy"
            pendingLabel="Saving…"
          />
        ) : (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            Only admins and owners can change policies.
          </p>
        )}
      </form>
      <RoutingExplain rulesText={rulesText} />
    </div>
  );
}
