"use client";

import { passwordSchema } from "@junction/api/schemas";
import { Button, Field } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";
import { PasswordInput } from "./password-input";

/** Chooses a new password from an emailed link; every session of the account ends. */
export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  const [errors, setErrors] = useState<{ password?: string; confirm?: string; form?: string }>({});
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const parsed = passwordSchema.safeParse(password);
    if (!parsed.success) {
      setErrors({ password: parsed.error.issues[0]?.message });
      return;
    }
    if (password !== String(form.get("confirm") ?? "")) {
      setErrors({ confirm: "The passwords do not match" });
      return;
    }
    setErrors({});
    try {
      await reset.mutateAsync({ token, password });
      setDone(true);
    } catch (error) {
      setErrors({ form: messageOf(error) });
    }
  }

  if (done) {
    return (
      <div role="status" className="space-y-4 text-sm leading-6 text-slate-700 dark:text-slate-300">
        <p>Your password was changed, and you were signed out everywhere.</p>
        <Link
          href="/signin"
          className="font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400"
        >
          Sign in with your new password →
        </Link>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5">
      <Field id="password" label="New password" hint="At least 10 characters." error={errors.password}>
        <PasswordInput
          id="password"
          name="password"
          autoComplete="new-password"
          invalid={Boolean(errors.password)}
          aria-describedby={errors.password ? "password-error" : "password-hint"}
        />
      </Field>
      <Field id="confirm" label="Repeat the new password" error={errors.confirm}>
        <PasswordInput
          id="confirm"
          name="confirm"
          autoComplete="new-password"
          invalid={Boolean(errors.confirm)}
          aria-describedby={errors.confirm ? "confirm-error" : undefined}
        />
      </Field>
      <FormError message={errors.form} />
      <Button type="submit" size="lg" className="w-full" disabled={reset.isPending}>
        {reset.isPending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
