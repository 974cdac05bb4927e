"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { type AuthFormState, signUpAction } from "../actions";

/**
 * The sign-up form posts to a server action (method POST, the action as the form's
 * action), so it works before hydration and without JavaScript, and the password travels
 * only in a POST body, never in a URL. The server's schema is the rule; its messages come
 * back next to each field.
 */
export function SignUpForm() {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signUpAction, { values: { email: "", name: "" } });
  const errors = state.errors ?? {};

  return (
    <div>
      <h1 className="text-xl font-semibold">Create your account</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Issue and manage API keys in minutes.</p>
      <form action={action} noValidate className="mt-6 space-y-4">
        <Field label="Name" name="name" autoComplete="name" defaultValue={state.values.name} key={`name-${state.values.name}`} errors={errors.name} hint="Optional. Shown to admins." />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values.email} key={`email-${state.values.email}`} errors={errors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          errors={errors.password}
          hint="At least 10 characters (at most 72 bytes). Common passwords are refused."
        />
        <FieldError errors={state.message ? [state.message] : undefined} />
        <Button type="submit" pending={pending} className="w-full">
          {pending ? "Creating account…" : "Create account"}
        </Button>
      </form>
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>
      </p>
    </div>
  );
}
