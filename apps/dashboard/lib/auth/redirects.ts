import { serverApi } from "@/lib/trpc/server";

/** Only same-origin paths: an open redirect after sign-in would be a phishing aid. */
export function safeCallbackUrl(value: string | string[] | undefined): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return candidate?.startsWith("/") && !candidate.startsWith("//") && !candidate.startsWith("/\\")
    ? candidate
    : "/overview";
}

/** Whether the visitor has a session for a user that still exists (a deleted user's cookie does not count). */
export async function isSignedIn(): Promise<boolean> {
  const api = await serverApi();
  return api.account.me().then(
    (me) => me !== null,
    () => false,
  );
}

const SIGN_IN_ERRORS: Record<string, string> = {
  OAuthAccountNotLinked:
    "An account with this email already exists. Sign in with your password; the provider did not confirm the address.",
  OAuthNoEmail: "The provider did not share a usable email address.",
  CredentialsSignin: "Invalid email or password",
  SessionRequired: "Sign in to continue.",
};

export function signInErrorMessage(code: string | string[] | undefined): string | undefined {
  const value = Array.isArray(code) ? code[0] : code;
  if (!value) return undefined;
  return SIGN_IN_ERRORS[value] ?? "Sign-in failed. Please try again.";
}
