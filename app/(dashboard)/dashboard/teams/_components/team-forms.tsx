"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, FieldError, SelectField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { isSessionEnded, SessionEndedNotice } from "@/components/session-ended-notice";
import { inviteMemberAction, renameTeamAction, type TeamActionState } from "../actions";

const toastSuccess = (result: TeamActionState) => {
  if (result.ok && result.message) toast.success(result.message);
};

/** The form-level message when no field holds it (a refusal, a session that ended). */
function FormMessage({ state, fields }: { state: TeamActionState; fields: string[] }) {
  if (isSessionEnded(state)) return <SessionEndedNotice />;
  if (state.ok || !state.message || fields.some((name) => state.errors?.[name]?.length)) return null;
  return <FieldError errors={[state.message]} />;
}

/** Renames the team (admins and owners; lib/teams checks). */
export function RenameTeamForm({ slug, name }: { slug: string; name: string }) {
  const { state, onSubmit, pending } = useActionForm<TeamActionState>(renameTeamAction, { ok: false }, toastSuccess);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-3" aria-label="Rename the team">
      <input type="hidden" name="team" value={slug} />
      <Field label="Team name" name="name" defaultValue={name} required maxLength={80} errors={state.errors?.name} className="min-w-60 flex-1" />
      <Button type="submit" variant="secondary" pending={pending}>
        Save name
      </Button>
      <div className="basis-full">
        <FormMessage state={state} fields={["name"]} />
      </div>
    </form>
  );
}

/**
 * Invites by email with a role. The link is in the answer once, to copy and pass on by
 * another way (it is also mailed); only its hash is stored, so it cannot be shown again.
 */
export function InviteForm({ slug, roles }: { slug: string; roles: { value: string; label: string }[] }) {
  const { state, onSubmit, pending } = useActionForm<TeamActionState>(inviteMemberAction, { ok: false }, toastSuccess);
  const [copied, setCopied] = useState(false);
  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      toast.success("Invitation link copied to the clipboard.");
    } catch {
      toast.error("The browser refused clipboard access. Select the link and copy it by hand.");
    }
  }
  return (
    <div className="space-y-4">
      <form method="post" onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-start" aria-label="Invite someone">
        <input type="hidden" name="team" value={slug} />
        <Field label="Email" name="email" type="email" required autoComplete="off" errors={state.errors?.email} />
        <SelectField label="Role" name="role" defaultValue={roles.find((role) => role.value === "developer")?.value ?? roles[0]?.value} options={roles} errors={state.errors?.role} />
        <Button type="submit" pending={pending} className="sm:mt-6">
          Send invitation
        </Button>
        <div className="sm:col-span-3">
          <FormMessage state={state} fields={["email", "role"]} />
        </div>
      </form>
      {state.ok && state.inviteUrl && (
        <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
          <p>
            <strong>{state.message}</strong> You can also pass this link on yourself. It is shown only now, works once, for 7 days, and only for that email address.
          </p>
          <div className="flex gap-2">
            <label htmlFor="invite-link" className="sr-only">
              Invitation link
            </label>
            <input
              id="invite-link"
              data-testid="invite-link"
              readOnly
              value={state.inviteUrl}
              onFocus={(event) => event.currentTarget.select()}
              className="block w-full min-w-0 rounded-md border border-zinc-300 bg-white px-3 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
              spellCheck={false}
            />
            <Button size="sm" variant={copied ? "secondary" : "primary"} onClick={() => copy(state.inviteUrl!)}>
              {copied ? "Copied" : "Copy link"}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
