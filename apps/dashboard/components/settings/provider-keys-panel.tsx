"use client";

import { addProviderKeyInput } from "@junction/api/schemas";
import { Button, Field, Input, Select, Table, TableHeader, TBody, TD, TR } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { PasswordInput } from "@/components/auth/password-input";
import { FormError } from "@/components/forms/form-parts";
import { firstIssueByField } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/client";
import { formErrorsOf, messageOf } from "@/lib/trpc/errors";

export type ProviderKeyRow = { id: string; providerId: string; label: string; last4: string; added: string };

/**
 * BYOK provider keys: the secret is sent once, stored encrypted, and shown again only as its last four characters.
 * Admins add and revoke; everyone else sees the list.
 */
export function ProviderKeysPanel({
  keys,
  providers,
  canEdit,
  configured,
}: {
  keys: ProviderKeyRow[];
  providers: { id: string; name: string }[];
  canEdit: boolean;
  configured: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const add = useMutation(trpc.providerKeys.add.mutationOptions());
  const revoke = useMutation(trpc.providerKeys.revoke.mutationOptions());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const parsed = addProviderKeyInput.safeParse({
      providerId: form.get("byok-provider") ?? "",
      label: String(form.get("byok-label") ?? "") || undefined,
      secret: form.get("byok-secret") ?? "",
    });
    if (!parsed.success) {
      setErrors(firstIssueByField(parsed.error.issues));
      return;
    }
    setErrors({});
    setStatus(undefined);
    try {
      const saved = await add.mutateAsync(parsed.data);
      formElement.reset();
      setStatus(`Saved ${saved.providerId} key ending in ${saved.last4}.`);
      router.refresh();
    } catch (error) {
      setErrors(formErrorsOf(error));
    }
  }

  return (
    <div className="space-y-6">
      {keys.length ? (
        <Table>
          <TableHeader columns={["Provider", "Label", "Key", "Added", { label: "Actions", srOnly: true }]} />
          <TBody>
            {keys.map((key) => (
              <TR key={key.id} data-testid="provider-key-row">
                <TD className="font-medium text-slate-900 dark:text-white">{key.providerId}</TD>
                <TD className="break-all">{key.label}</TD>
                <TD className="font-mono text-xs">…{key.last4}</TD>
                <TD>{key.added}</TD>
                <TD className="text-right">
                  {canEdit ? (
                    <Button
                      variant="subtle"
                      size="sm"
                      className="text-rose-600 hover:bg-rose-50 dark:text-rose-400 dark:hover:bg-rose-950/40"
                      aria-label={`Revoke ${key.providerId} key ${key.label}`}
                      disabled={revoke.isPending}
                      onClick={() =>
                        revoke.mutateAsync({ id: key.id }).then(
                          () => router.refresh(),
                          (error: unknown) => setErrors({ _form: messageOf(error) }),
                        )
                      }
                    >
                      Revoke
                    </Button>
                  ) : null}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="provider-keys-empty">
          No provider keys yet: requests use the platform’s keys and are billed at catalog prices.
        </p>
      )}
      {!configured ? (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-900">
          This deployment has no key-encryption key (<code className="font-mono">JUNCTION_KEKS</code>), so
          provider keys cannot be stored. Ask the operator to set it on the gateway and the dashboard.
        </p>
      ) : canEdit ? (
        <form
          noValidate
          onSubmit={onSubmit}
          aria-label="Add a provider key"
          className="grid gap-4 border-t border-slate-100 pt-6 sm:grid-cols-2 lg:grid-cols-[12rem_minmax(0,1fr)_minmax(0,1.5fr)_auto] lg:items-start dark:border-slate-800"
        >
          <Field id="byok-provider" label="Provider" error={errors.providerId}>
            <Select
              id="byok-provider"
              name="byok-provider"
              defaultValue=""
              invalid={Boolean(errors.providerId)}
            >
              <option value="" disabled>
                Choose…
              </option>
              {providers.map((provider) => (
                <option key={provider.id} value={provider.id}>
                  {provider.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="byok-label" label="Label" aside="Optional" error={errors.label}>
            <Input
              id="byok-label"
              name="byok-label"
              placeholder="Production"
              invalid={Boolean(errors.label)}
            />
          </Field>
          <Field
            id="byok-secret"
            label="API key"
            hint="Stored encrypted; never shown again."
            error={errors.secret}
            className="sm:col-span-2 lg:col-span-1"
          >
            <PasswordInput
              id="byok-secret"
              name="byok-secret"
              autoComplete="off"
              spellCheck={false}
              invalid={Boolean(errors.secret)}
              aria-describedby={errors.secret ? "byok-secret-error" : "byok-secret-hint"}
            />
          </Field>
          <div className="lg:pt-6.5">
            <Button type="submit" disabled={add.isPending} className="w-full lg:w-auto">
              {add.isPending ? "Saving…" : "Add key"}
            </Button>
          </div>
        </form>
      ) : (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Admins and owners add and revoke provider keys.
        </p>
      )}
      <FormError message={errors._form} />
      {status ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {status}
        </p>
      ) : null}
    </div>
  );
}
