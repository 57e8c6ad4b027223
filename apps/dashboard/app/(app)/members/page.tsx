import { Badge, Card, EmptyState, Table, TableHeader, TBody, TD, TR } from "@junction/ui";
import type { Metadata } from "next";
import { InvitationActions } from "@/components/members/invitation-actions";
import { InviteForm } from "@/components/members/invite-form";
import { MemberActions } from "@/components/settings/member-actions";
import { PageHeader } from "@/components/shell/page-header";
import { date } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Members" };

const ROLE_HELP = [
  { role: "Viewer", can: "sees usage, activity, credits and keys (never the keys themselves)" },
  { role: "Member", can: "also creates API keys and revokes their own" },
  { role: "Admin", can: "also revokes any key, manages billing, policies and provider keys" },
  { role: "Owner", can: "also invites and removes members, changes roles, and can delete the organization" },
] as const;

export default async function MembersPage() {
  const [members, me] = await Promise.all([
    load((api) => api.members.list()),
    load((api) => api.account.me()),
  ]);
  const isOwner = me?.active?.role === "owner";
  const invitations = isOwner ? await load((api) => api.invitations.list()) : [];
  const organization = me?.organizations.find((org) => org.id === me.active?.organizationId);

  return (
    <>
      <PageHeader
        title="Members"
        description={`Who belongs to ${organization?.name ?? "this organization"} and what they may do.${isOwner ? "" : " Only owners invite people and change roles."}`}
      />
      {isOwner ? (
        <section aria-labelledby="members-invite" className="mb-10">
          <h2 id="members-invite" className="mb-3 text-lg font-semibold text-slate-900 dark:text-white">
            Invite someone
          </h2>
          <Card>
            <InviteForm />
          </Card>
          <h3 className="mt-6 mb-3 text-base font-semibold text-slate-900 dark:text-white">
            Pending invitations
          </h3>
          {invitations.length ? (
            <Table>
              <TableHeader columns={["Email", "Role", "Expires", { label: "Actions", srOnly: true }]} />
              <TBody>
                {invitations.map((invitation) => (
                  <TR key={invitation.id} data-testid="invitation-row">
                    <TD className="font-medium break-all text-slate-900 dark:text-white">
                      {invitation.email}
                    </TD>
                    <TD>
                      <Badge className="capitalize">{invitation.role}</Badge>
                    </TD>
                    <TD>{date(invitation.expiresAt)}</TD>
                    <TD className="text-right">
                      <InvitationActions id={invitation.id} email={invitation.email} />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          ) : (
            <EmptyState
              title="No pending invitations"
              description="Invitations you send appear here until they are accepted, revoked, or expire after 7 days."
              className="py-8"
            />
          )}
        </section>
      ) : null}
      <h2 className="mb-3 text-lg font-semibold text-slate-900 dark:text-white">Members</h2>
      <Table>
        <TableHeader columns={["Name", "Email", "Joined", "Role", { label: "Actions", srOnly: true }]} />
        <TBody>
          {members.map((member) => (
            <TR key={member.id} data-testid="member-row">
              <TD className="font-medium text-slate-900 dark:text-white">
                {member.user.name ?? "—"}
                {member.isYou ? <Badge className="ml-2">You</Badge> : null}
              </TD>
              <TD className="break-all">{member.user.email}</TD>
              <TD>{date(member.joinedAt)}</TD>
              <TD>
                <Badge tone={member.role === "owner" ? "accent" : "neutral"} className="capitalize">
                  {member.role}
                </Badge>
              </TD>
              <TD className="text-right">
                {isOwner && !member.isYou ? (
                  <MemberActions
                    membershipId={member.id}
                    name={member.user.name ?? member.user.email}
                    role={member.role}
                  />
                ) : null}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Card className="mt-6">
        <h2 className="text-base font-semibold text-slate-900 dark:text-white">Roles</h2>
        <ul className="mt-3 space-y-1.5 text-sm text-slate-600 dark:text-slate-400">
          {ROLE_HELP.map((item) => (
            <li key={item.role}>
              <span className="font-medium text-slate-900 dark:text-white">{item.role}</span> {item.can}.
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
