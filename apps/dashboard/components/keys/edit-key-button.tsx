"use client";

import { type LimitResetOption, updateApiKeyInput } from "@junction/api/schemas";
// The money helpers alone: the package's index pulls in node:crypto, which a client bundle cannot have.
import { nanoToUsdString } from "@junction/core/money";
import { Button, Dialog, Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { firstIssueByField } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/client";
import { formErrorsOf } from "@/lib/trpc/errors";
import { CreditLimitFields } from "./credit-limit-fields";
import { parseRateLimits, RateLimitFields, rateLimitValues } from "./rate-limit-fields";

/** Rename a key and change its credit limit and rate limits (the change is audited). */
export function EditKeyButton({
  apiKey,
}: {
  apiKey: {
    id: string;
    name: string;
    rateLimitRpm: number | null;
    rateLimitTpm: number | null;
    rateLimitConcurrency: number | null;
    creditLimit: bigint | null;
    limitReset: LimitResetOption;
  };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.apiKeys.update.mutationOptions());
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(apiKey.name);
  const [limits, setLimits] = useState(() => rateLimitValues(apiKey));
  const [creditLimit, setCreditLimit] = useState(
    apiKey.creditLimit === null ? "" : nanoToUsdString(apiKey.creditLimit),
  );
  const [reset, setReset] = useState<LimitResetOption>(
    apiKey.creditLimit === null ? "monthly" : apiKey.limitReset,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function save() {
    const parsed = updateApiKeyInput.safeParse({
      id: apiKey.id,
      name,
      creditLimitUsd: creditLimit.trim() ? creditLimit.trim() : null,
      ...(creditLimit.trim() && { limitReset: reset }),
      ...parseRateLimits(limits),
    });
    if (!parsed.success) {
      setErrors(firstIssueByField(parsed.error.issues));
      return;
    }
    try {
      await update.mutateAsync(parsed.data);
      setErrors({});
      setOpen(false);
      router.refresh();
    } catch (failure) {
      setErrors(formErrorsOf(failure));
    }
  }

  return (
    <>
      <Button variant="subtle" size="sm" onClick={() => setOpen(true)} aria-label={`Edit ${apiKey.name}`}>
        Edit
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Edit “${apiKey.name}”`}
        description="New limits apply to the key's next request on every gateway."
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button onClick={() => void save()} disabled={update.isPending}>
              {update.isPending ? "Saving…" : "Save"}
            </Button>
          </>
        }
      >
        <div className="space-y-4">
          <Field id={`edit-name-${apiKey.id}`} label="Name" error={errors.name}>
            <Input
              id={`edit-name-${apiKey.id}`}
              value={name}
              maxLength={80}
              onChange={(event) => setName(event.target.value)}
              invalid={Boolean(errors.name)}
            />
          </Field>
          <CreditLimitFields
            idPrefix={`edit-${apiKey.id}`}
            limit={creditLimit}
            onLimit={setCreditLimit}
            reset={reset}
            onReset={setReset}
            errors={errors}
          />
          <RateLimitFields
            idPrefix={`edit-${apiKey.id}`}
            legend="Rate limits"
            hint="Optional; empty = organization limits only."
            values={limits}
            onChange={setLimits}
            errors={errors}
          />
          {errors._form ? (
            <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
              {errors._form}
            </p>
          ) : null}
        </div>
      </Dialog>
    </>
  );
}
