"use client";

import type { CreateApiKeyInput } from "@junction/api/schemas";
import { Button, Dialog } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { PlusIcon } from "@/components/icons";
import { useTRPC } from "@/lib/trpc/client";
import { formErrorsOf } from "@/lib/trpc/errors";
import { CreateKeyForm } from "./create-key-form";
import { NewKeyPanel } from "./new-key-panel";

/** "Create key": the form, then the new key (shown once) with snippets. Opens by itself on ?create=1. */
export function CreateKeyButton({
  gatewayUrl,
  label = "Create key",
}: {
  gatewayUrl: string;
  label?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [open, setOpen] = useState(searchParams.get("create") === "1");
  const [created, setCreated] = useState<{ key: string; name: string }>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation(trpc.apiKeys.create.mutationOptions());

  function close() {
    setOpen(false);
    setCreated(undefined);
    setErrors({});
    if (searchParams.get("create")) router.replace(pathname, { scroll: false });
    router.refresh();
  }

  async function submit(values: CreateApiKeyInput) {
    try {
      const result = await create.mutateAsync(values);
      setErrors({});
      setCreated({ key: result.key, name: result.apiKey.name });
    } catch (error) {
      setErrors(formErrorsOf(error));
    }
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <PlusIcon />
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        size={created ? "lg" : "md"}
        dismissible={!created}
        title={created ? "Your new API key" : "Create an API key"}
        description={
          created
            ? "Use it as a Bearer token with any OpenAI- or Anthropic-compatible client."
            : "Keys belong to this organization and spend its credit."
        }
        footer={
          created ? (
            <Button onClick={close} data-testid="close-new-key">
              I have copied my key
            </Button>
          ) : undefined
        }
      >
        {created ? (
          <NewKeyPanel apiKey={created.key} name={created.name} gatewayUrl={gatewayUrl} />
        ) : (
          <CreateKeyForm
            onSubmit={(values) => void submit(values)}
            onCancel={close}
            pending={create.isPending}
            serverErrors={errors}
          />
        )}
      </Dialog>
    </>
  );
}
