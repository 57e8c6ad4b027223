"use client";

import { signUpInput } from "@junction/api/schemas";
import { Button, Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { firstIssueByField } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/client";
import { formErrorsOf } from "@/lib/trpc/errors";
import { PasswordInput } from "./password-input";

type Fields = { name: string; email: string; password: string };

/**
 * Sign-up: validates as you submit (same schema as the server), creates the account, then signs in and goes to
 * `callbackUrl` (an invitation page, when the visitor came from one).
 */
export function SignUpForm({
  defaultEmail,
  callbackUrl = "/overview",
}: {
  defaultEmail?: string | undefined;
  callbackUrl?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [errors, setErrors] = useState<Partial<Record<keyof Fields | "_form", string>>>({});
  const [signingIn, setSigningIn] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values: Fields = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    const parsed = signUpInput.safeParse(values);
    if (!parsed.success) {
      setErrors(firstIssueByField(parsed.error.issues));
      return;
    }
    setErrors({});
    try {
      await signUp.mutateAsync(parsed.data);
    } catch (error) {
      setErrors(formErrorsOf(error));
      return;
    }
    setSigningIn(true);
    const result = await signIn("credentials", {
      email: parsed.data.email,
      password: values.password,
      redirect: false,
    });
    if (!result?.ok) {
      setSigningIn(false);
      setErrors({ _form: "Your account was created, but signing in failed. Please sign in." });
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  const busy = signUp.isPending || signingIn;
  const describedBy = (field: keyof Fields) => (errors[field] ? `${field}-error` : `${field}-hint`);

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5">
      <Field id="name" label="Name" error={errors.name}>
        <Input
          id="name"
          name="name"
          autoComplete="name"
          invalid={Boolean(errors.name)}
          aria-describedby={describedBy("name")}
        />
      </Field>
      <Field id="email" label="Work email" error={errors.email}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={defaultEmail}
          invalid={Boolean(errors.email)}
          aria-describedby={describedBy("email")}
        />
      </Field>
      <Field id="password" label="Password" hint="At least 10 characters." error={errors.password}>
        <PasswordInput
          id="password"
          name="password"
          autoComplete="new-password"
          invalid={Boolean(errors.password)}
          aria-describedby={describedBy("password")}
        />
      </Field>
      <FormError message={errors._form} />
      <Button type="submit" className="w-full" size="lg" disabled={busy}>
        {signingIn ? "Signing you in…" : signUp.isPending ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
