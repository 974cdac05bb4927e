"use client";

import { startTransition, useActionState } from "react";
import { SESSION_ENDED_MESSAGE } from "../session-ended-notice";

/** Whether the browser holds no session any more (next-auth answers {} for none). */
async function sessionEnded(): Promise<boolean> {
  try {
    const response = await fetch("/api/auth/session", { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) return false;
    const session = (await response.json()) as { user?: unknown } | null;
    return !session?.user;
  } catch {
    return false;
  }
}

/**
 * useActionState for forms that must keep what the user typed when the server refuses
 * it. A plain `<form action>` is reset by React after every submission; submitting
 * through onSubmit keeps the fields as they were, so a bad field loses nothing.
 *
 * `onResult` runs as soon as the action answers, before React commits the new tree: a
 * toast raised there survives even when the refreshed page no longer renders this form
 * (the revoke button of a key that is now revoked, say).
 */
export function useActionForm<State>(
  action: (state: State, formData: FormData) => Promise<State>,
  initial: State,
  onResult?: (state: State) => void,
) {
  const [state, dispatch, pending] = useActionState<State, FormData>(async (previous, formData) => {
    let result: State;
    try {
      result = await action(previous as State, formData);
    } catch (error) {
      // A tab whose session ended elsewhere: the cookieless POST is redirected to sign-in and
      // Next throws at the HTML it gets back, which would replace the page with its generic
      // error. When the session is indeed gone, answer what the actions answer for it, so
      // the form says so and keeps what was typed; any other failure is thrown as before.
      if (!(await sessionEnded())) throw error;
      result = { ...(previous as object), ok: false, errors: undefined, message: SESSION_ENDED_MESSAGE } as State;
    }
    onResult?.(result);
    return result;
  }, initial as Awaited<State>);
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => dispatch(formData));
  }
  return { state, onSubmit, pending };
}
