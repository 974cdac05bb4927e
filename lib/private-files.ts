import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

/**
 * Files only Keyport's own OS account may read: the SQLite database (key hashes, password
 * hashes, the audit log) and the data/ folder that holds it. No Next.js or env imports, so
 * the migration script (which runs before the app's env is valid) can use it too.
 */

/** Creates `dir` and any missing parent with mode 0700; a folder that exists is left as it is. */
export function createPrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Creates an empty SQLite database file with mode 0600 (in a 0700 folder) unless it exists.
 * SQLite would create it 0644 (less the umask); it gives the -wal, -shm and -journal files
 * it makes beside a database the database file's own mode, so they are 0600 too.
 */
export function createPrivateSqliteFile(file: string): void {
  createPrivateDir(path.dirname(file));
  try {
    closeSync(openSync(file, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
