"use client";

import { usdAmountSchema } from "@junction/api/schemas";
import { Button, cn, Dialog, Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { PlusIcon } from "@/components/icons";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

const PRESETS = ["10", "25", "100"] as const;

/**
 * Add credit through Stripe Checkout: the server creates the session for the caller's organization and the
 * browser goes to Stripe's page; the webhook credits the ledger. Without STRIPE_SECRET_KEY it explains how to
 * enable top-ups instead.
 */
export function TopUpButton({ stripeConfigured }: { stripeConfigured: boolean }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState<string>("25");
  const [error, setError] = useState<string>();
  const [redirecting, setRedirecting] = useState(false);
  const topUp = useMutation(trpc.credits.createTopUp.mutationOptions());

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = usdAmountSchema.safeParse(amount);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    try {
      const { url } = await topUp.mutateAsync({ amountUsd: parsed.data });
      setRedirecting(true);
      window.location.assign(url);
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
            <fieldset>
              <legend className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-300">
                Choose an amount
              </legend>
              <div className="grid grid-cols-3 gap-2">
                {PRESETS.map((preset) => (
                  <button
                    key={preset}
                    type="button"
                    aria-pressed={amount === preset}
                    data-testid={`top-up-preset-${preset}`}
                    onClick={() => {
                      setAmount(preset);
                      setError(undefined);
                    }}
                    className={cn(
                      "rounded-lg px-3 py-2 text-sm font-semibold ring-1 ring-inset transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500",
                      amount === preset
                        ? "bg-indigo-50 dark:bg-indigo-950/50 text-indigo-700 dark:text-indigo-300 ring-indigo-300"
                        : "bg-white dark:bg-slate-900 text-slate-700 dark:text-slate-300 ring-slate-200 dark:ring-slate-700 hover:bg-slate-50 dark:hover:bg-slate-800",
                    )}
                  >
                    ${preset}
                  </button>
                ))}
              </div>
            </fieldset>
            <Field id="top-up-amount" label="Amount (USD)" error={error}>
              <Input
                id="top-up-amount"
                name="amount"
                inputMode="decimal"
                placeholder="25.00"
                value={amount}
                onChange={(event) => {
                  setAmount(event.target.value);
                  setError(undefined);
                }}
                invalid={Boolean(error)}
                autoFocus
              />
            </Field>
            <p className="text-xs leading-5 text-slate-500 dark:text-slate-400">
              Between $5 and $10,000. You will be redirected to Stripe to pay; credit is added when the
              payment succeeds.
            </p>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={topUp.isPending || redirecting}>
                {redirecting
                  ? "Redirecting to Stripe…"
                  : topUp.isPending
                    ? "Starting…"
                    : "Continue to payment"}
              </Button>
            </div>
          </form>
        ) : (
          <div
            className="space-y-4 text-sm leading-6 text-slate-600 dark:text-slate-400"
            data-testid="stripe-not-configured"
          >
            <p className="rounded-lg bg-amber-50 dark:bg-amber-950/40 px-4 py-3 text-amber-900 dark:text-amber-200 ring-1 ring-amber-200 dark:ring-amber-900">
              Card top-ups are not available on this deployment. Ask your administrator to add credit to your
              organization.
            </p>
            <p>
              For the operator: set{" "}
              <code className="rounded bg-slate-100 dark:bg-slate-800 px-1 font-mono text-xs">
                STRIPE_SECRET_KEY
              </code>{" "}
              and{" "}
              <code className="rounded bg-slate-100 dark:bg-slate-800 px-1 font-mono text-xs">
                STRIPE_WEBHOOK_SECRET
              </code>{" "}
              for the dashboard to take card payments through Stripe, or grant credit with{" "}
              <code className="rounded bg-slate-100 dark:bg-slate-800 px-1 font-mono text-xs">
                pnpm junction credit add
              </code>
              .
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
