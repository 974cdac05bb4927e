"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { isSessionEnded, SessionEndedNotice } from "@/components/session-ended-notice";
import { createTeamAction, type TeamActionState } from "../actions";

/** A suggestion for the URL name while the user has not typed one: lower-case words joined by dashes. */
export function suggestSlug(name: string) {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

/** Name and URL name, each with its error next to it; lib/teams judges both. */
export function CreateTeamForm() {
  const { state, onSubmit, pending } = useActionForm<TeamActionState>(createTeamAction, { ok: false });
  const [name, setName] = useState("");
  const [slug, setSlug] = useState<string | null>(null);
  const shownSlug = slug ?? suggestSlug(name);
  const fieldError = Boolean(state.errors?.name || state.errors?.slug);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <Field label="Team name" name="name" required maxLength={80} autoFocus value={name} onChange={(event) => setName(event.target.value)} errors={state.errors?.name} hint="Shown to its members, e.g. “Acme payments”." />
      <Field
        label="URL name"
        name="slug"
        required
        maxLength={40}
        value={shownSlug}
        onChange={(event) => setSlug(event.target.value)}
        errors={state.errors?.slug}
        hint={<>Lower-case letters, digits and dashes: /dashboard/teams/<strong>{shownSlug || "…"}</strong></>}
        autoCapitalize="none"
        spellCheck={false}
      />
      {isSessionEnded(state) ? <SessionEndedNotice /> : !fieldError && <FieldError errors={!state.ok && state.message ? [state.message] : undefined} />}
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          Create team
        </Button>
      </div>
    </form>
  );
}
