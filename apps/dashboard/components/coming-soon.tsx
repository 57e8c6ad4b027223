import { buttonClasses, Card } from "@junction/ui";
import Link from "next/link";

export interface ComingSoonProps {
  title: string;
  description: string;
  alternate: { href: "/signin" | "/signup"; prompt: string; label: string };
}

/** Placeholder for pages whose real implementation lands with authentication. */
export function ComingSoon({ title, description, alternate }: ComingSoonProps) {
  return (
    <div className="flex flex-1 items-center justify-center bg-slate-50 px-6 py-24">
      <Card className="w-full max-w-md p-8 text-center">
        <p className="text-sm font-semibold text-indigo-600">Coming soon</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        <p className="mt-3 text-sm leading-6 text-slate-600">{description}</p>
        <div className="mt-8 flex flex-col gap-3">
          <Link href="/" className={buttonClasses({ variant: "secondary" })}>
            Back to home
          </Link>
          <p className="text-sm text-slate-500">
            {alternate.prompt}{" "}
            <Link href={alternate.href} className="font-medium text-indigo-600 hover:text-indigo-500">
              {alternate.label}
            </Link>
          </p>
        </div>
      </Card>
    </div>
  );
}
