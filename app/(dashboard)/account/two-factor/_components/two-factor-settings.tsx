"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { disableTwoFactorAction, regenerateRecoveryCodesAction, type TwoFactorFormState } from "../actions";
import { RecoveryCodesPanel } from "./recovery-codes-panel";

const PROOF_HINT = "Your password, or a code from your authenticator app or a recovery code.";

function ProofField({ id, errors }: { id: string; errors?: string[] }) {
  return <Field id={id} label="Password or code" name="proof" type="password" autoComplete="current-password" required errors={errors} hint={PROOF_HINT} className="max-w-xs" />;
}

/** New recovery codes in place of the old ones, after a password or a code. */
export function RegenerateRecoveryCodes() {
  const [state, action, pending] = useActionState<TwoFactorFormState, FormData>(regenerateRecoveryCodesAction, { ok: false });
  if (state.ok && state.recoveryCodes) return <RecoveryCodesPanel codes={state.recoveryCodes} heading="Your new recovery codes" />;
  return (
    <form action={action} noValidate className="space-y-3" aria-label="Regenerate recovery codes">
      <ProofField id="regenerate-proof" errors={state.errors?.proof} />
      <FieldError errors={state.message ? [state.message] : undefined} />
      <Button type="submit" variant="secondary" pending={pending}>
        Regenerate recovery codes
      </Button>
    </form>
  );
}

/** Turns two-factor off, after a password or a code. */
export function DisableTwoFactor() {
  const [state, action, pending] = useActionState<TwoFactorFormState, FormData>(disableTwoFactorAction, { ok: false });
  return (
    <form action={action} noValidate className="space-y-3" aria-label="Turn off two-factor sign-in">
      <ProofField id="disable-proof" errors={state.errors?.proof} />
      {state.message && (state.ok ? <p role="status" className="text-sm">{state.message}</p> : <FieldError errors={[state.message]} />)}
      <Button type="submit" variant="danger" pending={pending}>
        Turn off two-factor
      </Button>
    </form>
  );
}
