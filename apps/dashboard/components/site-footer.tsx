import Link from "next/link";
import { ApiStatus } from "./api-status";
import { Logo } from "./logo";
import { ThemeToggle } from "./theme-toggle";

const footerLinks = [
  { href: "/#features", label: "Features" },
  { href: "/#quickstart", label: "Quickstart" },
  { href: "/signin", label: "Sign in" },
  { href: "/signup", label: "Sign up" },
] as const;

export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900">
      <div className="mx-auto flex max-w-6xl flex-col gap-8 px-6 py-10 md:flex-row md:items-center md:justify-between">
        <div className="space-y-2">
          <Logo tone="dark" />
          <p className="text-sm text-slate-500 dark:text-slate-400">The open, self-hostable LLM gateway.</p>
        </div>
        <nav
          aria-label="Footer"
          className="flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-600 dark:text-slate-400"
        >
          {footerLinks.map((link) => (
            <Link key={link.href} href={link.href} className="hover:text-slate-900 dark:hover:text-white">
              {link.label}
            </Link>
          ))}
        </nav>
        <div className="flex flex-col items-start gap-3 md:items-end">
          <ApiStatus />
          <ThemeToggle tone="light" className="w-56" />
        </div>
      </div>
    </footer>
  );
}
