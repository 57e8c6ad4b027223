import type { Metadata } from "next";
import type { ReactNode } from "react";
import { THEME_SCRIPT } from "@/lib/theme";
import { TRPCReactProvider } from "@/lib/trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Junction — one API for every model", template: "%s · Junction" },
  description:
    "Junction is an open, self-hostable LLM gateway: one OpenAI- and Anthropic-compatible API over many models, exact nano-dollar billing and a signed receipt for every request.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The head script sets the "dark" class before React hydrates, hence suppressHydrationWarning on <html>.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours (no user input) */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-dvh bg-white dark:bg-slate-950 font-sans text-slate-900 dark:text-white antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
