import { beforeAll, describe, expect, it, vi } from "vitest";

// The CLI runs as a child process against this file's own database, which this process opens too.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("teams-cli"));

import Redis from "ioredis";
import { INVALIDATION_CHANNEL } from "@/lib/api-keys/invalidation-broadcast";
import { verificationCache } from "@/lib/api-keys/verification-cache";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/scripts/migrate-database";
import { startCli } from "../fixtures/cli";
import { createTestUser } from "../helpers/factories";

const keyport = (args: string[], env?: Record<string, string>) => startCli(databaseUrl, args, { env }).done;

/**
 * This test process is a "running server" with its own verification cache; the CLI is
 * another process. Without Redis, a server notices a CLI change within KEY_CACHE_TTL_MS (the
 * documented embedded bound), so the test reads the database afresh after each CLI change;
 * the Redis test below shows the change reaching running servers at once in scale-out.
 */
const verifyFresh = (secret: string) => {
  verificationCache.clear();
  return verifyApiKey(secret);
};

beforeAll(async () => {
  await migrateDatabase(databaseUrl);
});

// One after another: CLI processes writing the same SQLite file at once could refuse each other.
describe("npm run keyport -- teams …", { timeout: 120_000 }, () => {
  it("creates a team, adds members, makes a team key for a creator, suspends and lifts, removes a member; every change in the team's log", async () => {
    const owner = await createTestUser();
    const dev = await createTestUser();

    const created = await keyport(["teams", "create", "acme-cli", "--name", "Acme CLI", "--owner", owner.email]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const team = await db.team.findUniqueOrThrow({ where: { slug: "acme-cli" } });
    expect(team.name).toBe("Acme CLI");

    const bad = await keyport(["teams", "create", "Not A Slug", "--name", "x", "--owner", owner.email]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: Use lower-case letters, digits and single dashes/);

    expect((await keyport(["teams", "add-member", "acme-cli", dev.email, "--role", "developer"])).code).toBe(0);
    const badRole = await keyport(["teams", "add-member", "acme-cli", dev.email, "--role", "king"]);
    expect(badRole.code).not.toBe(0);

    const listed = await keyport(["teams", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/acme-cli\s+Acme CLI\s+2\s+0\s/);

    const made = await keyport(["keys", "create", "--team", "acme-cli", "--user", dev.email, "--name", "prod", "--scopes", "me:read"]);
    expect(made.code).toBe(0);
    const secret = made.stdout.trim();
    expect(made.stderr).toContain("for team acme-cli, created by");
    expect(await verifyApiKey(secret, { scopes: ["me:read"] })).toMatchObject({ ok: true, key: { team: { slug: "acme-cli" } } });

    // keys list names the team of a team key ("-" for a personal one), and --team keeps only that team's keys.
    expect((await keyport(["keys", "create", "--user", dev.email, "--name", "personal-of-dev", "--scopes", "me:read"])).code).toBe(0);
    const byCreator = await keyport(["keys", "list", "--user", dev.email]);
    expect(byCreator.stdout).toMatch(/^\S+\s+prod\s+\S+\s+acme-cli\s+test\s/m);
    expect(byCreator.stdout).toMatch(/^\S+\s+personal-of-dev\s+\S+\s+-\s+test\s/m);
    const byTeam = await keyport(["keys", "list", "--team", "acme-cli"]);
    expect(byTeam.stdout).toContain("prod");
    expect(byTeam.stdout).not.toContain("personal-of-dev");
    expect(await keyport(["keys", "list", "--team", "no-such-team"])).toMatchObject({ code: 1, stderr: "error: No team with the URL name no-such-team.\n" });

    // A viewer cannot be made the creator of a team key, through the CLI or anywhere.
    const viewer = await createTestUser();
    expect((await keyport(["teams", "add-member", "acme-cli", viewer.email, "--role", "viewer"])).code).toBe(0);
    const refused = await keyport(["keys", "create", "--team", "acme-cli", "--user", viewer.email, "--name", "nope", "--scopes", "me:read"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("error: A viewer cannot create keys.\n");

    const suspended = await keyport(["teams", "suspend", "acme-cli", "--reason", "unpaid invoice"]);
    expect(suspended.code).toBe(0);
    expect(await verifyFresh(secret)).toMatchObject({ ok: false, reason: "team_suspended" });
    expect((await keyport(["teams", "list"])).stdout).toContain("unpaid invoice");
    expect((await keyport(["teams", "unsuspend", "acme-cli"])).code).toBe(0);
    expect((await verifyFresh(secret)).ok).toBe(true);

    expect((await keyport(["teams", "remove-member", "acme-cli", dev.email])).code).toBe(0);
    // The creator is gone; the team's key is not.
    expect((await verifyFresh(secret)).ok).toBe(true);
    const lastOwner = await keyport(["teams", "remove-member", "acme-cli", owner.email]);
    expect(lastOwner.code).toBe(1);
    expect(lastOwner.stderr).toMatch(/at least one owner/);

    const actions = (await db.auditEvent.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "asc" }, select: { action: true, userAgent: true } }));
    expect(actions.map((event) => event.action)).toEqual([
      "team.created",
      "team.member_added",
      "key.created",
      "team.member_added",
      "team.suspended",
      "team.unsuspended",
      "team.member_removed",
    ]);
    expect(actions.every((event) => event.userAgent?.startsWith("keyport-cli"))).toBe(true);
  });

  // Runs where a Redis server is given (TEST_REDIS_URL=redis://127.0.0.1:6379), as in the scale-out suite.
  it.runIf(process.env.TEST_REDIS_URL)("with REDIS_URL, teams suspend tells running servers at once, by team, on the invalidation channel", async () => {
    const owner = await createTestUser();
    await keyport(["teams", "create", "acme-redis", "--name", "Acme Redis", "--owner", owner.email]);
    const team = await db.team.findUniqueOrThrow({ where: { slug: "acme-redis" } });
    const subscriber = new Redis(process.env.TEST_REDIS_URL!);
    const messages: string[] = [];
    subscriber.on("message", (_channel: string, message: string) => messages.push(message));
    try {
      await subscriber.subscribe(INVALIDATION_CHANNEL);
      const run = await keyport(["teams", "suspend", "acme-redis", "--reason", "broadcast test"], { REDIS_URL: process.env.TEST_REDIS_URL! });
      expect(run).toMatchObject({ code: 0, stderr: "" });
      const deadline = Date.now() + 5_000;
      while (!messages.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(messages.map((message) => JSON.parse(message).event)).toContainEqual({ kind: "team", id: team.id });
    } finally {
      subscriber.disconnect();
    }
  });
});
