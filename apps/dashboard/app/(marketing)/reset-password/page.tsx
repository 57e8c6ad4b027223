import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { FormError } from "@/components/forms/form-parts";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: PageProps<"/reset-password">) {
  const token = (await searchParams).token;
  const value = typeof token === "string" ? token : "";
  return (
    <AuthCard
      title="Choose a new password"
      description="You will be signed out on every device and can sign in again with the new password."
      footer={
        <>
          Link expired?{" "}
          <Link
            href="/forgot-password"
            className="font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400"
          >
            Ask for a new one
          </Link>
        </>
      }
    >
      {value ? (
        <ResetPasswordForm token={value} />
      ) : (
        <FormError message="This link has no token. Open the link from the email again." />
      )}
    </AuthCard>
  );
}
