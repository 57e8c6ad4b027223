import { buttonClasses } from "@junction/ui";
import Link from "next/link";
import { connection } from "next/server";
import { Features } from "@/components/features";
import { HowItWorks } from "@/components/how-it-works";
import { Quickstart } from "@/components/quickstart";
import { ReceiptPreview } from "@/components/receipt-preview";
import { gatewayUrl } from "@/lib/env";

const highlights = ["OpenAI-compatible", "Anthropic-compatible", "Streaming", "Automatic fallbacks"] as const;

export default async function LandingPage() {
  // Render per request so GATEWAY_URL comes from the running server's environment, not the build machine's.
  await connection();
  const gateway = gatewayUrl();

  return (
    <>
      <section className="relative isolate overflow-hidden bg-slate-950 text-white">
        <div
          aria-hidden="true"
          className="absolute inset-0 -z-10 bg-[radial-gradient(60%_60%_at_75%_0%,rgb(79_70_229/0.35),transparent_70%)]"
        />
        <div
          aria-hidden="true"
          className="absolute inset-0 -z-10 bg-[linear-gradient(to_right,rgb(255_255_255/0.04)_1px,transparent_1px),linear-gradient(to_bottom,rgb(255_255_255/0.04)_1px,transparent_1px)] mask-[radial-gradient(ellipse_80%_70%_at_50%_0%,black,transparent)] bg-size-[56px_56px]"
        />
        <div className="mx-auto grid max-w-6xl grid-cols-1 gap-12 px-6 pt-20 pb-24 lg:grid-cols-[minmax(0,1fr)_24rem] lg:items-center lg:pt-24 lg:pb-28">
          <div>
            <p className="inline-flex items-center gap-2 rounded-full bg-white/5 px-3 py-1 text-xs font-medium text-slate-300 ring-1 ring-white/15">
              <span className="size-1.5 rounded-full bg-emerald-400" />
              Open source LLM gateway
            </p>
            <h1 className="mt-6 text-4xl font-semibold tracking-tight text-balance sm:text-5xl sm:leading-[1.08]">
              <span className="block">One API for every model.</span>{" "}
              <span className="block text-slate-400">Exact money.</span>{" "}
              <span className="block bg-linear-to-r from-indigo-300 via-violet-300 to-sky-300 bg-clip-text text-transparent">
                Signed receipts.
              </span>
            </h1>
            <p className="mt-6 max-w-xl text-lg leading-8 text-slate-300">
              Point the official OpenAI or Anthropic SDK at Junction and reach every provider through one key.
              Costs are counted in whole nano-dollars, and every request comes back with a receipt you can
              verify.
            </p>
            <div className="mt-8 flex flex-wrap items-center gap-3">
              <Link href="/signup" className={buttonClasses({ size: "lg" })}>
                Create an account
              </Link>
              <Link
                href="#quickstart"
                className={buttonClasses({
                  variant: "ghost",
                  size: "lg",
                  className: "text-white ring-1 ring-white/20 ring-inset",
                })}
              >
                Read the quickstart <span aria-hidden="true">→</span>
              </Link>
            </div>
            <ul className="mt-10 flex flex-wrap gap-x-5 gap-y-2 text-sm text-slate-400">
              {highlights.map((item) => (
                <li key={item} className="flex items-center gap-2">
                  <span className="size-1 rounded-full bg-slate-500" />
                  {item}
                </li>
              ))}
            </ul>
          </div>
          <ReceiptPreview />
        </div>
      </section>

      <section id="features" className="bg-white dark:bg-slate-900 py-24">
        <div className="mx-auto max-w-6xl px-6">
          <Features />
        </div>
      </section>

      <section
        id="quickstart"
        className="border-y border-slate-200 dark:border-slate-800 bg-slate-50 dark:bg-slate-950 py-24"
      >
        <div className="mx-auto max-w-6xl px-6">
          <Quickstart gatewayUrl={gateway} />
        </div>
      </section>

      <section id="how-it-works" className="bg-white dark:bg-slate-900 py-24">
        <div className="mx-auto max-w-6xl px-6">
          <HowItWorks />
        </div>
      </section>

      <section className="bg-white dark:bg-slate-900 pb-24">
        <div className="mx-auto max-w-6xl px-6">
          <div className="relative isolate overflow-hidden rounded-3xl bg-slate-950 px-8 py-14 text-center sm:px-16">
            <div
              aria-hidden="true"
              className="absolute inset-0 -z-10 bg-[radial-gradient(50%_80%_at_50%_100%,rgb(79_70_229/0.4),transparent)]"
            />
            <h2 className="text-3xl font-semibold tracking-tight text-white">Start in the sandbox.</h2>
            <p className="mx-auto mt-4 max-w-xl text-base leading-7 text-slate-300">
              The built-in sandbox model streams deterministic text with real token counts and real prices, so
              you can wire up keys, billing and receipts before adding a single provider.
            </p>
            <div className="mt-8 flex flex-wrap justify-center gap-3">
              <Link href="/signup" className={buttonClasses({ variant: "inverse", size: "lg" })}>
                Create an account
              </Link>
              <Link
                href="/signin"
                className={buttonClasses({
                  variant: "ghost",
                  size: "lg",
                  className: "text-white ring-1 ring-white/20 ring-inset",
                })}
              >
                Sign in
              </Link>
            </div>
          </div>
        </div>
      </section>
    </>
  );
}
