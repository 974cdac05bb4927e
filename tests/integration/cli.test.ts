import os from "node:os";
import { beforeAll, describe, expect, it, vi } from "vitest";

// The CLI runs as a child process against this file's own database, which this process
// opens too, to check what the CLI wrote.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("cli"));

import Redis from "ioredis";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { INVALIDATION_CHANNEL } from "@/lib/api-keys/invalidation-broadcast";
import { keyPattern } from "@/lib/api-keys/key-format";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { writeAuditEvent } from "@/lib/audit";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/passwords";
import { migrateDatabase } from "@/scripts/migrate-database";
import { createTestUser } from "../helpers/factories";
import { startCli } from "../fixtures/cli";

/** The CLI against this file's database. */
const start = (args: string[], input?: string, env?: Record<string, string>) => startCli(databaseUrl, args, { input, env });
const keyport = (args: string[], input?: string, env?: Record<string, string>) => start(args, input, env).done;

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  await migrateDatabase(databaseUrl);
});

// Child processes are slow on a busy machine, so each test may take a while. The tests
// run one after another: CLI processes writing the same SQLite file at the same moment
// can refuse each other with SQLITE_BUSY, which is not what these tests are about.
describe("npm run keyport", { timeout: 60_000 }, () => {
  it("--help lists every command group, and each command has its own --help", async () => {
    // Neither touches the database, so they may run side by side.
    const [top, keysCreate] = await Promise.all([keyport(["--help"]), keyport(["keys", "create", "--help"])]);
    expect(top.code).toBe(0);
    for (const command of ["users", "keys", "audit", "import-legacy"]) expect(top.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    expect(keysCreate.code).toBe(0);
    for (const option of ["--user <email>", "--name <name>", "--scopes <list>", "--env <environment>", "--expires <YYYY-MM-DD>"]) {
      expect(keysCreate.stdout).toContain(option);
    }
  });

  it("a bad command, a missing option or a refused operation exits 1 with one clear line and no stack trace", async () => {
    // Only the last one reads the database, so they may run side by side.
    const [unknown, missingReason, noSuchUser] = await Promise.all([
      keyport(["frobnicate"]),
      keyport(["keys", "revoke", "kp_live_abcd"]),
      keyport(["users", "promote", "nobody@nowhere.test"]),
    ]);
    for (const run of [unknown, missingReason, noSuchUser]) {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
    expect(unknown.stderr).toMatch(/^error: unknown command 'frobnicate'/);
    expect(missingReason.stderr).toMatch(/--reason/);
    expect(noSuchUser.stderr).toBe("error: No user with the email nobody@nowhere.test.\n");
  });

  it("users create reads the password from stdin, or prints a generated one alone on stdout; promote makes an admin", async () => {
    const piped = await keyport(["users", "create", "Piped@Example.com", "--name", "Piped Person"], "a long piped password\n");
    const generated = await keyport(["users", "create", "generated@example.com"]);
    expect(piped, piped.stderr).toMatchObject({ code: 0, stdout: "" });
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(/^[A-Za-z0-9_-]{24}\n$/);

    const pipedUser = await db.user.findUniqueOrThrow({ where: { email: "piped@example.com" } });
    const generatedUser = await db.user.findUniqueOrThrow({ where: { email: "generated@example.com" } });
    expect(pipedUser).toMatchObject({ name: "Piped Person", role: "USER" });
    expect(await verifyPassword("a long piped password", pipedUser.passwordHash)).toBe(true);
    expect(await verifyPassword(generated.stdout.trim(), generatedUser.passwordHash)).toBe(true);

    const promoted = await keyport(["users", "promote", "piped@example.com"]);
    expect(promoted).toMatchObject({ code: 0, stdout: "piped@example.com is now an admin.\n" });
    expect((await db.user.findUniqueOrThrow({ where: { id: pipedUser.id } })).role).toBe("ADMIN");
    const events = await db.auditEvent.findMany({ where: { targetUserId: pipedUser.id }, orderBy: { createdAt: "asc" } });
    // No --as: no actor, but the operator's OS account is on record.
    const operator = `keyport-cli (os user ${os.userInfo().username})`;
    expect(events.map((event) => [event.action, event.actorId, event.userAgent])).toEqual([
      ["user.created", null, operator],
      ["user.promoted", null, operator],
    ]);
  });

  it("keys create prints only the secret on stdout, and that secret verifies with the scopes asked for", async () => {
    const owner = await createTestUser();
    const run = await keyport(["keys", "create", "--user", owner.email, "--name", "ci deploy", "--scopes", "me:read, keys:read", "--env", "live", "--expires", "2030-06-30"]);

    expect(run.code, run.stderr).toBe(0);
    const secret = run.stdout.replace(/\n$/, "");
    expect(secret).toMatch(keyPattern("kp"));
    expect(run.stderr).toContain(secret.slice(0, 12));
    expect(run.stderr).not.toContain(secret);
    const verified = await verifyApiKey(secret, { scopes: ["me:read", "keys:read"] });
    expect(verified).toMatchObject({
      ok: true,
      key: { name: "ci deploy", environment: "live", owner: { id: owner.id }, expiresAt: Date.parse("2030-06-30T23:59:59.999Z") },
    });
  });

  it("keys revoke by start records the reason, and the key is refused afterwards", async () => {
    const owner = await createTestUser();
    const { key, secret } = await createApiKey({ ownerId: owner.id, name: "to revoke", environment: "test", scopes: ["me:read"] }, { actorId: owner.id });

    const run = await keyport(["keys", "revoke", key.start, "--reason", "leaked in a log"]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Revoked ${key.start}`);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ revokedReason: "leaked in a log", revokedById: null });
    expect(row.revokedAt).toBeInstanceOf(Date);
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetKeyId: key.id, action: "key.revoked" } });
    expect(JSON.parse(event.details)).toMatchObject({ reason: "leaked in a log" });
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("--as names an admin as the actor of the audit events (and the key's revoker); anyone else is refused and nothing changes", async () => {
    const owner = await createTestUser();
    const admin = await createTestUser({ role: "ADMIN" });
    const { key } = await createApiKey({ ownerId: owner.id, name: "revoked as an admin", environment: "test", scopes: ["me:read"] }, { actorId: owner.id });

    const refused = await keyport(["keys", "revoke", key.id, "--reason", "not yours to revoke", "--as", owner.email]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`error: --as: ${owner.email} is not an enabled admin.`);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();

    const run = await keyport(["--as", admin.email, "keys", "revoke", key.id, "--reason", "rotated by ops"]);
    expect(run.code, run.stderr).toBe(0);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ revokedById: admin.id, revokedReason: "rotated by ops" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetKeyId: key.id, action: "key.revoked" } });
    expect(event.actorId).toBe(admin.id);
    expect(event.userAgent).toMatch(/^keyport-cli \(os user .+\)$/);
  });

  it("audit tail --follow prints each new event as a line and exits cleanly on SIGINT", async () => {
    const user = await createTestUser();
    await writeAuditEvent(db, "user.enabled", { actorId: null }, { userId: user.id, details: { marker: "before" } });
    const tail = start(["audit", "tail", "--follow", "--limit", "1"]);
    await waitFor(() => tail.output.stdout.includes('"marker":"before"'), "the latest event");

    await writeAuditEvent(db, "user.disabled", { actorId: null }, { userId: user.id, details: { marker: "after" } });
    await waitFor(() => tail.output.stdout.includes('"marker":"after"'), "the new event");
    tail.child.kill("SIGINT");
    const run = await tail.done;

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^\\S+Z  user\\.disabled  by system  user=${user.email.replace(/[.]/g, "\\.")}  \\{"marker":"after"\\}$`));
  });

  // Runs where a Redis server is given (TEST_REDIS_URL=redis://127.0.0.1:6379), as in the scale-out suite.
  it.runIf(process.env.TEST_REDIS_URL)("with REDIS_URL, keys revoke tells running servers at once on the revocation channel", async () => {
    const owner = await createTestUser();
    const { key } = await createApiKey({ ownerId: owner.id, name: "broadcast", environment: "test", scopes: ["me:read"] }, { actorId: owner.id });
    const subscriber = new Redis(process.env.TEST_REDIS_URL!);
    const messages: string[] = [];
    subscriber.on("message", (_channel: string, message: string) => messages.push(message));
    try {
      await subscriber.subscribe(INVALIDATION_CHANNEL);
      const run = await keyport(["keys", "revoke", key.id, "--reason", "broadcast test"], undefined, { REDIS_URL: process.env.TEST_REDIS_URL! });
      expect(run).toMatchObject({ code: 0, stderr: "" });
      await waitFor(() => messages.length > 0, "the invalidation message", 5_000);
      expect(messages.map((message) => JSON.parse(message).event)).toContainEqual({ kind: "key", id: key.id });
    } finally {
      subscriber.disconnect();
    }
  });
});
