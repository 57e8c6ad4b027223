import { buttonClasses, Card, cn } from "@junction/ui";
import Link from "next/link";
import { CheckIcon } from "@/components/icons";

type Step = { title: string; body: string; done: boolean; action?: { href: string; label: string } };

/** The first-run checklist: shown until the organization has made its first request. */
export function GettingStarted({
  hasKey,
  hasRequests,
  starterCredit,
}: {
  hasKey: boolean;
  hasRequests: boolean;
  starterCredit: string;
}) {
  const steps: Step[] = [
    {
      title: "Create your account",
      body: `Your organization starts with ${starterCredit} of credit.`,
      done: true,
    },
    {
      title: "Create an API key",
      body: "Keys are shown once. Give each app its own, with a spend limit if you like.",
      done: hasKey,
      action: { href: "/keys?create=1", label: "Create a key" },
    },
    {
      title: "Send your first request",
      body: "Use the snippet below with the sandbox model: real tokens, real prices, no provider keys.",
      done: hasRequests,
    },
  ];
  const next = steps.find((step) => !step.done);
  return (
    <Card padding="none">
      <div className="border-b border-slate-100 dark:border-slate-800 px-6 py-5">
        <h2 className="text-base font-semibold text-slate-900 dark:text-white">Get started</h2>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          Three steps from sign-up to your first cost chart.
        </p>
      </div>
      <ol className="divide-y divide-slate-100 dark:divide-slate-800">
        {steps.map((step, index) => (
          <li key={step.title} className="flex items-start gap-4 px-6 py-4">
            <span
              className={cn(
                "flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold",
                step.done
                  ? "bg-emerald-50 dark:bg-emerald-950/40 ring-1 ring-emerald-200 dark:ring-emerald-900"
                  : step === next
                    ? "bg-indigo-600 text-white"
                    : "bg-slate-100 dark:bg-slate-800 text-slate-500 dark:text-slate-400",
              )}
            >
              {step.done ? <CheckIcon /> : index + 1}
            </span>
            <div className="min-w-0 flex-1">
              <p
                className={cn(
                  "font-medium",
                  step.done
                    ? "text-slate-500 dark:text-slate-400 line-through decoration-slate-300"
                    : "text-slate-900 dark:text-white",
                )}
              >
                {step.title}
              </p>
              <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">{step.body}</p>
            </div>
            {step.action && !step.done ? (
              <Link href={step.action.href} className={buttonClasses({ size: "sm" })}>
                {step.action.label}
              </Link>
            ) : null}
          </li>
        ))}
      </ol>
    </Card>
  );
}
