import Link from "next/link";
import type { Session } from "next-auth";
import type { ReactNode } from "react";
import { BookIcon } from "@/components/icons";
import { Logo } from "@/components/logo";
import { ThemeToggle } from "@/components/theme-toggle";
import { NavLinks } from "./nav-links";
import { type OrganizationChoice, OrgSwitcher } from "./org-switcher";
import { AuthSessionProvider } from "./session-provider";
import { UserMenu } from "./user-menu";
import { VerifyEmailBanner } from "./verify-email-banner";

export interface AppShellProps {
  session: Session | null;
  user: { name: string | null; email: string; emailVerified: Date | null };
  organizations: OrganizationChoice[];
  activeOrganizationId: string;
  children: ReactNode;
}

/** The signed-in frame: a dark sidebar (organization, sections, account) beside the page. */
export function AppShell({ session, user, organizations, activeOrganizationId, children }: AppShellProps) {
  return (
    <AuthSessionProvider session={session}>
      <div className="min-h-dvh bg-slate-50 dark:bg-slate-950 lg:flex">
        {/* The column stretches with the page; its content stays in view while the page scrolls. */}
        <aside className="bg-slate-950 text-slate-300 lg:w-64 lg:shrink-0">
          <div className="flex flex-col lg:sticky lg:top-0 lg:h-dvh">
            <div className="flex h-14 shrink-0 items-center px-5 lg:h-16">
              <Link
                href="/overview"
                aria-label="Junction overview"
                className="rounded-md focus-visible:outline-2 focus-visible:outline-indigo-400"
              >
                <Logo />
              </Link>
            </div>
            <div className="px-3">
              <OrgSwitcher organizations={organizations} activeId={activeOrganizationId} />
            </div>
            {/* Phones: the sections scroll sideways in one row; from lg they stack in the sidebar. */}
            <div className="mt-3 px-3 pb-3 lg:mt-6 lg:flex-1 lg:pb-4">
              <NavLinks />
            </div>
            <div className="grid grid-cols-[auto_minmax(0,1fr)] items-center gap-x-2 gap-y-1 border-t border-white/10 px-3 py-3 lg:block lg:space-y-1">
              <Link
                href="/docs"
                className="flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium text-slate-400 hover:bg-white/5 hover:text-white"
              >
                <span className="text-slate-500 dark:text-slate-400">
                  <BookIcon />
                </span>
                API docs
              </Link>
              <ThemeToggle className="lg:mb-2" />
              <div className="col-span-2">
                <UserMenu name={user.name} email={user.email} />
              </div>
            </div>
          </div>
        </aside>
        <div className="min-w-0 flex-1">
          {user.emailVerified ? null : <VerifyEmailBanner email={user.email} />}
          <main className="mx-auto w-full max-w-7xl px-4 py-6 sm:px-6 sm:py-8 lg:px-10 lg:py-10">
            {children}
          </main>
        </div>
      </div>
    </AuthSessionProvider>
  );
}
