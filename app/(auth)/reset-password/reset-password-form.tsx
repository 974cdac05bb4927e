"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { type ResetPasswordState, resetPasswordAction } from "./actions";

export function ResetPasswordForm({ email }: { email: string }) {
  const [state, action, pending] = useActionState<ResetPasswordState, FormData>(resetPasswordAction, {});
  return (
    <div>
      <h1 className="text-xl font-semibold">Choose a new password</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        For <strong className="break-all">{email}</strong>. Every browser signed in to the account will be signed out.
      </p>
      <form action={action} noValidate className="mt-6 space-y-4">
        {/* Lets password managers file the new password under the right account. */}
        <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
        <Field label="New password" name="password" type="password" autoComplete="new-password" required errors={state.errors?.password} hint="At least 10 characters, at most 72 bytes." />
        {state.message && <FieldError errors={[state.message]} />}
        <Button type="submit" pending={pending} className="w-full">
          {pending ? "Saving…" : "Set new password"}
        </Button>
      </form>
    </div>
  );
}
