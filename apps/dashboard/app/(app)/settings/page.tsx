import { Card } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { OrganizationSettingsForm } from "@/components/settings/organization-settings-form";
import { PoliciesPanel } from "@/components/settings/policies-panel";
import { PageHeader } from "@/components/shell/page-header";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const [me, settings, policies] = await Promise.all([
    load((api) => api.account.me()),
    load((api) => api.settings.organization()),
    load((api) => api.settings.policies()),
  ]);
  const organization = me?.organizations.find((org) => org.id === me.active?.organizationId);

  return (
    <>
      <PageHeader
        title="Settings"
        description={`How ${organization?.name ?? "this organization"} uses the gateway, and its routing policies.`}
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
      <Card>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          People, roles and invitations are on the{" "}
          <Link
            href="/members"
            className="font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400"
          >
            Members
          </Link>{" "}
          page.
        </p>
        <p className="mt-2 text-xs text-slate-500">
          Organization id: <code className="font-mono">{organization?.id}</code>
        </p>
      </Card>
    </>
  );
}
