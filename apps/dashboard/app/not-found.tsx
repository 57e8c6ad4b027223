import { buttonClasses } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { Logo } from "@/components/logo";

export const metadata: Metadata = { title: "Not found" };

/** Any URL the dashboard does not have, and any record that is not yours (it is not found, not forbidden). */
export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 bg-slate-50 px-6 text-center dark:bg-slate-950">
      <Logo tone="dark" />
      <div>
        <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">This page does not exist</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          The link may be mistyped, or what it pointed to belongs to another organization.
        </p>
      </div>
      <div className="flex gap-3">
        <Link href="/overview" className={buttonClasses({ variant: "primary" })}>
          Go to the overview
        </Link>
        <Link href="/activity" className={buttonClasses({ variant: "secondary" })}>
          Activity
        </Link>
      </div>
    </main>
  );
}
