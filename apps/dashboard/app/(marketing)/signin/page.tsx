import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/signin-form";
import { oauthProviderList } from "@/lib/auth/oauth";
import { isSignedIn, safeCallbackUrl, signInErrorMessage } from "@/lib/auth/redirects";
import { dashboardEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/signin">) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await isSignedIn()) redirect(callbackUrl);
  return (
    <AuthCard
      title="Sign in to Junction"
      description="Welcome back. Your keys, usage and credits are waiting."
      footer={
        <>
          New to Junction?{" "}
          <Link
            href={callbackUrl === "/overview" ? "/signup" : `/signup?${new URLSearchParams({ callbackUrl })}`}
            className="font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400"
          >
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm
        callbackUrl={callbackUrl}
        initialError={signInErrorMessage(params.error)}
        oauthProviders={oauthProviderList(dashboardEnv())}
      />
    </AuthCard>
  );
}
