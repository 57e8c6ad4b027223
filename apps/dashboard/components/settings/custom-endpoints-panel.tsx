"use client";

import { customEndpointNameSchema } from "@junction/api/schemas";
import { Button, Field, Select, Table, TableHeader, TBody, TD, TextField, TR } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FormError, SaveRow } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { formErrorsOf, messageOf } from "@/lib/trpc/errors";

export type CustomEndpointRow = {
  id: string;
  name: string;
  baseUrl: string;
  modelIds: string[];
  credential: { label: string; last4: string } | null;
};
export type CredentialOption = { id: string; label: string; providerId: string; last4: string };

/**
 * An organization's own OpenAI-compatible endpoints (admins). The gateway serves them as custom/<name>/<model>,
 * only over https to public addresses, and sends only the attached BYOK key — never a platform key.
 */
export function CustomEndpointsPanel({
  endpoints,
  credentials,
}: {
  endpoints: CustomEndpointRow[];
  credentials: CredentialOption[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.customEndpoints.create.mutationOptions());
  const remove = useMutation(trpc.customEndpoints.remove.mutationOptions());
  const [name, setName] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [models, setModels] = useState("");
  const [credentialId, setCredentialId] = useState(credentials[0]?.id ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string>();
  const [rowError, setRowError] = useState<string>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(undefined);
    const parsedName = customEndpointNameSchema.safeParse(name);
    const modelList = models
      .split(/[\s,]+/)
      .map((model) => model.trim())
      .filter(Boolean);
    const next: Record<string, string> = {};
    if (!parsedName.success) next.name = parsedName.error.issues[0]?.message ?? "Check the name";
    if (!baseUrl.trim()) next.baseUrl = "Enter the endpoint's base URL";
    if (!modelList.length) next.models = "List at least one model";
    setErrors(next);
    if (Object.keys(next).length || !parsedName.success) return;
    try {
      const created = await create.mutateAsync({
        name: parsedName.data,
        baseUrl: baseUrl.trim(),
        models: modelList,
        credentialId: credentialId || null,
      });
      setNotice(`Added ${created.name}: use model custom/${created.name}/${created.models[0]}.`);
      setName("");
      setBaseUrl("");
      setModels("");
      router.refresh();
    } catch (failure) {
      setErrors(formErrorsOf(failure));
    }
  }

  async function removeEndpoint(id: string) {
    try {
      await remove.mutateAsync({ id });
      setRowError(undefined);
      router.refresh();
    } catch (failure) {
      setRowError(messageOf(failure));
    }
  }

  return (
    <div className="space-y-6">
      {endpoints.length ? (
        <Table>
          <TableHeader columns={["Name", "Base URL", "Models", "Key", { label: "Actions", srOnly: true }]} />
          <TBody>
            {endpoints.map((endpoint) => (
              <TR key={endpoint.id} data-testid="custom-endpoint-row">
                <TD className="font-medium text-slate-900 dark:text-slate-100">{endpoint.name}</TD>
                <TD>
                  <code className="font-mono text-xs">{endpoint.baseUrl}</code>
                </TD>
                <TD>
                  <ul className="space-y-0.5">
                    {endpoint.modelIds.map((id) => (
                      <li key={id}>
                        <code className="font-mono text-xs">{id}</code>
                      </li>
                    ))}
                  </ul>
                </TD>
                <TD>
                  {endpoint.credential
                    ? `${endpoint.credential.label} (…${endpoint.credential.last4})`
                    : "None"}
                </TD>
                <TD className="text-right">
                  <Button
                    variant="danger"
                    size="sm"
                    disabled={remove.isPending}
                    onClick={() => void removeEndpoint(endpoint.id)}
                  >
                    Remove
                  </Button>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : (
        <p className="text-sm text-slate-500 dark:text-slate-400">No custom endpoints yet.</p>
      )}
      {rowError ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          {rowError}
        </p>
      ) : null}

      <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
        <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">Add an endpoint</h3>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id="custom-endpoint-name"
            label="Name"
            hint="Lowercase; requests use custom/<name>/<model>."
            error={errors.name}
            value={name}
            onValueChange={setName}
            placeholder="acme"
            maxLength={40}
          />
          <TextField
            id="custom-endpoint-url"
            label="Base URL"
            hint="https only; the host must resolve to public addresses. /chat/completions is appended."
            error={errors.baseUrl}
            value={baseUrl}
            onValueChange={setBaseUrl}
            placeholder="https://llm.example.com/v1"
            maxLength={500}
          />
          <TextField
            id="custom-endpoint-models"
            label="Models"
            hint="Names the endpoint serves, separated by commas."
            error={errors.models}
            value={models}
            onValueChange={setModels}
            placeholder="llama-3.1-70b, qwen-2.5-coder"
          />
          <Field
            id="custom-endpoint-credential"
            label="API key (BYOK)"
            hint="One of this organization's own provider keys. Platform keys are never sent to custom endpoints."
            error={errors.credentialId}
          >
            <Select
              id="custom-endpoint-credential"
              value={credentialId}
              onChange={(event) => setCredentialId(event.target.value)}
            >
              {credentials.map((credential) => (
                <option key={credential.id} value={credential.id}>
                  {credential.label} ({credential.providerId}, …{credential.last4})
                </option>
              ))}
              <option value="">No key (the endpoint needs none)</option>
            </Select>
          </Field>
        </div>
        <FormError message={errors._form} />
        <SaveRow
          className="flex items-center justify-end gap-3"
          status={notice}
          pending={create.isPending}
          label="Add endpoint"
          pendingLabel="Checking…"
        />
      </form>
    </div>
  );
}
