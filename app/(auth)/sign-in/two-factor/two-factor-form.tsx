"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { type SecondStepState, twoFactorSignInAction } from "./actions";

/** The code form of the second sign-in step; it posts without JavaScript too. */
export function TwoFactorForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<SecondStepState, FormData>(twoFactorSignInAction, {});
  return (
    <div>
      <h1 className="text-xl font-semibold">Two-factor sign-in</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Enter the 6-digit code from your authenticator app.</p>
      <form action={action} noValidate className="mt-6 space-y-4">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field
          label="Authentication code"
          name="code"
          autoComplete="one-time-code"
          inputMode="text"
          spellCheck={false}
          required
          errors={state.errors?.code}
          hint="Lost your phone? Enter one of your recovery codes instead."
        />
        <FieldError errors={state.message ? [state.message] : undefined} />
        <Button type="submit" pending={pending} className="w-full">
          {pending ? "Checking…" : "Verify"}
        </Button>
      </form>
      {state.expired && (
        <Link href="/sign-in" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to sign-in
        </Link>
      )}
    </div>
  );
}
