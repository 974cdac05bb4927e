"use client";

import { useId } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import {
  type AccountFormState,
  changeEmailAction,
  changePasswordAction,
  deleteAccountAction,
  resendVerificationAction,
  updateNameAction,
  updateNotificationsAction,
} from "../actions";

const initial: AccountFormState = { ok: false };

/** The outcome line under a form: a status when it worked, an alert when it did not. */
function Outcome({ state }: { state: AccountFormState }) {
  if (!state.message) return null;
  if (!state.ok) return <FieldError errors={[state.message]} />;
  return (
    <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
      {state.message}
    </p>
  );
}

export function NameForm({ name }: { name: string | null }) {
  const { state, onSubmit, pending } = useActionForm(updateNameAction, initial);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <Field label="Name" name="name" autoComplete="name" defaultValue={name ?? ""} maxLength={80} errors={state.errors?.name} hint="Shown to your teammates. Optional." />
      <Outcome state={state} />
      <Button type="submit" variant="secondary" pending={pending}>
        {pending ? "Saving…" : "Save name"}
      </Button>
    </form>
  );
}

export function ChangeEmailForm({ hasPassword }: { hasPassword: boolean }) {
  const { state, onSubmit, pending } = useActionForm(changeEmailAction, initial);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <Field label="New email address" name="email" type="email" autoComplete="email" required errors={state.errors?.email} />
      {hasPassword && <Field label="Current password" name="password" id="field-email-password" type="password" autoComplete="current-password" required errors={state.errors?.password} />}
      <Outcome state={state} />
      <Button type="submit" variant="secondary" pending={pending}>
        {pending ? "Sending…" : "Send confirmation link"}
      </Button>
    </form>
  );
}

export function ChangePasswordForm() {
  const { state, onSubmit, pending } = useActionForm(changePasswordAction, initial);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required errors={state.errors?.currentPassword} />
      <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required errors={state.errors?.newPassword} hint="At least 10 characters, at most 72 bytes." />
      <Outcome state={state} />
      <Button type="submit" variant="secondary" pending={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}

export function NotificationsForm({ notifyKeyExpiry, notifyKeyRevoked }: { notifyKeyExpiry: boolean; notifyKeyRevoked: boolean }) {
  const { state, onSubmit, pending } = useActionForm(updateNotificationsAction, initial);
  return (
    <form onSubmit={onSubmit} className="space-y-3">
      <fieldset className="space-y-2">
        <legend className="sr-only">Optional notices</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="notifyKeyExpiry" defaultChecked={notifyKeyExpiry} className="mt-0.5 size-4 accent-indigo-600" />
          <span>
            <span className="font-medium">Key expiry reminders</span>
            <span className="block text-zinc-500 dark:text-zinc-400">7 days and 1 day before a key expires, and a day before a roll&apos;s grace ends.</span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="notifyKeyRevoked" defaultChecked={notifyKeyRevoked} className="mt-0.5 size-4 accent-indigo-600" />
          <span>
            <span className="font-medium">Revoked keys</span>
            <span className="block text-zinc-500 dark:text-zinc-400">When an admin revokes one of your keys, or a leak report does.</span>
          </span>
        </label>
      </fieldset>
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        Security notices (a new sign-in, a password or email change, two-factor turned off) are always sent: they cannot be turned off.
      </p>
      <Outcome state={state} />
      <Button type="submit" variant="secondary" pending={pending}>
        {pending ? "Saving…" : "Save notification settings"}
      </Button>
    </form>
  );
}

/** The "resend" of the verification banner and the account page's email section. */
export function ResendVerificationForm({ label = "Resend the link" }: { label?: string }) {
  const { state, onSubmit, pending } = useActionForm(resendVerificationAction, initial);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="secondary" size="sm" pending={pending}>
        {pending ? "Sending…" : label}
      </Button>
      <Outcome state={state} />
    </form>
  );
}

export function DeleteAccountForm({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  const { state, onSubmit, pending } = useActionForm(deleteAccountAction, initial);
  const warningId = useId();
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-describedby={warningId}>
      <p id={warningId} className="text-sm text-zinc-600 dark:text-zinc-400">
        Your personal API keys are revoked at once and every session is signed out. Keys you created for a team keep working for the team. The
        audit log keeps its record of what the account did. This cannot be undone.
      </p>
      {hasPassword ? (
        <Field label="Your password" name="password" id="field-delete-password" type="password" autoComplete="current-password" required errors={state.errors?.password} />
      ) : (
        <Field label={`Type ${email} to confirm`} name="confirmEmail" autoComplete="off" required errors={state.errors?.confirmEmail} />
      )}
      <Outcome state={state} />
      <Button type="submit" variant="danger" pending={pending}>
        {pending ? "Deleting…" : "Delete my account"}
      </Button>
    </form>
  );
}
