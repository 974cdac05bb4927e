"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field";
import { type AcceptInviteState, acceptInviteAction } from "./actions";

/** One button: the POST that uses the invitation (lib/teams judges the account and the link). */
export function AcceptInviteForm({ teamName }: { teamName: string }) {
  const [state, action, pending] = useActionState<AcceptInviteState, FormData>(acceptInviteAction, { ok: false });
  return (
    <form action={action} className="mt-6 space-y-4">
      {state.message && <FieldError errors={[state.message]} />}
      <Button type="submit" pending={pending} className="w-full">
        {pending ? "Joining…" : `Join ${teamName}`}
      </Button>
    </form>
  );
}
