"use client";

import { signInInput } from "@junction/api/schemas";
import { Button, Field, Input } from "@junction/ui";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { firstIssueByField } from "@/lib/forms";
import { PasswordInput } from "./password-input";

export interface SignInFormProps {
  /** Where to go after signing in (a same-origin path). */
  callbackUrl: string;
  /** A problem reported by the redirect that brought the visitor here (?error=…). */
  initialError?: string | undefined;
  oauthProviders: { id: string; name: string }[];
}

export function SignInForm({ callbackUrl, initialError, oauthProviders }: SignInFormProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<{ email?: string; password?: string; form?: string | undefined }>({
    form: initialError,
  });
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInInput.safeParse({
      email: form.get("email") ?? "",
      password: form.get("password") ?? "",
    });
    if (!parsed.success) {
      setErrors(firstIssueByField(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    const result = await signIn("credentials", { ...parsed.data, redirect: false });
    if (!result?.ok) {
      setBusy(false);
      // The server's message: wrong credentials, or how long the throttle lasts.
      setErrors({
        form:
          result?.error && result.error !== "CredentialsSignin" ? result.error : "Invalid email or password",
      });
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <div className="space-y-6">
      {oauthProviders.length ? (
        <>
          <div className="grid gap-3">
            {oauthProviders.map((provider) => (
              <Button
                key={provider.id}
                variant="secondary"
                onClick={() => void signIn(provider.id, { callbackUrl })}
              >
                Continue with {provider.name}
              </Button>
            ))}
          </div>
          <div className="flex items-center gap-3 text-xs text-slate-400">
            <span className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
            or with email
            <span className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
          </div>
        </>
      ) : null}
      <form noValidate onSubmit={onSubmit} className="space-y-5">
        <Field id="email" label="Email" error={errors.email}>
          <Input id="email" name="email" type="email" autoComplete="email" invalid={Boolean(errors.email)} />
        </Field>
        <Field
          id="password"
          label="Password"
          error={errors.password}
          aside={
            <Link
              href="/forgot-password"
              className="font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400"
            >
              Forgot password?
            </Link>
          }
        >
          <PasswordInput
            id="password"
            name="password"
            autoComplete="current-password"
            invalid={Boolean(errors.password)}
          />
        </Field>
        <FormError message={errors.form} />
        <Button type="submit" size="lg" className="w-full" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </div>
  );
}
