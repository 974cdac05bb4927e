import { db } from "@/lib/db";

/**
 * The token of the newest mail of `kind` queued for `to`, read from its outbox row: for files
 * where no worker runs, so the row still holds the text the mail will carry.
 */
export async function tokenMailedTo(to: string, kind: string): Promise<string> {
  const mail = await db.outboxMessage.findFirst({ where: { to, kind }, orderBy: { createdAt: "desc" }, select: { text: true } });
  const link = mail?.text.match(/https?:\/\/\S+/g)?.find((url) => new URL(url).searchParams.has("token"));
  if (!link) throw new Error(`no ${kind} link mailed to ${to}`);
  return new URL(link).searchParams.get("token")!;
}
