"use client";

import { updateApiKeyInput } from "@junction/api/schemas";
import { Button, Dialog, Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { fieldErrorsOf, messageOf } from "@/lib/trpc/errors";
import { parseRateLimits, RateLimitFields, type RateLimitValues } from "./rate-limit-fields";

const text = (value: number | null) => (value === null ? "" : String(value));

/** Rename a key and change its rate limits (only the changed fields are sent; the change is audited). */
export function EditKeyButton({
  apiKey,
}: {
  apiKey: {
    id: string;
    name: string;
    rateLimitRpm: number | null;
    rateLimitTpm: number | null;
    rateLimitConcurrency: number | null;
  };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.apiKeys.update.mutationOptions());
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(apiKey.name);
  const [limits, setLimits] = useState<RateLimitValues>({
    rateLimitRpm: text(apiKey.rateLimitRpm),
    rateLimitTpm: text(apiKey.rateLimitTpm),
    rateLimitConcurrency: text(apiKey.rateLimitConcurrency),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function save() {
    const parsed = updateApiKeyInput.safeParse({ id: apiKey.id, name, ...parseRateLimits(limits) });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
      setErrors(next);
      return;
    }
    try {
      await update.mutateAsync(parsed.data);
      setErrors({});
      setOpen(false);
      router.refresh();
    } catch (failure) {
      const fields = fieldErrorsOf(failure);
      setErrors(Object.keys(fields).length ? fields : { _form: messageOf(failure) });
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
          <RateLimitFields values={limits} onChange={setLimits} errors={errors} />
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
