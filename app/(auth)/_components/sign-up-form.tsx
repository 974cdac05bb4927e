"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { fieldErrorsOf, type FieldErrors, signUpSchema } from "@/lib/validations/auth";
import { signUp } from "../actions";

export function SignUpForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // The same schema runs here for instant messages and on the server as the rule.
    const parsed = signUpSchema.safeParse({ name: form.get("name") ?? undefined, email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setErrors({});
    setFormError(undefined);
    startTransition(async () => {
      const result = await signUp(form);
      if (!result.ok) {
        setErrors(result.errors ?? {});
        setFormError(result.message);
        return;
      }
      const signedIn = await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
      if (!signedIn || signedIn.error) {
        router.push("/sign-in");
        return;
      }
      router.replace("/dashboard");
      router.refresh();
    });
  }

  return (
    <div>
      <h1 className="text-xl font-semibold">Create your account</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Issue and manage API keys in minutes.</p>
      <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
        <Field label="Name" name="name" autoComplete="name" errors={errors.name} hint="Optional. Shown to admins." />
        <Field label="Email" name="email" type="email" autoComplete="email" required errors={errors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          errors={errors.password}
          hint="At least 10 characters. Common passwords are refused."
        />
        <FieldError errors={formError ? [formError] : undefined} />
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
