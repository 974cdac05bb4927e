"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { signInErrorMessage } from "@/lib/sign-in-errors";
import { safeCallbackUrl } from "@/lib/validations/callback-url";
import { type AuthFormState, signInAction } from "../actions";

/**
 * The sign-in form posts to a server action (method POST, the action as the form's
 * action), so it works before hydration and without JavaScript, and the password travels
 * only in a POST body, never in a URL.
 */
export function SignInForm({ callbackUrl, githubEnabled, initialError }: { callbackUrl?: string; githubEnabled: boolean; initialError?: string }) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signInAction, {
    values: { email: "", name: "" },
    message: initialError ? signInErrorMessage(initialError) : undefined,
  });
  const destination = safeCallbackUrl(callbackUrl);
  const errors = state.errors ?? {};

  return (
    <div>
      <h1 className="text-xl font-semibold">Sign in</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Manage your API keys.</p>
      <form action={action} noValidate className="mt-6 space-y-4">
        <input type="hidden" name="callbackUrl" value={destination} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values.email} key={`email-${state.values.email}`} errors={errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
        <p className="-mt-2 text-right text-sm">
          <Link href="/forgot-password" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Forgot password?
          </Link>
        </p>
        {state.message && !errors.password && <FieldError errors={[state.message]} />}
        <Button type="submit" pending={pending} className="w-full">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {githubEnabled && (
        <Button variant="secondary" className="mt-3 w-full" onClick={() => signIn("github", { callbackUrl: destination })}>
          Continue with GitHub
        </Button>
      )}
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Create an account
        </Link>
      </p>
    </div>
  );
}
