import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <ComingSoon
      title="Sign in to Junction"
      description="Accounts, API keys and usage dashboards are on their way. Until then, the quickstart on the home page shows how to call the gateway directly."
      alternate={{ href: "/signup", prompt: "New to Junction?", label: "Create an account" }}
    />
  );
}
