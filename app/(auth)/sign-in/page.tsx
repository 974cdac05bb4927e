import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser, githubEnabled } from "@/lib/auth";
import { safeCallbackUrl } from "../_components/safe-callback";
import { SignInForm } from "../_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  if (await currentUser()) redirect(safeCallbackUrl(callbackUrl));
  // next-auth's credentials endpoint answers an account with two-factor this way (lib/auth.ts).
  if (error === "two_factor_required") redirect("/sign-in/two-factor");
  return <SignInForm callbackUrl={callbackUrl} githubEnabled={githubEnabled} initialError={error} />;
}
