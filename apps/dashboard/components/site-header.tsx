import { buttonClasses } from "@junction/ui";
import Link from "next/link";
import { getSessionIdentity } from "@/lib/auth/session";
import { Logo } from "./logo";

const navLinks = [
  { href: "/#features", label: "Features" },
  { href: "/#quickstart", label: "Quickstart" },
  { href: "/#how-it-works", label: "How it works" },
  { href: "/docs", label: "Docs" },
] as const;

export async function SiteHeader() {
  const session = await getSessionIdentity();
  return (
    <header className="sticky top-0 z-40 border-b border-white/10 bg-slate-950/95 backdrop-blur">
      <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-6 px-6">
        <Link
          href="/"
          aria-label="Junction home"
          className="rounded-md focus-visible:outline-2 focus-visible:outline-indigo-400"
        >
          <Logo />
        </Link>
        <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
          {navLinks.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              className={buttonClasses({ variant: "ghost", size: "sm" })}
            >
              {link.label}
            </Link>
          ))}
        </nav>
        <div className="flex items-center gap-2">
          {session ? (
            <Link href="/overview" className={buttonClasses({ variant: "inverse", size: "sm" })}>
              Open dashboard
            </Link>
          ) : (
            <>
              <Link href="/signin" className={buttonClasses({ variant: "ghost", size: "sm" })}>
                Sign in
              </Link>
              <Link href="/signup" className={buttonClasses({ variant: "inverse", size: "sm" })}>
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
