import { Badge, Card, Table, TableHeader, TBody, TD, TR } from "@junction/ui";
import type { Metadata } from "next";
import { MemberActions } from "@/components/settings/member-actions";
import { OrganizationSettingsForm } from "@/components/settings/organization-settings-form";
import { PoliciesPanel } from "@/components/settings/policies-panel";
import { PageHeader } from "@/components/shell/page-header";
import { date } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Settings" };

const ROLE_HELP = [
  { role: "Viewer", can: "sees usage, activity, credits and keys (never the keys themselves)" },
  { role: "Member", can: "also creates API keys and revokes their own" },
  { role: "Admin", can: "also revokes any key and manages billing" },
  { role: "Owner", can: "also manages members and their roles" },
] as const;

export default async function SettingsPage() {
  const [members, me, settings, policies] = await Promise.all([
    load((api) => api.members.list()),
    load((api) => api.account.me()),
    load((api) => api.settings.organization()),
    load((api) => api.settings.policies()),
  ]);
  const isOwner = me?.active?.role === "owner";
  const organization = me?.organizations.find((org) => org.id === me.active?.organizationId);

  return (
    <>
      <PageHeader
        title="Settings"
        description={`How ${organization?.name ?? "this organization"} uses the gateway, its routing policies, and who belongs to it.`}
      />
      <section aria-labelledby="settings-organization" className="mb-10">
        <h2 id="settings-organization" className="mb-3 text-lg font-semibold text-slate-900">
          Organization
        </h2>
        <Card>
          <OrganizationSettingsForm
            settings={settings}
            canEdit={settings.canEdit}
            cacheSeconds={settings.cacheSeconds}
          />
        </Card>
      </section>
      <section aria-labelledby="settings-policies" className="mb-10">
        <h2 id="settings-policies" className="mb-1 text-lg font-semibold text-slate-900">
          Policies
        </h2>
        <p className="mb-3 max-w-2xl text-sm text-slate-600">
          Which models and providers requests may use. Each save is an immutable version; receipts name the
          version’s hash. The active policy applies to the whole organization.
        </p>
        <Card>
          <PoliciesPanel
            policies={policies.map((policy) => ({
              id: policy.id,
              name: policy.name,
              active: policy.active,
              latest: policy.latest && {
                version: policy.latest.version,
                hashPrefix: policy.latest.hashPrefix,
                rules: policy.latest.rules,
              },
            }))}
            canEdit={settings.canEdit}
          />
        </Card>
      </section>
      <h2 className="mb-3 text-lg font-semibold text-slate-900">Members</h2>
      <Table>
        <TableHeader columns={["Name", "Email", "Joined", "Role", { label: "Actions", srOnly: true }]} />
        <TBody>
          {members.map((member) => (
            <TR key={member.id}>
              <TD className="font-medium text-slate-900">
                {member.user.name ?? "—"}
                {member.isYou ? <Badge className="ml-2">You</Badge> : null}
              </TD>
              <TD>{member.user.email}</TD>
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
        <h2 className="text-base font-semibold text-slate-900">Roles</h2>
        <ul className="mt-3 space-y-1.5 text-sm text-slate-600">
          {ROLE_HELP.map((item) => (
            <li key={item.role}>
              <span className="font-medium text-slate-900">{item.role}</span> {item.can}.
            </li>
          ))}
        </ul>
        <p className="mt-4 text-xs text-slate-500">
          Organization id: <code className="font-mono">{organization?.id}</code>
        </p>
      </Card>
    </>
  );
}
