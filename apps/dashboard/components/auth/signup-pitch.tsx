import { CheckIcon } from "@/components/icons";

const points = [
  { title: "Starter credit on us", body: "Every new organization gets free credit to try the gateway." },
  {
    title: "Works with your SDK",
    body: "Point the official openai or @anthropic-ai/sdk client at Junction.",
  },
  { title: "Exact, auditable billing", body: "Whole nano-dollars and a signed receipt for every request." },
] as const;

/** Why sign up, beside the form. */
export function SignUpPitch({ starterCredit }: { starterCredit: string }) {
  return (
    <div className="max-w-md">
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">Get started in minutes</p>
      <h2 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 dark:text-white">
        One API key for every model, with {starterCredit} of credit to start.
      </h2>
      <ul className="mt-8 space-y-5">
        {points.map((point) => (
          <li key={point.title} className="flex gap-3">
            <CheckIcon />
            <div>
              <p className="font-medium text-slate-900 dark:text-white">{point.title}</p>
              <p className="mt-0.5 text-sm leading-6 text-slate-600 dark:text-slate-400">{point.body}</p>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
