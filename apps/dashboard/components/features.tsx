import { Card, CardHeader } from "@junction/ui";
import type { ReactNode } from "react";
import { CheckIcon, CoinsIcon, RouteIcon, ShieldCheckIcon } from "./icons";

interface Feature {
  icon: ReactNode;
  title: string;
  description: string;
  points: readonly string[];
}

const features: readonly Feature[] = [
  {
    icon: <RouteIcon />,
    title: "One API for every model",
    description:
      "OpenAI- and Anthropic-compatible endpoints over many providers. Route by price, latency or your own preferences, with automatic fallbacks.",
    points: [
      "/v1/chat/completions and /v1/messages",
      "Streaming passed straight through",
      "Policies: allowlists, max price, data rules",
    ],
  },
  {
    icon: <CoinsIcon />,
    title: "Exact money",
    description:
      "Every price and every charge is an integer number of nano-dollars. The worst case is reserved before a provider is called; usage settles the rest.",
    points: [
      "Append-only credit ledger",
      "Per-key spend limits, enforced up front",
      "Unpriced models are refused, never free",
    ],
  },
  {
    icon: <ShieldCheckIcon />,
    title: "Signed receipts",
    description:
      "Each generation gets a receipt: the route, every attempt, token counts and the cost arithmetic, in canonical JSON signed with Ed25519.",
    points: [
      "GET /v1/generations/:id",
      "Verify offline with the public key",
      "Policy and price-table versions pinned",
    ],
  },
];

export function Features() {
  return (
    <div>
      <div className="max-w-2xl">
        <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">Why Junction</p>
        <h2 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 dark:text-white sm:text-4xl">
          A gateway you can audit, down to the last nano-dollar
        </h2>
        <p className="mt-4 text-base leading-7 text-slate-600 dark:text-slate-400">
          Run it yourself or let your team share one account: every tenant gets its own keys, credit, limits
          and request history.
        </p>
      </div>
      <div className="mt-12 grid grid-cols-1 gap-6 md:grid-cols-3">
        {features.map((feature) => (
          <Card key={feature.title} className="flex flex-col">
            <CardHeader icon={feature.icon} title={feature.title} description={feature.description} />
            <ul className="mt-6 space-y-2.5 border-t border-slate-100 dark:border-slate-800 pt-5 text-sm text-slate-700 dark:text-slate-300">
              {feature.points.map((point) => (
                <li key={point} className="flex gap-2.5">
                  <CheckIcon />
                  <span>{point}</span>
                </li>
              ))}
            </ul>
          </Card>
        ))}
      </div>
    </div>
  );
}
