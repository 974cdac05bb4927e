"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/lib/auth";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/read-notifications";

// Each action reads the caller from the session cookie and changes only that user's notices.

const markReadSchema = z.object({ notificationId: z.string().min(1).max(100) });

/** Marks one notice read. */
export async function markNotificationReadAction(formData: FormData): Promise<void> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const parsed = markReadSchema.safeParse({ notificationId: formData.get("notificationId") });
  if (!parsed.success) return;
  await markNotificationRead(user.id, parsed.data.notificationId);
  revalidatePath("/dashboard", "layout");
}

/** Marks every notice of the caller read. */
export async function markAllNotificationsReadAction(): Promise<void> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  await markAllNotificationsRead(user.id);
  revalidatePath("/dashboard", "layout");
}
