/**
 * On SQLite another process sharing the file (the server, while the CLI or a test writes) can
 * commit between a transaction's read and its write. SQLite then refuses the transaction at
 * once (SQLITE_BUSY, which Prisma reports as "Operation has timed out"): waiting would not
 * help, since its snapshot is already stale. It was rolled back whole, so it is run again, a
 * few times with a growing pause, before the error is passed on. Within one process this
 * cannot happen (lib/serialized-sqlite.ts serializes its transactions).
 */
export async function withBusyRetries<T>(attempt: () => Promise<T>, { tries = 5, firstPauseMs = 200 } = {}): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      const busy = error instanceof Error && /Operation has timed out|SQLITE_BUSY/.test(error.message);
      if (!busy || tried >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, firstPauseMs * 2 ** (tried - 1)));
    }
  }
}
