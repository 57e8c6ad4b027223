import { hasRole } from "@junction/api";
import { EmptyState } from "@junction/ui";
import type { Metadata } from "next";
import { KeyIcon } from "@/components/icons";
import { CreateKeyButton } from "@/components/keys/create-key-button";
import { KeysTable } from "@/components/keys/keys-table";
import { PageHeader } from "@/components/shell/page-header";
import { gatewayUrl } from "@/lib/env";
import { load } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const [keys, me] = await Promise.all([load((api) => api.apiKeys.list()), load((api) => api.account.me())]);
  const canCreate = me?.active ? hasRole(me.active.role, "member") : false;
  const create = canCreate ? <CreateKeyButton gatewayUrl={gatewayUrl()} /> : null;
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys authenticate your apps to the gateway and spend this organization's credit. Each is shown once, when you create it."
        actions={keys.length ? create : null}
      />
      {keys.length ? (
        <KeysTable keys={keys} />
      ) : (
        <EmptyState
          icon={<KeyIcon />}
          title="No API keys yet"
          description={
            canCreate
              ? "Create a key, then call the gateway with it. You can cap its spend and set an expiry."
              : "Ask a member or admin of this organization to create one: viewers can only read."
          }
          action={create}
        />
      )}
    </>
  );
}
