"use client";

import { startTransition, useActionState } from "react";

/**
 * useActionState for forms that must keep what the user typed when the server refuses
 * it. A plain `<form action>` is reset by React after every submission; submitting
 * through onSubmit keeps the fields as they were, so a bad field loses nothing.
 */
export function useActionForm<State>(action: (state: State, formData: FormData) => Promise<State>, initial: State) {
  const [state, dispatch, pending] = useActionState<State, FormData>(action, initial as Awaited<State>);
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => dispatch(formData));
  }
  return { state, onSubmit, pending };
}
