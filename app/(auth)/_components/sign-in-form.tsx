"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { signInErrorMessage } from "@/lib/sign-in-errors";
import { fieldErrorsOf, type FieldErrors, signInSchema } from "@/lib/validations/auth";
import { safeCallbackUrl } from "./safe-callback";

export function SignInForm({ callbackUrl, githubEnabled, initialError }: { callbackUrl?: string; githubEnabled: boolean; initialError?: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | undefined>(initialError ? signInErrorMessage(initialError) : undefined);
  const [pending, startTransition] = useTransition();
  const destination = safeCallbackUrl(callbackUrl);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      setFormError(undefined);
      return;
    }
    setErrors({});
    startTransition(async () => {
      const result = await signIn("credentials", { ...parsed.data, redirect: false });
      if (!result || result.error) {
        const message = signInErrorMessage(result?.error);
        setFormError(message);
        setErrors(result?.error === "CredentialsSignin" ? { password: [message] } : {});
        return;
      }
      router.replace(destination);
      router.refresh();
    });
  }

  return (
    <div>
      <h1 className="text-xl font-semibold">Sign in</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Manage your API keys.</p>
      <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
        <Field label="Email" name="email" type="email" autoComplete="email" required errors={errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
        {formError && !errors.password && <FieldError errors={[formError]} />}
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
