const stages = [
  {
    name: "Authenticate",
    body: "The key's SHA-256 resolves your team, its limits and its policy. Revoked keys stop working everywhere.",
  },
  {
    name: "Plan",
    body: "The model is matched against the catalog and your policy; endpoints with an open circuit are skipped.",
  },
  {
    name: "Reserve",
    body: "The worst-case cost is held against your credit and the key's limit. Not enough? 402, before any provider call.",
  },
  {
    name: "Attempt",
    body: "The response streams straight through. Failures before the first byte fall back to the next provider.",
  },
  {
    name: "Settle",
    body: "The exact cost comes from the provider's usage and is recorded durably, even if the client hangs up.",
  },
  {
    name: "Sign",
    body: "A receipt with every attempt and the cost arithmetic is signed with Ed25519 and kept with the request.",
  },
] as const;

export function HowItWorks() {
  return (
    <div>
      <div className="max-w-2xl">
        <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">How it works</p>
        <h2 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 dark:text-white sm:text-4xl">
          Every request, accounted for
        </h2>
      </div>
      <ol className="mt-12 grid grid-cols-1 gap-px overflow-hidden rounded-2xl bg-slate-200 dark:bg-slate-700 ring-1 ring-slate-200 dark:ring-slate-700 sm:grid-cols-2 lg:grid-cols-3">
        {stages.map((stage, index) => (
          <li key={stage.name} className="bg-white dark:bg-slate-900 p-6">
            <p className="font-mono text-xs font-medium text-indigo-600 dark:text-indigo-400">
              {String(index + 1).padStart(2, "0")}
            </p>
            <h3 className="mt-2 font-semibold text-slate-900 dark:text-white">{stage.name}</h3>
            <p className="mt-2 text-sm leading-6 text-slate-600 dark:text-slate-400">{stage.body}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
