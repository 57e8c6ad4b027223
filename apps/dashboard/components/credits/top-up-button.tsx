"use client";

import { usdAmountSchema } from "@junction/api/schemas";
import { Button, Dialog, Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { PlusIcon } from "@/components/icons";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

/** Add credit through Stripe; without STRIPE_SECRET_KEY it explains how to enable top-ups instead. */
export function TopUpButton({ stripeConfigured }: { stripeConfigured: boolean }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const topUp = useMutation(trpc.credits.createTopUp.mutationOptions());

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = usdAmountSchema.safeParse(new FormData(event.currentTarget).get("amount") ?? "");
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    try {
      await topUp.mutateAsync({ amountUsd: parsed.data });
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <PlusIcon />
        Top up
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          setOpen(false);
          setError(undefined);
        }}
        title="Add credit"
        description={
          stripeConfigured
            ? "Pay by card through Stripe. Credit is added when the payment succeeds."
            : undefined
        }
      >
        {stripeConfigured ? (
          <form noValidate onSubmit={submit} className="space-y-5">
            <Field id="top-up-amount" label="Amount (USD)" error={error}>
              <Input
                id="top-up-amount"
                name="amount"
                inputMode="decimal"
                placeholder="25.00"
                invalid={Boolean(error)}
                autoFocus
              />
            </Field>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={topUp.isPending}>
                Continue to payment
              </Button>
            </div>
          </form>
        ) : (
          <div className="space-y-4 text-sm leading-6 text-slate-600" data-testid="stripe-not-configured">
            <p className="rounded-lg bg-amber-50 px-4 py-3 text-amber-900 ring-1 ring-amber-200">
              Stripe is not configured on this deployment, so card top-ups are unavailable.
            </p>
            <p>
              To enable them, set{" "}
              <code className="rounded bg-slate-100 px-1 font-mono text-xs">STRIPE_SECRET_KEY</code> and{" "}
              <code className="rounded bg-slate-100 px-1 font-mono text-xs">STRIPE_WEBHOOK_SECRET</code> for
              the dashboard. Until then, an operator can grant credit with a ledger adjustment.
            </p>
            <div className="flex justify-end">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Close
              </Button>
            </div>
          </div>
        )}
      </Dialog>
    </>
  );
}
