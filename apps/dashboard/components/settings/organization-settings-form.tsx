"use client";

import {
  type OrganizationSettingsInput,
  organizationSettingsInput,
  RETENTION_DAYS,
} from "@junction/api/schemas";
import { Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FormError, SaveRow } from "@/components/forms/form-parts";
import { parseRateLimits, RateLimitFields, rateLimitValues } from "@/components/keys/rate-limit-fields";
import { firstIssueByField } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/client";
import { formErrorsOf } from "@/lib/trpc/errors";

export type OrganizationSettings = {
  name: string;
  promptLogging: boolean;
  retentionDays: number;
  byokOnly: boolean;
  rateLimitRpm: number | null;
  rateLimitTpm: number | null;
  rateLimitConcurrency: number | null;
};

const checkbox =
  "mt-0.5 size-4 rounded border-slate-300 dark:border-slate-700 text-indigo-600 dark:text-indigo-400 focus:outline-2 focus:outline-indigo-500 disabled:cursor-not-allowed";

/** Name, prompt logging and retention, BYOK only, organization-wide rate limits. Read-only below admin. */
export function OrganizationSettingsForm({
  settings,
  canEdit,
  cacheSeconds,
}: {
  settings: OrganizationSettings;
  canEdit: boolean;
  cacheSeconds: number;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.settings.updateOrganization.mutationOptions());
  const [promptLogging, setPromptLogging] = useState(settings.promptLogging);
  const [limits, setLimits] = useState(() => rateLimitValues(settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const candidate: OrganizationSettingsInput = {
      name: String(form.get("name") ?? ""),
      promptLogging,
      byokOnly: form.get("byokOnly") === "on",
      ...parseRateLimits(limits),
      ...(promptLogging && { retentionDays: Number(String(form.get("retentionDays") ?? "")) }),
    };
    const parsed = organizationSettingsInput.safeParse(candidate);
    if (!parsed.success) {
      setErrors(firstIssueByField(parsed.error.issues));
      setSaved(undefined);
      return;
    }
    try {
      const result = await update.mutateAsync(parsed.data);
      setErrors({});
      setSaved(result.changed.length ? "Saved." : "Nothing changed.");
      router.refresh();
    } catch (failure) {
      setErrors(formErrorsOf(failure));
      setSaved(undefined);
    }
  }

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-5">
      <fieldset disabled={!canEdit} className="space-y-5">
        <Field id="org-name" label="Name" error={errors.name}>
          <Input
            id="org-name"
            name="name"
            defaultValue={settings.name}
            maxLength={80}
            invalid={Boolean(errors.name)}
          />
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <div>
            <label className="flex items-start gap-3 text-sm text-slate-800 dark:text-slate-200">
              <input
                type="checkbox"
                name="promptLogging"
                checked={promptLogging}
                onChange={(event) => setPromptLogging(event.target.checked)}
                className={checkbox}
              />
              <span>
                <span className="font-medium">Log prompts and responses</span>
                <span className="block text-xs leading-5 text-slate-500 dark:text-slate-400">
                  Off by default. When on, request and response bodies are stored for the retention period.
                </span>
              </span>
            </label>
          </div>
          <Field
            id="org-retention"
            label="Retention"
            aside="Days"
            hint={`How long logged bodies are kept (${RETENTION_DAYS.min}–${RETENTION_DAYS.max} days).`}
            error={errors.retentionDays}
          >
            <Input
              id="org-retention"
              name="retentionDays"
              type="number"
              min={RETENTION_DAYS.min}
              max={RETENTION_DAYS.max}
              step={1}
              defaultValue={settings.retentionDays}
              disabled={!promptLogging}
              invalid={Boolean(errors.retentionDays)}
            />
          </Field>
        </div>
        <label className="flex items-start gap-3 text-sm text-slate-800 dark:text-slate-200">
          <input type="checkbox" name="byokOnly" defaultChecked={settings.byokOnly} className={checkbox} />
          <span>
            <span className="font-medium">BYOK only</span>
            <span className="block text-xs leading-5 text-slate-500 dark:text-slate-400">
              Route requests only through your organization’s own provider keys, never the platform’s.
            </span>
          </span>
        </label>
        <RateLimitFields
          idPrefix="org"
          legend="Rate limits for the whole organization"
          hint="Leave a field empty for unlimited."
          values={limits}
          onChange={setLimits}
          errors={errors}
        />
      </fieldset>
      <FormError message={errors._form} />
      <div className="flex flex-col gap-3 border-t border-slate-100 dark:border-slate-800 pt-5 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-xs leading-5 text-slate-500 dark:text-slate-400">
          The gateway caches these settings for up to {cacheSeconds} seconds: changes apply to new requests
          within about a minute.
        </p>
        {canEdit ? (
          <SaveRow
            className="flex items-center gap-3"
            status={saved}
            pending={update.isPending}
            label="Save settings"
            pendingLabel="Saving…"
          />
        ) : (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            Only admins and owners can change these settings.
          </p>
        )}
      </div>
    </form>
  );
}
