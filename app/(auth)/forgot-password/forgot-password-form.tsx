"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { type ForgotPasswordState, forgotPasswordAction } from "./actions";

export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState<ForgotPasswordState, FormData>(forgotPasswordAction, { email: "" });
  return (
    <div>
      <h1 className="text-xl font-semibold">Reset your password</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">We will mail you a link to choose a new one.</p>
      {state.sent ? (
        <p role="status" className="mt-6 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          {state.message}
        </p>
      ) : (
        <form action={action} noValidate className="mt-6 space-y-4">
          <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.email} key={`email-${state.email}`} errors={state.errors?.email} />
          <Button type="submit" pending={pending} className="w-full">
            {pending ? "Sending…" : "Send reset link"}
          </Button>
        </form>
      )}
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
