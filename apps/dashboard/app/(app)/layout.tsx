import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { NoOrganization } from "@/components/shell/no-organization";
import { authOptions } from "@/lib/auth/options";
import { load } from "@/lib/trpc/server";

/** Every page under here needs a session; the shell shows the active organization and the user. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const [me, session] = await Promise.all([load((api) => api.account.me()), getServerSession(authOptions())]);
  if (!me) redirect("/signin");
  if (!me.active) return <NoOrganization email={me.user.email} />;
  return (
    <AppShell
      session={session}
      user={me.user}
      organizations={me.organizations}
      activeOrganizationId={me.active.organizationId}
    >
      {children}
    </AppShell>
  );
}
