import { formatUsd, usdToNano } from "@junction/core";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignUpForm } from "@/components/auth/signup-form";
import { SignUpPitch } from "@/components/auth/signup-pitch";
import { isSignedIn, safeCallbackUrl } from "@/lib/auth/redirects";
import { dashboardEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: PageProps<"/signup">) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await isSignedIn()) redirect(callbackUrl);
  const email = typeof params.email === "string" ? params.email : undefined;
  const starterCredit = formatUsd(usdToNano(dashboardEnv().STARTER_CREDIT_USD));
  return (
    <AuthCard
      title="Create your account"
      description={`You get an organization of your own and ${starterCredit} of starter credit.`}
      aside={<SignUpPitch starterCredit={starterCredit} />}
      footer={
        <>
          Already have an account?{" "}
          <Link
            href={callbackUrl === "/overview" ? "/signin" : `/signin?${new URLSearchParams({ callbackUrl })}`}
            className="font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400"
          >
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm defaultEmail={email} callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
