import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { VerifyEmailButton } from "@/components/auth/verify-email-button";
import { FormError } from "@/components/forms/form-parts";

export const metadata: Metadata = { title: "Confirm your email" };

export default async function VerifyEmailPage({ searchParams }: PageProps<"/verify-email">) {
  const token = (await searchParams).token;
  const value = typeof token === "string" ? token : "";
  return (
    <AuthCard
      title="Confirm your email"
      description="One click confirms that this address is yours, so we can reach you about your account."
      footer={
        <Link
          href="/overview"
          className="font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400"
        >
          Back to the dashboard
        </Link>
      }
    >
      {value ? (
        <VerifyEmailButton token={value} />
      ) : (
        <FormError message="This link has no token. Open the link from the email again." />
      )}
    </AuthCard>
  );
}
