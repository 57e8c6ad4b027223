"use client";

import { Badge, Button, Table, TableHeader, TBody, TD, TR } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

export type SessionRow = {
  id: string;
  /** When it signed in, formatted (UTC, like the column header says). */
  signedIn: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
};

/** The user's signed-in sessions; end one, or every one but this. */
export function SessionsPanel({ sessions }: { sessions: SessionRow[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.sessions.revoke.mutationOptions());
  const revokeOthers = useMutation(trpc.sessions.revokeOthers.mutationOptions());
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  async function end(session: SessionRow) {
    try {
      await revoke.mutateAsync({ id: session.id });
      if (session.current) {
        await signOut({ callbackUrl: "/signin" });
        return;
      }
      setError(undefined);
      router.refresh();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  async function endOthers() {
    try {
      const { ended } = await revokeOthers.mutateAsync();
      setNotice(ended ? `Signed out ${ended} other session${ended === 1 ? "" : "s"}.` : "No other sessions.");
      setError(undefined);
      router.refresh();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  const others = sessions.filter((session) => !session.current).length;
  return (
    <div className="space-y-4">
      <Table>
        <TableHeader
          columns={["Signed in (UTC)", "Browser", "Address", "", { label: "Actions", srOnly: true }]}
        />
        <TBody>
          {sessions.map((session) => (
            <TR key={session.id} data-testid="session-row">
              <TD className="whitespace-nowrap font-mono text-xs">{session.signedIn}</TD>
              <TD className="max-w-xs truncate text-xs" title={session.userAgent ?? undefined}>
                {session.userAgent ?? "Unknown"}
              </TD>
              <TD className="font-mono text-xs">{session.ip ?? "—"}</TD>
              <TD>{session.current ? <Badge tone="success">This session</Badge> : null}</TD>
              <TD className="text-right">
                <Button
                  variant="subtle"
                  size="sm"
                  disabled={revoke.isPending}
                  onClick={() => void end(session)}
                >
                  Sign out
                </Button>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      {error ? (
        <p role="alert" className="text-sm text-rose-600">
          {error}
        </p>
      ) : null}
      <div className="flex items-center justify-end gap-3">
        {notice ? (
          <span role="status" className="text-sm text-emerald-700">
            {notice}
          </span>
        ) : null}
        <Button
          variant="secondary"
          disabled={revokeOthers.isPending || others === 0}
          onClick={() => void endOthers()}
        >
          Sign out other sessions
        </Button>
      </div>
    </div>
  );
}
