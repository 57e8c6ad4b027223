"use client";

import { Button, Card } from "@junction/ui";
import { useRouter } from "next/navigation";
import { SessionProvider, signOut, useSession } from "next-auth/react";
import { useState } from "react";
import { CreateOrganizationDialog } from "./create-organization-dialog";

function Inner({ email }: { email: string }) {
  const router = useRouter();
  const { update } = useSession();
  const [open, setOpen] = useState(false);
  return (
    <div className="flex min-h-dvh items-center justify-center bg-slate-50 dark:bg-slate-950 px-6">
      <Card className="w-full max-w-md p-8 text-center">
        <h1 className="text-xl font-semibold text-slate-900 dark:text-white">
          You are not in an organization
        </h1>
        <p className="mt-2 text-sm leading-6 text-slate-600 dark:text-slate-400">
          Signed in as {email}. You may have been removed from your organization. Create a new one, or ask an
          owner to add you back.
        </p>
        <div className="mt-6 flex justify-center gap-3">
          <Button onClick={() => setOpen(true)}>Create an organization</Button>
          <Button variant="secondary" onClick={() => void signOut({ callbackUrl: "/" })}>
            Sign out
          </Button>
        </div>
      </Card>
      <CreateOrganizationDialog
        open={open}
        onClose={() => setOpen(false)}
        onCreated={async (id) => {
          await update({ activeOrganizationId: id });
          router.refresh();
        }}
      />
    </div>
  );
}

/** Shown to a signed-in user who belongs to no organization (e.g. after being removed from their only one). */
export function NoOrganization({ email }: { email: string }) {
  return (
    <SessionProvider>
      <Inner email={email} />
    </SessionProvider>
  );
}
