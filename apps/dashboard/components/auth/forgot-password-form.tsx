"use client";

import { forgotPasswordInput } from "@junction/api/schemas";
import { Button, Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const [errors, setErrors] = useState<{ email?: string; form?: string }>({});
  const [sentTo, setSentTo] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = forgotPasswordInput.safeParse({
      email: new FormData(event.currentTarget).get("email") ?? "",
    });
    if (!parsed.success) {
      setErrors({ email: parsed.error.issues[0]?.message });
      return;
    }
    setErrors({});
    try {
      await request.mutateAsync(parsed.data);
      setSentTo(parsed.data.email);
    } catch (error) {
      setErrors({ form: messageOf(error) });
    }
  }

  if (sentTo) {
    return (
      <p
        role="status"
        data-testid="reset-requested"
        className="text-sm leading-6 text-slate-700 dark:text-slate-300"
      >
        If an account exists for <strong className="font-medium">{sentTo}</strong>, we sent it a link to
        choose a new password. The link works once, for one hour.
      </p>
    );
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5">
      <Field id="email" label="Email" error={errors.email}>
        <Input id="email" name="email" type="email" autoComplete="email" invalid={Boolean(errors.email)} />
      </Field>
      <FormError message={errors.form} />
      <Button type="submit" size="lg" className="w-full" disabled={request.isPending}>
        {request.isPending ? "Sending…" : "Send reset link"}
      </Button>
    </form>
  );
}
