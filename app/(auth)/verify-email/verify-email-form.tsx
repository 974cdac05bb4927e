"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field";
import { confirmEmailAction, type VerifyEmailState } from "./actions";

/** One button: the POST that uses the link (a mail scanner's GET of the link uses nothing). */
export function VerifyEmailForm({ email, purpose }: { email: string; purpose: "verify_email" | "change_email" }) {
  const [state, action, pending] = useActionState<VerifyEmailState, FormData>(confirmEmailAction, {});
  const change = purpose === "change_email";
  return (
    <div>
      <h1 className="text-xl font-semibold">{change ? "Confirm your new email address" : "Verify your email address"}</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        {change ? (
          <>Your account&apos;s email address becomes <strong className="break-all">{email}</strong>. The old address gets a notice.</>
        ) : (
          <>Confirm that <strong className="break-all">{email}</strong> is yours. Then you can create API keys.</>
        )}
      </p>
      <form action={action} className="mt-6 space-y-4">
        {state.message && <FieldError errors={[state.message]} />}
        <Button type="submit" pending={pending} className="w-full">
          {pending ? "Verifying…" : change ? "Confirm new email address" : "Verify email address"}
        </Button>
      </form>
      {state.message && (
        <p className="mt-4 text-center text-sm">
          <Link href="/dashboard" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">Go to the dashboard</Link>
        </p>
      )}
    </div>
  );
}
