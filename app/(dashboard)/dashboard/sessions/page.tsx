import type { Metadata } from "next";
import { Time } from "@/components/format/dates";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { requireUser } from "@/lib/auth";
import { listActiveSessions } from "@/lib/sessions/list-sessions";
import { signOutEverywhereAction, signOutOtherSessionsAction, signOutSessionAction } from "../../actions";

export const metadata: Metadata = { title: "Sessions" };

const METHODS: Record<string, string> = { credentials: "Password", github: "GitHub" };

export default async function SessionsPage() {
  const user = await requireUser();
  const sessions = await listActiveSessions(user.id);
  const others = sessions.filter((session) => session.id !== user.sessionId).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Sessions</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Browsers signed in to your account. Sign out any you do not recognize; a session unused for a while ends by itself.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <form action={signOutOtherSessionsAction}>
            <Button type="submit" variant="secondary" disabled={others === 0}>
              Sign out everywhere else
            </Button>
          </form>
          <form action={signOutEverywhereAction}>
            <Button type="submit" variant="danger">
              Sign out everywhere
            </Button>
          </form>
        </div>
      </div>

      <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Your active sessions</caption>
          <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">Device</th>
              <th scope="col" className="px-4 py-3 font-medium">IP address</th>
              <th scope="col" className="px-4 py-3 font-medium">Signed in</th>
              <th scope="col" className="px-4 py-3 font-medium">Last seen</th>
              <th scope="col" className="px-4 py-3 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {sessions.map((session) => {
              const current = session.id === user.sessionId;
              return (
                <tr key={session.id} data-testid="session-row">
                  <td className="px-4 py-3">
                    <span className="font-medium">{session.device}</span>{" "}
                    <span className="text-zinc-500 dark:text-zinc-400">· {METHODS[session.method] ?? session.method}</span>{" "}
                    {current && <Badge tone="green">This device</Badge>}
                  </td>
                  <td className="px-4 py-3 font-mono text-xs">{session.ip ?? "unknown"}</td>
                  <td className="px-4 py-3"><Time date={session.createdAt} /></td>
                  <td className="px-4 py-3"><Time date={session.lastSeenAt} /></td>
                  <td className="px-4 py-3 text-right">
                    <form action={signOutSessionAction}>
                      <input type="hidden" name="sessionId" value={session.id} />
                      <Button type="submit" variant="ghost" size="sm" aria-label={current ? "Sign out this device" : `Sign out ${session.device} at ${session.ip ?? "an unknown address"}`}>
                        Sign out
                      </Button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
