"use client";

import { createInvitationInput, INVITABLE_ROLES } from "@junction/api/schemas";
import { Button, CopyButton, Field, Input, Select } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { fieldErrorsOf, messageOf } from "@/lib/trpc/errors";

/** Owners invite by email; the link is also shown to copy (for chat, or when email is not set up). */
export function InviteForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.invitations.create.mutationOptions());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ email: string; link: string; emailed: boolean }>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const parsed = createInvitationInput.safeParse({
      email: form.get("invite-email"),
      role: form.get("invite-role"),
    });
    if (!parsed.success) {
      setErrors({ email: parsed.error.issues[0]?.message ?? "Check the address" });
      return;
    }
    setErrors({});
    try {
      const result = await create.mutateAsync(parsed.data);
      setCreated(result);
      formElement.reset();
      router.refresh();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setErrors(fields.email ? { email: fields.email } : { form: messageOf(error) });
    }
  }

  return (
    <div className="space-y-4">
      <form
        noValidate
        onSubmit={onSubmit}
        className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem_auto] sm:items-start"
      >
        <Field id="invite-email" label="Email address" error={errors.email}>
          <Input
            id="invite-email"
            name="invite-email"
            type="email"
            autoComplete="off"
            placeholder="colleague@example.com"
            invalid={Boolean(errors.email)}
            aria-describedby={errors.email ? "invite-email-error" : undefined}
          />
        </Field>
        <Field id="invite-role" label="Role">
          <Select id="invite-role" name="invite-role" defaultValue="member" className="capitalize">
            {INVITABLE_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </Select>
        </Field>
        <div className="sm:pt-6.5">
          <Button type="submit" disabled={create.isPending} className="w-full sm:w-auto">
            {create.isPending ? "Inviting…" : "Send invitation"}
          </Button>
        </div>
      </form>
      <FormError message={errors.form} />
      {created ? (
        <div
          role="status"
          className="rounded-lg bg-emerald-50 px-3 py-2.5 text-sm text-emerald-900 ring-1 ring-emerald-200 dark:bg-emerald-950/40 dark:text-emerald-200 dark:ring-emerald-900"
        >
          <p>
            {created.emailed ? "Invitation emailed to " : "Invitation created for "}
            <strong className="font-medium">{created.email}</strong>. You can also share this link:
          </p>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="invitation-link" className="min-w-0 flex-1 truncate font-mono text-xs">
              {created.link}
            </code>
            <CopyButton value={created.link} label="Copy link" tone="light" />
          </div>
        </div>
      ) : null}
    </div>
  );
}
