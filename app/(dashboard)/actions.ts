"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth";
import { revokeSession, revokeUserSessions } from "@/lib/sessions/revoke-sessions";
import { clearSessionCookie } from "@/lib/sessions/session-cookie";

// Each action reads the caller's own session from its cookie and touches only that user's
// rows: a session id posted by anyone else's form changes nothing.

/** Signs this browser out: its Session row ends on the server, then its cookie goes. */
export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await revokeSession(user.id, user.sessionId);
  await clearSessionCookie();
  redirect("/sign-in");
}

/** Ends one of the caller's sessions; ending this browser's own is a sign-out. */
export async function signOutSessionAction(formData: FormData): Promise<void> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const sessionId = formData.get("sessionId");
  if (typeof sessionId !== "string" || !sessionId) return;
  await revokeSession(user.id, sessionId);
  if (sessionId === user.sessionId) {
    await clearSessionCookie();
    redirect("/sign-in");
  }
  revalidatePath("/dashboard/sessions");
}

/** Ends every session of the caller except this browser's. */
export async function signOutOtherSessionsAction(): Promise<void> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  await revokeUserSessions(user.id, user.sessionId);
  revalidatePath("/dashboard/sessions");
}

/** Ends every session of the caller, this browser's included. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await currentUser();
  if (user) await revokeUserSessions(user.id);
  await clearSessionCookie();
  redirect("/sign-in");
}
