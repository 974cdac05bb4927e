"use client";

/**
 * What a dashboard form shows when its session ended elsewhere (signed out in another tab,
 * revoked from the sessions page): the server actions answer this message, and
 * useActionForm answers it too when the action never reached them (the proxy sends a
 * cookieless request to sign-in, which Next would otherwise show as "This page couldn't load").
 * The link opens sign-in in a new tab, so what is typed here stays; back here, submit again.
 */
export const SESSION_ENDED_MESSAGE = "Your session has ended. Sign in again.";

export function isSessionEnded(state: unknown): boolean {
  return typeof state === "object" && state !== null && (state as { message?: unknown }).message === SESSION_ENDED_MESSAGE;
}

export function SessionEndedNotice() {
  const here = typeof window === "undefined" ? "/dashboard" : window.location.pathname + window.location.search;
  return (
    <p role="alert" className="text-sm text-red-600 dark:text-red-400">
      Your session ended —{" "}
      <a href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`} target="_blank" rel="noopener" className="font-medium underline">
        Sign in again
      </a>{" "}
      (in a new tab: what you typed stays here), then submit again.
    </p>
  );
}
