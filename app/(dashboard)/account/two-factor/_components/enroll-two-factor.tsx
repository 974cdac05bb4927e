"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { confirmEnrollmentAction, type TwoFactorFormState } from "../actions";
import { RecoveryCodesPanel } from "./recovery-codes-panel";

/** Scan (or type) the secret, prove one code, get the recovery codes. */
export function EnrollTwoFactor({ secret, qrDataUrl, enrollmentToken, hasPassword }: { secret: string; qrDataUrl: string; enrollmentToken: string; hasPassword: boolean }) {
  const [state, action, pending] = useActionState<TwoFactorFormState, FormData>(confirmEnrollmentAction, { ok: false });
  if (state.ok && state.recoveryCodes) {
    return (
      <div className="space-y-4">
        <p role="status" className="text-sm font-medium text-green-700 dark:text-green-400">
          Two-factor sign-in is on.
        </p>
        <RecoveryCodesPanel codes={state.recoveryCodes} heading="Your recovery codes" />
      </div>
    );
  }
  return (
    <section className="space-y-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <h2 className="font-medium">Set up two-factor sign-in</h2>
      <ol className="list-decimal space-y-4 pl-5 text-sm">
        <li>
          Scan this QR code with your authenticator app.
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server; nothing to optimise */}
          <img src={qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} className="mt-2 rounded border border-zinc-200 bg-white p-1 dark:border-zinc-700" />
        </li>
        <li>
          Or type this key into the app by hand:
          <code data-testid="totp-secret" className="mt-1 block break-all rounded bg-zinc-100 px-2 py-1 font-mono text-sm dark:bg-zinc-800">
            {secret.match(/.{1,4}/g)!.join(" ")}
          </code>
        </li>
        <li>Enter the 6-digit code the app shows{hasPassword ? ", and your password" : ""}.</li>
      </ol>
      <form action={action} noValidate className="space-y-3">
        <input type="hidden" name="enrollmentToken" value={enrollmentToken} />
        <Field label="Code from your app" name="code" autoComplete="one-time-code" inputMode="numeric" required errors={state.errors?.code} className="max-w-xs" />
        {hasPassword && <Field label="Current password" name="password" type="password" autoComplete="current-password" required errors={state.errors?.password} className="max-w-xs" />}
        <FieldError errors={state.message ? [state.message] : undefined} />
        <Button type="submit" pending={pending}>
          {pending ? "Checking…" : "Turn on two-factor"}
        </Button>
      </form>
    </section>
  );
}
