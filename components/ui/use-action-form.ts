"use client";

import { startTransition, useActionState } from "react";

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
    const result = await action(previous as State, formData);
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
