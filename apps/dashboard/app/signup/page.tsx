import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";

export const metadata: Metadata = { title: "Sign up" };

export default function SignUpPage() {
  return (
    <ComingSoon
      title="Create your Junction account"
      description="Sign-up opens with the first dashboard release: teams, API keys, credit top-ups and cost charts."
      alternate={{ href: "/signin", prompt: "Already have an account?", label: "Sign in" }}
    />
  );
}
