import { Card } from "@junction/ui";
import type { Metadata } from "next";
import { SessionsPanel } from "@/components/account/sessions-panel";
import { PageHeader } from "@/components/shell/page-header";
import { shortDateTime } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const [me, sessions] = await Promise.all([
    load((api) => api.account.me()),
    load((api) => api.sessions.list()),
  ]);
  return (
    <>
      <PageHeader title="Account" description={me ? `Signed in as ${me.user.email}.` : undefined} />
      <section aria-labelledby="account-sessions" className="mb-10">
        <h2 id="account-sessions" className="mb-1 text-lg font-semibold text-slate-900 dark:text-slate-100">
          Sessions
        </h2>
        <p className="mb-3 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          Every browser signed in to your account. Signing one out takes effect on its next request, on every
          dashboard server. Resetting your password signs out all of them.
        </p>
        <Card>
          <SessionsPanel
            sessions={sessions.map(({ createdAt, ...session }) => ({
              ...session,
              signedIn: shortDateTime(new Date(createdAt)),
            }))}
          />
        </Card>
      </section>
    </>
  );
}
