import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/lib/trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Junction — one API for every model", template: "%s · Junction" },
  description:
    "Junction is an open, self-hostable LLM gateway: one OpenAI- and Anthropic-compatible API over many models, exact nano-dollar billing and a signed receipt for every request.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-white font-sans text-slate-900 antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
