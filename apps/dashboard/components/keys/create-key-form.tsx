"use client";

import { type CreateApiKeyInput, createApiKeyInput, type LimitResetOption } from "@junction/api/schemas";
import { Button, Field, Input, Select } from "@junction/ui";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { firstIssueByField } from "@/lib/forms";
import { CreditLimitFields } from "./credit-limit-fields";
import { parseRateLimits, RateLimitFields, rateLimitValues } from "./rate-limit-fields";

const EXPIRY_OPTIONS = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "custom", label: "On a date…" },
] as const;

function expiryDate(choice: string, customDate: string): Date | undefined {
  if (choice === "never") return undefined;
  if (choice === "custom") return customDate ? new Date(`${customDate}T23:59:59.999Z`) : undefined;
  return new Date(Date.now() + Number(choice) * 24 * 3600 * 1000);
}

/** Name, optional credit limit with its reset period, optional expiry; validated with the server's schema. */
export function CreateKeyForm({
  onSubmit,
  onCancel,
  pending,
  serverErrors,
}: {
  onSubmit: (values: CreateApiKeyInput) => void;
  onCancel: () => void;
  pending: boolean;
  serverErrors: Record<string, string>;
}) {
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [limit, setLimit] = useState("");
  const [reset, setReset] = useState<LimitResetOption>("monthly");
  const [expiry, setExpiry] = useState<string>("never");
  const [rateLimits, setRateLimits] = useState(() => rateLimitValues());
  const errors = { ...serverErrors, ...localErrors };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const candidate = {
      name: String(form.get("name") ?? ""),
      creditLimitUsd: limit.trim() ? limit.trim() : undefined,
      limitReset: reset,
      expiresAt: expiryDate(expiry, String(form.get("expiresOn") ?? "")),
      // null = no per-key limit; the server accepts it.
      ...parseRateLimits(rateLimits),
    };
    const parsed = createApiKeyInput.safeParse(candidate);
    const next = parsed.success ? {} : firstIssueByField(parsed.error.issues);
    if (expiry === "custom" && !candidate.expiresAt) next.expiresAt = "Pick a date";
    setLocalErrors(next);
    if (parsed.success && !Object.keys(next).length) onSubmit(parsed.data);
  }

  return (
    <form noValidate onSubmit={submit} className="space-y-5">
      <Field
        id="key-name"
        label="Name"
        hint="Where the key is used, e.g. “production backend”."
        error={errors.name}
      >
        <Input
          id="key-name"
          name="name"
          placeholder="Production backend"
          autoFocus
          invalid={Boolean(errors.name)}
          maxLength={80}
        />
      </Field>
      <CreditLimitFields
        idPrefix="key"
        limit={limit}
        onLimit={setLimit}
        reset={reset}
        onReset={setReset}
        errors={errors}
      />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field id="key-expiry" label="Expires" error={expiry === "custom" ? undefined : errors.expiresAt}>
          <Select id="key-expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)}>
            {EXPIRY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </Select>
        </Field>
        {expiry === "custom" ? (
          <Field
            id="key-expires-on"
            label="Expiry date"
            hint="The key stops working at the end of this day (UTC)."
            error={errors.expiresAt}
          >
            <Input
              id="key-expires-on"
              name="expiresOn"
              type="date"
              min={new Date().toISOString().slice(0, 10)}
              invalid={Boolean(errors.expiresAt)}
            />
          </Field>
        ) : null}
      </div>
      <RateLimitFields
        idPrefix="key"
        legend="Rate limits"
        hint="Optional; empty = organization limits only."
        values={rateLimits}
        onChange={setRateLimits}
        errors={errors}
      />
      <FormError message={errors._form} />
      <div className="flex justify-end gap-2 border-t border-slate-100 dark:border-slate-800 pt-5">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </div>
    </form>
  );
}
