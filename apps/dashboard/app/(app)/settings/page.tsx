import { Card } from "@junction/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { CustomEndpointsPanel } from "@/components/settings/custom-endpoints-panel";
import { DeleteOrganization } from "@/components/settings/delete-organization";
import { OrganizationSettingsForm } from "@/components/settings/organization-settings-form";
import { PoliciesPanel } from "@/components/settings/policies-panel";
import { ProviderKeysPanel } from "@/components/settings/provider-keys-panel";
import { PageHeader } from "@/components/shell/page-header";
import { date, usd } from "@/lib/format";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const [me, settings, policies, providerKeys] = await Promise.all([
    load((api) => api.account.me()),
    load((api) => api.settings.organization()),
    load((api) => api.settings.policies()),
    load((api) => api.providerKeys.list()),
  ]);
  const isOwner = me?.active?.role === "owner";
  // What only some roles may read: the balance (owners, for the danger zone) and custom endpoints (admins; the
  // procedures refuse everyone else).
  const [balance, custom] = await Promise.all([
    isOwner ? load((api) => api.credits.summary()).then((summary) => summary.balance) : null,
    settings.canEdit ? load((api) => api.customEndpoints.list()) : null,
  ]);
  const organization = me?.organizations.find((org) => org.id === me.active?.organizationId);

  return (
    <>
      <PageHeader
        title="Settings"
        description={`How ${organization?.name ?? "this organization"} uses the gateway, and its routing policies.`}
      />
      <section aria-labelledby="settings-organization" className="mb-10">
        <h2 id="settings-organization" className="mb-3 text-lg font-semibold text-slate-900 dark:text-white">
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
        <h2 id="settings-policies" className="mb-1 text-lg font-semibold text-slate-900 dark:text-white">
          Policies
        </h2>
        <p className="mb-3 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
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
      <section aria-labelledby="settings-provider-keys" className="mb-10">
        <h2 id="settings-provider-keys" className="mb-1 text-lg font-semibold text-slate-900 dark:text-white">
          Provider keys (BYOK)
        </h2>
        <p className="mb-3 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          Your own keys for upstream providers. Requests to those providers use your key and are billed only
          the BYOK fee; gateways pick up a change within 30 seconds.
        </p>
        <Card>
          <ProviderKeysPanel
            keys={providerKeys.keys.map((key) => ({
              id: key.id,
              providerId: key.providerId,
              label: key.label,
              last4: key.last4,
              added: date(key.createdAt),
            }))}
            providers={providerKeys.providers}
            canEdit={settings.canEdit}
            configured={providerKeys.configured}
          />
        </Card>
      </section>
      {custom ? (
        <section aria-labelledby="settings-custom-endpoints" className="mb-10">
          <h2
            id="settings-custom-endpoints"
            className="mb-1 text-lg font-semibold text-slate-900 dark:text-white"
          >
            Custom endpoints
          </h2>
          <p className="mb-3 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
            Your own OpenAI-compatible servers, served as{" "}
            <code className="font-mono">custom/&lt;name&gt;/&lt;model&gt;</code>. Junction connects only over
            https to public addresses (checked when you save and on every connection), follows no redirects,
            and sends only the key you attach.
          </p>
          <Card>
            <CustomEndpointsPanel
              endpoints={custom.endpoints.map((endpoint) => ({
                id: endpoint.id,
                name: endpoint.name,
                baseUrl: endpoint.baseUrl,
                modelIds: endpoint.modelIds,
                credential: endpoint.credential && {
                  label: endpoint.credential.label,
                  last4: endpoint.credential.last4,
                },
              }))}
              credentials={custom.credentials}
            />
          </Card>
        </section>
      ) : null}
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
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
          Organization id: <code className="font-mono">{organization?.id}</code>
        </p>
      </Card>
      {isOwner && balance !== null ? (
        <section aria-labelledby="settings-danger" className="mt-10">
          <h2 id="settings-danger" className="mb-3 text-lg font-semibold text-rose-700 dark:text-rose-400">
            Danger zone
          </h2>
          <Card className="border-rose-200 dark:border-rose-900">
            <DeleteOrganization name={organization?.name ?? ""} balance={usd(balance)} />
          </Card>
        </section>
      ) : null}
    </>
  );
}
