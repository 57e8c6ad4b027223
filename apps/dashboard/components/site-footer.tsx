import Link from "next/link";
import { ApiStatus } from "./api-status";
import { Logo } from "./logo";

const footerLinks = [
  { href: "/#features", label: "Features" },
  { href: "/#quickstart", label: "Quickstart" },
  { href: "/signin", label: "Sign in" },
  { href: "/signup", label: "Sign up" },
] as const;

export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-col gap-8 px-6 py-10 md:flex-row md:items-center md:justify-between">
        <div className="space-y-2">
          <Logo tone="dark" />
          <p className="text-sm text-slate-500">The open, self-hostable LLM gateway.</p>
        </div>
        <nav aria-label="Footer" className="flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-600">
          {footerLinks.map((link) => (
            <Link key={link.href} href={link.href} className="hover:text-slate-900">
              {link.label}
            </Link>
          ))}
        </nav>
        <ApiStatus />
      </div>
    </footer>
  );
}
