import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, describe, expect, it, vi } from "vitest";

// This file's own SQLite database, shared by this process (the library), the CLI and a real
// `next start` that sends the queued mail. A separate file from no-secret-leaks.test.ts so
// its server runs against a database no other server has touched.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("no-token-leaks"));

import { db } from "@/lib/db";
import { requestPasswordReset, resetPassword } from "@/lib/users/reset-password";
import { signUpUser } from "@/lib/users/sign-up";
import { hashUserToken } from "@/lib/users/user-tokens";
import { confirmEmailToken } from "@/lib/users/verify-email";
import { migrateDatabase } from "@/scripts/migrate-database";
import { startCli } from "../fixtures/cli";
import { requireProductionBuild } from "../fixtures/production-build";
import { type Instance, startInstance } from "../scale/instances";

requireProductionBuild("/reset-password/open/route");

const keyport = (args: string[]) => startCli(databaseUrl, args).done;

let server: Instance | undefined;
afterAll(async () => {
  await server?.stop();
});

describe("no token leaks", () => {
  it(
    "verification and reset tokens are in their mail and in nothing else: not the server's output, the CLI's stderr, a page, a redirect's URL, or a stored row",
    async () => {
      await migrateDatabase(databaseUrl);
      const mailDir = mkdtempSync(path.join(os.tmpdir(), "keyport-leak-mail-"));
      const context = { ip: "127.0.0.1", userAgent: "no-secret-leaks" };
      const [signedUp, resetting] = ["tokens-a@leaks.test", "tokens-b@leaks.test"];
      await signUpUser({ email: signedUp, password: "correct horse battery staple" }, context);
      await signUpUser({ email: resetting, password: "correct horse battery staple" }, context);
      await requestPasswordReset(resetting, context);

      // The server sends the queued mail (no SMTP_URL: .eml files and one log line each); the CLI prints a link.
      const [started, cli] = await Promise.all([
        startInstance("tokens", { DATABASE_URL: databaseUrl, MAIL_DIR: mailDir, JOBS_INTERVAL_MS: "200", REDIS_URL: "", SMTP_URL: "" }),
        keyport(["users", "reset-password", signedUp]),
      ]);
      server = started;
      expect(cli.code).toBe(0);
      const links = [cli.stdout.trim()];
      // Only this test's mail (the other test's revocation notices may still be queued).
      const ours = async () => {
        const mails = await Promise.all(readdirSync(mailDir).filter((file) => file.endsWith(".eml")).sort().map(async (file) => simpleParser(readFileSync(path.join(mailDir, file)))));
        return mails.filter((mail) => [signedUp, resetting].some((to) => mail.text?.includes(to)));
      };
      await expect.poll(async () => (await ours()).length, { timeout: 20_000 }).toBe(3);
      for (const mail of await ours()) links.push(...(mail.text ?? "").match(/https?:\/\/\S+token=[A-Za-z0-9_-]{43}/g)!);
      const tokens = links.map((link) => new URL(link).searchParams.get("token")!);
      expect(new Set(tokens).size).toBe(4); // two verifications, two resets (mail and CLI)

      // Opening a link: a 303 to the page without the token, which rides only in the Set-Cookie.
      const responses: { what: string; body: string; location: string | null }[] = [];
      for (const link of links) {
        const { pathname, search } = new URL(link);
        const opened = await fetch(`${server.url}${pathname}${search}`, { redirect: "manual" });
        expect(opened.status).toBe(303);
        expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
        const cookie = opened.headers.getSetCookie()[0]!.split(";")[0]!;
        const page = await fetch(`${server.url}${opened.headers.get("location")}`, { headers: { cookie } });
        expect(page.status).toBe(200);
        expect(page.headers.get("referrer-policy")).toBe("no-referrer");
        const body = await page.text();
        expect(body).toMatch(/Sign in to verify your email|Choose a new password/);
        responses.push({ what: `${pathname} and its page`, body: (await opened.text()) + body, location: opened.headers.get("location") });
      }

      // Each link does its one job (used here, in the library, as the page's button would).
      for (const token of tokens.slice(1)) {
        const row = await db.userToken.findUniqueOrThrow({ where: { tokenHash: hashUserToken(token) } });
        if (row.purpose === "verify_email") expect(await confirmEmailToken(token, row.userId, context)).toMatchObject({ ok: true });
        else expect(await resetPassword(token, "a brand new passphrase 42", context)).toBe(true);
      }
      // Every message to these addresses sent (the worker erases a sent message's text), then stop.
      await expect.poll(() => db.outboxMessage.count({ where: { to: { in: [signedUp, resetting] }, sentAt: null } }), { timeout: 20_000, message: `unsent mail; the server said:\n${server.logs.slice(-30).join("\n")}` }).toBe(0);
      await server.stop();

      const tables = {
        UserToken: await db.userToken.findMany(),
        "OutboxMessage (sent)": await db.outboxMessage.findMany(),
        AuditEvent: await db.auditEvent.findMany(),
        Notification: await db.notification.findMany(),
      };
      const rows = JSON.stringify(tables);
      const places: [string, string][] = [
        ["server stdout/stderr", server.logs.join("\n")],
        ["CLI stderr", cli.stderr],
        ...Object.entries(tables).map(([table, found]): [string, string] => [`${table} rows`, JSON.stringify(found)]),
        ...responses.map(({ what, body, location }): [string, string] => [what, `${location}\n${body}`]),
      ];
      const found = places.flatMap(([name, text]) => tokens.filter((token) => text.includes(token)).map((token) => `${name} holds ${token.slice(0, 6)}…`));
      expect(found).toEqual([]);
      // The search looked at real material: the server wrote a line per mail, the rows hold the hashes.
      expect(server.logs.filter((line) => line.includes("written to") && [signedUp, resetting].some((to) => line.includes(to))).length).toBeGreaterThanOrEqual(3);
      expect(rows).toContain(hashUserToken(tokens[0]!));
      expect(server.logs.join("\n")).not.toMatch(/unhandled error|Error:/);
    },
    90_000,
  );
});
