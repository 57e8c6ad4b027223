import { Badge, buttonClasses } from "@junction/ui";
import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { getServerSession } from "next-auth";
import { AuthCard } from "@/components/auth/auth-card";
import { FormError } from "@/components/forms/form-parts";
import { AcceptInvitation } from "@/components/invitations/accept-invitation";
import { AuthSessionProvider } from "@/components/shell/session-provider";
import { authOptions } from "@/lib/auth/options";
import { date } from "@/lib/format";
import { serverApi } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Invitation" };

const linkClass = "font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400";

export default async function InvitationPage({ params }: PageProps<"/invite/[token]">) {
  const { token } = await params;
  const api = await serverApi();
  const preview = await api.invitations.preview({ token }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      return null;
    throw error;
  });
  const here = `/invite/${encodeURIComponent(token)}`;

  if (preview?.state !== "pending") {
    return (
      <AuthCard
        title="This invitation cannot be used"
        description={
          preview
            ? `The invitation to ${preview.organizationName} is ${preview.state}. Ask an owner of the organization for a new one.`
            : "The link is not valid. Check that you copied all of it, or ask for a new invitation."
        }
        footer={
          <Link href="/signin" className={linkClass}>
            Sign in
          </Link>
        }
      >
        <FormError message={preview ? `Invitation ${preview.state}` : "Invitation not found"} />
      </AuthCard>
    );
  }

  const matches = preview.signedInEmail?.toLowerCase() === preview.email.toLowerCase();
  const signUpHref = `/signup?${new URLSearchParams({ email: preview.email, callbackUrl: here })}`;
  const signInHref = `/signin?${new URLSearchParams({ callbackUrl: here })}`;
  return (
    <AuthCard
      title={`Join ${preview.organizationName}`}
      description={
        <>
          You are invited to join as <Badge className="capitalize">{preview.role}</Badge>. The invitation is
          for <strong className="font-medium text-slate-900 dark:text-white">{preview.email}</strong> and
          expires on {date(preview.expiresAt)}.
        </>
      }
      footer={
        preview.signedInEmail && !matches ? (
          <>
            Signed in as {preview.signedInEmail}.{" "}
            <Link
              href={`/api/auth/signout?${new URLSearchParams({ callbackUrl: signInHref })}`}
              className={linkClass}
            >
              Switch account
            </Link>
          </>
        ) : (
          "Invitations are valid for 7 days."
        )
      }
    >
      {matches ? (
        <AuthSessionProvider session={await getServerSession(authOptions())}>
          <AcceptInvitation token={token} organizationName={preview.organizationName} />
        </AuthSessionProvider>
      ) : preview.signedInEmail ? (
        <FormError
          message={`You are signed in as ${preview.signedInEmail}. Sign out and sign in (or sign up) as ${preview.email} to accept.`}
        />
      ) : (
        <div className="grid gap-3">
          <Link href={preview.hasAccount ? signInHref : signUpHref} className={buttonClasses({ size: "lg" })}>
            {preview.hasAccount ? "Sign in to accept" : "Create an account to accept"}
          </Link>
          <Link
            href={preview.hasAccount ? signUpHref : signInHref}
            className="text-center text-sm text-slate-600 hover:text-slate-900 dark:hover:text-white dark:text-slate-400"
          >
            {preview.hasAccount ? "New here? Create an account" : "I already have an account"}
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
