// npm run keyport -- <command> – the operator CLI: users, keys, the audit trail and the
// import from the FastAPI tutorial, against the database DATABASE_URL names (default: the
// SQLite file data/keyport.db). Results go to stdout, notes and errors to stderr; a
// command that reveals a secret prints only that secret on stdout.
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import type { z } from "zod";
// These are pure (no env, no database), so importing them up front cannot fail.
import { KEY_ENVIRONMENTS } from "../lib/api-keys/key-format";
import { KEY_STATUS_LABELS, type KeyStatus } from "../lib/api-keys/key-status";
import { withBusyRetries } from "../lib/sqlite-busy-retry";

/**
 * Who this run's audit events name: the admin given with --as as the actor, and the
 * operator's OS account in the user agent either way, so a CLI change is never anonymous.
 * Set once per run, before the command (one command per process).
 */
let auditContext: { actorId: string | null; ip: null; userAgent: string } = { actorId: null, ip: null, userAgent: "keyport-cli" };

function operatorAccount(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "unknown";
  }
}

async function resolveAuditContext(lib: Lib): Promise<typeof auditContext> {
  const userAgent = `keyport-cli (os user ${operatorAccount()})`;
  const as = program.opts<{ as?: string }>().as;
  if (!as) return { actorId: null, ip: null, userAgent };
  const admin = await lib.findUserByEmail(as);
  if (!admin || admin.role !== "ADMIN" || admin.disabledAt) throw new CliError(`--as: ${as.trim().toLowerCase()} is not an enabled admin.`);
  return { actorId: admin.id, ip: null, userAgent };
}
const POLL_MS = 1_000;
const KEY_STATUSES = Object.keys(KEY_STATUS_LABELS) as KeyStatus[];

/**
 * lib/env.ts validates the environment when it is first imported, so lib is imported
 * here, inside a command, where a bad DATABASE_URL ends as one line on stderr rather
 * than a stack trace before the CLI has started.
 */
async function loadLib() {
  const [env, db, keyEvents, manageUsers, listUsers, listKeys, auditEvents, importer, legacySource, createKey, revokeKey, keyValidations, keyPolicy, twoFactor] = await Promise.all([
    import("../lib/env"),
    import("../lib/db"),
    import("../lib/api-keys/key-events"),
    import("../lib/admin/manage-users"),
    import("../lib/admin/list-users"),
    import("../lib/admin/list-keys"),
    import("../lib/admin/list-audit-events"),
    import("../lib/admin/import-legacy"),
    import("../lib/admin/read-legacy-database"),
    import("../lib/api-keys/create-api-key"),
    import("../lib/api-keys/revoke-api-key"),
    import("../lib/validations/api-keys"),
    import("../lib/api-keys/key-policy"),
    import("../lib/two-factor/manage-two-factor"),
  ]);
  const [manageTeams, teamMembers, teamPolicy] = await Promise.all([import("../lib/teams/manage-teams"), import("../lib/teams/members"), import("../lib/teams/team-policy")]);
  return { ...env, ...db, ...keyEvents, ...manageUsers, ...listUsers, ...listKeys, ...auditEvents, ...importer, ...legacySource, ...createKey, ...revokeKey, ...keyValidations, ...keyPolicy, ...twoFactor, ...manageTeams, ...teamMembers, ...teamPolicy };
}
type Lib = Awaited<ReturnType<typeof loadLib>>;

/** An error whose message is already what the operator should read. */
class CliError extends Error {}

/** Names and user agents are chosen by users: no control character may reach the terminal. */
function printable(value: string | null | undefined): string {
  return (value ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

function when(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")}Z` : "-";
}

function printTable(headers: string[], rows: (string | null | undefined)[][]) {
  const cells = rows.map((row) => row.map((cell) => printable(cell) || "-"));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ");
  console.log([line(headers), ...cells.map(line)].join("\n"));
}

function printPageEnd(what: string, count: number, nextCursor: string | null) {
  if (count === 0) console.error(`No ${what}.`);
  else if (nextCursor) console.error(`More ${what}: run again with --cursor ${nextCursor}`);
}

/** One line for anything thrown: the messages of lib's own errors as they are, never a stack. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof CliError) return error.message;
  const { name, message } = error;
  const code = (error as { code?: unknown }).code;
  if (name === "ZodError") return (error as z.ZodError).issues.map((issue) => issue.message).join(" ");
  if (code === "P2021" || /no such table/i.test(message)) {
    return "The database has no Keyport tables. Run `npm run db:migrate` with the same DATABASE_URL first.";
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|P1001|Can't reach database/i.test(`${message} ${String(code)}`)) {
    return `Cannot reach the database: ${message.split("\n").filter(Boolean).pop()}`;
  }
  if (message.startsWith("Invalid Keyport configuration")) return message.split("\n").slice(0, -1).map((part) => part.trim()).join(" ");
  // Prisma's messages start with the invocation and end with the reason.
  return message.split("\n").map((part) => part.trim()).filter(Boolean).pop() ?? name;
}

/**
 * In scale-out mode (REDIS_URL set), tells the running servers about this command's
 * revocations at once, on the channel they use among themselves
 * (lib/api-keys/invalidation-broadcast.ts); otherwise they notice within KEY_CACHE_TTL_MS.
 * Publish-only: the CLI keeps no cache that others' messages would need to reach.
 * Returns the function that waits for the messages to go out and closes the connection.
 */
async function publishInvalidations(lib: Lib): Promise<() => Promise<void>> {
  if (!lib.env.REDIS_URL) return async () => {};
  // Loaded only here: most runs have no Redis, and ioredis is slow to load.
  const [{ redis }, { INVALIDATION_CHANNEL }] = await Promise.all([import("../lib/redis"), import("../lib/api-keys/invalidation-broadcast")]);
  const client = redis()!;
  const warn = () =>
    console.error(`warning: Redis did not take the invalidation; running servers will notice within ${lib.env.KEY_CACHE_TTL_MS} ms.`);
  // The connection has no offline queue, so a publish before it is ready would just fail.
  const ready =
    client.status === "ready" ||
    (await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2_000);
      client.once("ready", () => (clearTimeout(timer), resolve(true)));
    }));
  const origin = `keyport-cli-${randomUUID()}`;
  const pending: Promise<unknown>[] = [];
  const stop = lib.onKeyInvalidation((event) => {
    if (!ready) return void warn();
    pending.push(client.publish(INVALIDATION_CHANNEL, JSON.stringify({ origin, event })).catch(warn));
  });
  return async () => {
    stop();
    // Every publish has had its reply, so nothing is in flight. disconnect() rather than
    // quit(): it also stops the reconnect loop when Redis never answered, which quit() waits on.
    await Promise.all(pending);
    // lib/redis.ts reports every close as an outage; this one is the CLI finishing.
    client.removeAllListeners("close");
    client.disconnect();
  };
}

/**
 * Wraps a command: loads lib, runs, reports a failure as one line with exit code 1, and
 * disconnects. `broadcast` is for commands that revoke or restore keys.
 */
function run<A extends unknown[]>(command: (lib: Lib, ...args: A) => Promise<void>, options: { broadcast?: boolean } = {}) {
  return async (...args: A) => {
    let lib: Lib | undefined;
    let finishBroadcast = async () => {};
    try {
      lib = await loadLib();
      auditContext = await resolveAuditContext(lib);
      if (options.broadcast) finishBroadcast = await publishInvalidations(lib);
      await withBusyRetries(() => command(lib!, ...args));
    } catch (error) {
      console.error(`error: ${describeError(error)}`);
      process.exitCode = 1;
    } finally {
      await finishBroadcast();
      await lib?.db.$disconnect().catch(() => {});
    }
  };
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("Expected a whole number of 1 or more.");
  return number;
}

async function requireUser(lib: Lib, email: string) {
  const user = await lib.findUserByEmail(email);
  if (!user) throw new CliError(`No user with the email ${email.trim().toLowerCase()}.`);
  return user;
}

/** Parses with a lib schema, naming the option in the message when it fails. */
function parseOption<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(`${option}: ${parsed.error.issues.map((issue) => issue.message).join(" ")}`);
  return parsed.data;
}

/**
 * The password of `users create`: the first line of stdin when something is piped in,
 * or null (generate one) for a terminal or an empty stdin such as </dev/null.
 */
async function readPasswordFromStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const hint = setTimeout(() => console.error("Waiting for a password on stdin (redirect </dev/null to have one generated)…"), 2_000);
  hint.unref();
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  clearTimeout(hint);
  const firstLine = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0];
  return firstLine || null;
}

function auditLine(event: Awaited<ReturnType<Lib["listAuditEvents"]>>["items"][number]): string {
  const parts = [
    event.createdAt.toISOString(),
    event.action,
    `by ${event.actorEmail ?? (event.actorId ? event.actorId : "system")}`,
    event.targetUserEmail || event.targetUserId ? `user=${event.targetUserEmail ?? event.targetUserId}` : "",
    event.targetKeyId ? `key=${event.targetKeyStart ?? event.targetKeyId}` : "",
    Object.keys(event.details).length ? JSON.stringify(event.details) : "",
    event.ip ? `ip=${event.ip}` : "",
    event.userAgent ? `ua=${JSON.stringify(event.userAgent)}` : "",
  ];
  return printable(parts.filter(Boolean).join("  "));
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

const program = new Command("keyport")
  .description("Operate Keyport from the command line. Uses the database DATABASE_URL names (default: data/keyport.db).")
  .option("--as <email>", "an admin to record as the actor of this command's audit events (default: none; the OS user is recorded either way)")
  .showSuggestionAfterError()
  .addHelpText("after", "\nRun `npm run keyport -- <command> --help` for a command's options.");

// users ------------------------------------------------------------------------------
const users = program.command("users").description("List, create, promote, demote, disable and enable users.");

users
  .command("list")
  .description("List users, newest first, with their key counts and when a key of theirs was last used.")
  .option("--search <text>", "only users whose email or name contains this (any case)")
  .option("--limit <n>", "how many to show (at most 200)", positiveInteger, 50)
  .option("--cursor <id>", "continue after this user (printed at the end of a full page)")
  .action(
    run(async (lib, options: { search?: string; limit: number; cursor?: string }) => {
      const page = await lib.listUsers({ search: options.search, take: options.limit, cursor: options.cursor });
      if (page.items.length) {
        printTable(
          ["EMAIL", "NAME", "ROLE", "STATUS", "VERIFIED", "2FA", "KEYS ACTIVE/ALL", "KEY LAST USED", "CREATED", "ID"],
          page.items.map((user) => [
            user.email,
            user.name,
            user.role,
            user.disabledAt ? "disabled" : "enabled",
            user.emailVerifiedAt ? "yes" : "no",
            user.totpEnabledAt ? "on" : "off",
            `${user.activeKeyCount}/${user.totalKeyCount}`,
            when(user.lastActivityAt),
            when(user.createdAt),
            user.id,
          ]),
        );
      }
      printPageEnd("users", page.items.length, page.nextCursor);
    }),
  );

users
  .command("create")
  .description("Create a user with an email and password.")
  .argument("<email>", "the new user's email")
  .option("--name <name>", "the user's display name")
  .option("--admin", "make the user an admin", false)
  .addHelpText(
    "after",
    "\nThe password is the first line of stdin when one is piped in:\n  printf '%s\\n' \"$PASSWORD\" | npm run keyport -- users create ada@example.com\nWith a terminal or an empty stdin (</dev/null) a strong password is generated and printed once, alone on stdout.",
  )
  .action(
    run(async (lib, email: string, options: { name?: string; admin: boolean }) => {
      const given = await readPasswordFromStdin();
      const password = given ?? lib.generatePassword();
      const user = await lib.createUser({ email, name: options.name, password, role: options.admin ? "ADMIN" : "USER" }, auditContext);
      console.error(`Created ${user.role === "ADMIN" ? "admin" : "user"} ${user.email} (${user.id}).`);
      if (!given) {
        console.error("Generated password, shown this once:");
        console.log(password);
      }
    }),
  );

const roleAndState = [
  { name: "promote", description: "Make a user an admin.", done: "is now an admin" },
  { name: "demote", description: "Make an admin a regular user (the last enabled admin cannot be demoted).", done: "is now a regular user" },
  { name: "disable", description: "Disable a user: they cannot sign in and every key of theirs is refused at once.", done: "is disabled; their keys are refused" },
  { name: "enable", description: "Enable a disabled user: their keys that were not revoked work again.", done: "is enabled" },
] as const;

for (const { name, description, done } of roleAndState) {
  users
    .command(name)
    .description(description)
    .argument("<email>", "the user's email")
    .action(
      run(
        async (lib, email: string) => {
          const user = await requireUser(lib, email);
          if (name === "promote" || name === "demote") await lib.setUserRole({ userId: user.id, role: name === "promote" ? "ADMIN" : "USER" }, auditContext);
          else await lib.setUserDisabled({ userId: user.id, disabled: name === "disable" }, auditContext);
          console.log(`${user.email} ${done}.`);
        },
        { broadcast: name === "disable" || name === "enable" },
      ),
    );
}

users
  .command("reset-2fa")
  .description("Turn off a user's two-factor sign-in (they lost their authenticator and recovery codes): audited, the user is told by mail and signed out.")
  .argument("<email>", "the user's email")
  .action(
    run(async (lib, email: string) => {
      const user = await requireUser(lib, email);
      await lib.resetTwoFactor({ userId: user.id }, auditContext);
      console.log(`${user.email} signs in with a password alone now; their sessions ended.`);
    }),
  );

users
  .command("verify-email")
  .description("Mark a user's email address verified on your word (they cannot reach the mail): audited; ADMIN_EMAILS promotes it as a link would.")
  .argument("<email>", "the user's email")
  .action(
    run(async (_lib, email: string) => {
      const { markEmailVerified } = await import("../lib/users/verify-email");
      const outcome = await markEmailVerified(email, auditContext);
      if (!outcome) throw new CliError(`No user with the email ${email.trim().toLowerCase()}.`);
      const { user, alreadyVerified, promoted } = outcome;
      console.log(alreadyVerified ? `${user.email} was already verified.` : `${user.email} is verified${promoted ? " and, being in ADMIN_EMAILS, now an admin" : ""}.`);
    }),
  );

users
  .command("reset-password")
  .description("Print a one-time link (30 minutes) that lets a user choose a new password; hand it over yourself. Nothing is mailed or logged.")
  .argument("<email>", "the user's email")
  .action(
    run(async (_lib, email: string) => {
      const { createPasswordResetLink } = await import("../lib/users/reset-password");
      const link = await createPasswordResetLink(email, auditContext);
      if (!link) throw new CliError(`No user with the email ${email.trim().toLowerCase()}.`);
      // The link alone on stdout, for a pipe; the explanation on stderr. Its token exists nowhere else.
      console.error("One-time link (works once, for 30 minutes; it signs out every session of the account when used):");
      console.log(link);
    }),
  );

// keys -------------------------------------------------------------------------------
const keys = program.command("keys").description("List, create and revoke API keys.");

keys
  .command("list")
  .description("List every user's keys, newest first. Never shows a secret or a hash.")
  .option("--user <email>", "only this user's keys (for team keys: the ones they created)")
  .option("--team <slug>", "only this team's keys")
  .addOption(new Option("--status <status>", "only keys with this status").choices(KEY_STATUSES))
  .addOption(new Option("--env <environment>", "only live or only test keys").choices(KEY_ENVIRONMENTS))
  .option("--search <text>", "only keys whose name or start contains this (any case)")
  .option("--limit <n>", "how many to show (at most 200)", positiveInteger, 50)
  .option("--cursor <id>", "continue after this key (printed at the end of a full page)")
  .action(
    run(async (lib, options: { user?: string; team?: string; status?: KeyStatus; env?: "live" | "test"; search?: string; limit: number; cursor?: string }) => {
      if (options.user) await requireUser(lib, options.user);
      const team = options.team ? await requireTeam(lib, options.team) : null;
      const page = await lib.listAllKeys({
        ownerEmail: options.user,
        teamId: team?.id,
        status: options.status,
        environment: options.env,
        search: options.search,
        take: options.limit,
        cursor: options.cursor,
      });
      if (page.items.length) {
        printTable(
          ["START", "NAME", "OWNER", "TEAM", "ENV", "STATUS", "SCOPES", "LAST USED", "CREATED", "ID"],
          page.items.map((key) => [
            key.start,
            key.name,
            key.owner.email,
            key.team?.slug ?? "-",
            key.environment,
            key.status,
            key.scopes.join(" "),
            when(key.lastUsedAt),
            when(key.createdAt),
            key.id,
          ]),
        );
      }
      printPageEnd("keys", page.items.length, page.nextCursor);
    }),
  );

keys
  .command("create")
  .description("Create a key for a user (or, with --team, a team key created by that user) and print its secret, alone on stdout; it is shown only this once.")
  .requiredOption("--user <email>", "the owner's email; with --team, the creator (a member who may create keys)")
  .option("--team <slug>", "make a team key of this team: it belongs to the team and keeps working when its creator leaves")
  .requiredOption("--name <name>", "a label for the key")
  .requiredOption("--scopes <list>", "comma-separated scopes, e.g. me:read,keys:read")
  .addOption(new Option("--env <environment>", "the key's environment").choices(KEY_ENVIRONMENTS).default("test"))
  .option("--expires <YYYY-MM-DD>", "the key stops working at the end of this day (UTC)")
  .addHelpText("after", "\nExample: SECRET=$(npm run --silent keyport -- keys create --user ada@example.com --name ci --scopes me:read)")
  .action(
    run(async (lib, options: { user: string; name: string; scopes: string; env: "live" | "test"; expires?: string; team?: string }) => {
      const owner = await requireUser(lib, options.user);
      const team = options.team ? await requireTeam(lib, options.team) : null;
      const fields = parseOption(
        lib.createKeyFieldsSchema,
        { name: options.name, environment: options.env, scopes: options.scopes.split(",").map((scope) => scope.trim()).filter(Boolean) },
        "--name/--scopes",
      );
      const expiresAt = options.expires ? parseOption(lib.expirySchema, { expiry: "date", expiresOn: options.expires }, "--expires") : null;
      const { key, secret } = await lib.createApiKey({ ownerId: owner.id, teamId: team?.id, ...fields, expiresAt }, auditContext);
      console.error(
        `Created ${key.environment} key ${key.start}… "${key.name}" for ${team ? `team ${team.slug}, created by ` : ""}${owner.email} (id ${key.id}, scopes ${key.scopes}, ${key.expiresAt ? `expires ${key.expiresAt.toISOString()}` : "no expiry"}).`,
      );
      console.log(secret);
    }),
  );

keys
  .command("revoke")
  .description("Revoke a key at once, by its id or its start (as `keys list` shows it).")
  .argument("<id-or-start>", "the key's id, or its start such as kp_live_Ab3x")
  .requiredOption("--reason <text>", "why, recorded on the key and in the audit trail")
  .action(
    run(async (lib, idOrStart: string, options: { reason: string }) => {
      const problem = lib.operatorRevokeReasonProblem(options.reason);
      if (problem) throw new CliError(`--reason: ${problem}`);
      const key = await lib.findKeyByIdOrStart(idOrStart);
      await lib.revokeApiKey({ keyId: key.id, reason: options.reason }, auditContext);
      console.log(`Revoked ${key.start} "${printable(key.name)}" of ${key.owner.email} (${key.id}).`);
    }, { broadcast: true }),
  );

// teams ------------------------------------------------------------------------------
// The CLI acts as the operator: it may do what any team role may, and each change is
// audited in the team's log (with --as, naming that admin).
const OPERATOR = { kind: "operator" } as const;

async function requireTeam(lib: Lib, slug: string) {
  const team = await lib.findTeamBySlug(slug);
  if (!team) throw new CliError(`No team with the URL name ${slug.trim().toLowerCase()}.`);
  return team;
}

const teams = program.command("teams").description("List, create and manage teams, their members and suspensions.");

teams
  .command("list")
  .description("List every team (not deleted), oldest first.")
  .action(
    run(async (lib) => {
      const rows = await lib.listAllTeams();
      if (!rows.length) return void console.error("No teams.");
      printTable(
        ["SLUG", "NAME", "MEMBERS", "KEYS", "CREATED", "SUSPENDED"],
        rows.map((team) => [team.slug, team.name, String(team.memberCount), String(team.unrevokedKeyCount), when(team.createdAt), team.suspendedAt ? `${when(team.suspendedAt)}: ${team.suspendedReason ?? ""}` : "-"]),
      );
    }),
  );

teams
  .command("create")
  .description("Create a team with a first owner.")
  .argument("<slug>", "the team's URL name: lower-case letters, digits and dashes")
  .requiredOption("--name <name>", "the team's display name")
  .requiredOption("--owner <email>", "the first owner (an existing user)")
  .action(
    run(async (lib, slug: string, options: { name: string; owner: string }) => {
      const owner = await requireUser(lib, options.owner);
      const team = await lib.createTeam({ name: options.name, slug, ownerId: owner.id }, auditContext);
      console.log(`Created team ${team.slug} "${printable(team.name)}" (id ${team.id}) owned by ${owner.email}.`);
    }),
  );

teams
  .command("add-member")
  .description("Add an existing user to a team with a role.")
  .argument("<slug>", "the team's URL name")
  .argument("<email>", "the user's email")
  .addOption(new Option("--role <role>", "the member's role").choices(["owner", "admin", "developer", "viewer"]).makeOptionMandatory())
  .action(
    run(async (lib, slug: string, email: string, options: { role: "owner" | "admin" | "developer" | "viewer" }) => {
      const added = await lib.addTeamMember({ team: { slug }, actor: OPERATOR, email, role: options.role }, auditContext);
      console.log(`Added ${added.email} to ${slug.trim().toLowerCase()} as ${added.role}.`);
    }),
  );

teams
  .command("remove-member")
  .description("Remove a member from a team (never its last owner); the keys they created stay the team's and keep working.")
  .argument("<slug>", "the team's URL name")
  .argument("<email>", "the member's email")
  .action(
    run(async (lib, slug: string, email: string) => {
      const user = await requireUser(lib, email);
      await lib.removeTeamMember({ team: { slug }, actor: OPERATOR, userId: user.id }, auditContext);
      console.log(`Removed ${user.email} from ${slug.trim().toLowerCase()}.`);
    }),
  );

teams
  .command("suspend")
  .description("Suspend a team: every key of the team is refused at once (in scale-out, on every instance); its owners see the reason.")
  .argument("<slug>", "the team's URL name")
  .requiredOption("--reason <text>", "why, shown to the team's owners and recorded in the audit trail")
  .action(
    run(async (lib, slug: string, options: { reason: string }) => {
      const team = await lib.suspendTeam({ team: { slug }, actor: OPERATOR, reason: options.reason }, auditContext);
      console.log(`Suspended ${team.slug}: its keys are refused from now on.`);
    }, { broadcast: true }),
  );

teams
  .command("unsuspend")
  .description("Lift a team's suspension: its keys that are not revoked or expired work again.")
  .argument("<slug>", "the team's URL name")
  .action(
    run(async (lib, slug: string) => {
      const team = await lib.unsuspendTeam({ team: { slug }, actor: OPERATOR }, auditContext);
      console.log(`Lifted the suspension of ${team.slug}.`);
    }, { broadcast: true }),
  );

// audit ------------------------------------------------------------------------------
const audit = program.command("audit").description("Read the audit trail.");

audit
  .command("tail")
  .description("Print the latest audit events, oldest first, one line each.")
  .option("--limit <n>", "how many of the latest events to print (at most 200)", positiveInteger, 20)
  .option("-f, --follow", "keep printing new events as they happen (checks every second; Ctrl-C stops)", false)
  .action(
    run(async (lib, options: { limit: number; follow: boolean }) => {
      const latest = (await lib.listAuditEvents({ take: options.limit })).items.reverse();
      for (const event of latest) console.log(auditLine(event));
      if (!options.follow) return;
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      const poll = lib.followAuditEvents({ since: latest.at(-1)?.createdAt ?? new Date(), shown: latest });
      try {
        while (!stop.signal.aborted) {
          for (const event of await poll()) console.log(auditLine(event));
          await sleep(POLL_MS, stop.signal);
        }
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }),
  );

// mail -------------------------------------------------------------------------------
const mail = program.command("mail").description("Check mail delivery (SMTP_URL, MAIL_FROM, MAIL_DIR).");

mail
  .command("test")
  .description("Send a test message now, straight through the configured transport (not the outbox), and say whether it was delivered.")
  .argument("<address>", "where to send it")
  .action(
    run(async (_lib, address: string) => {
      const [{ describeMailDestination, sendTestMail }, { describeSendError }] = await Promise.all([import("../lib/mail/send-test-mail"), import("../lib/mail/outbox")]);
      try {
        const where = await sendTestMail(address);
        console.log(`Sent: ${printable(where)}`);
      } catch (error) {
        if (error instanceof Error && error.name === "ZodError") throw error;
        throw new CliError(`The test message was not delivered through ${describeMailDestination()}: ${describeSendError(error)}`);
      }
    }),
  );

// import-legacy ----------------------------------------------------------------------
program
  .command("import-legacy")
  .description("Import users and keys from the FastAPI tutorial's database. Only each key's hash is stored; running it again imports nothing new.")
  .requiredOption("--from <sqlite-file|postgresql-url>", "the tutorial's SQLite file, or a postgresql:// URL")
  .option("--dry-run", "report what would be imported, and write nothing", false)
  .action(
    run(async (lib, options: { from: string; dryRun: boolean }) => {
      // `npm run` starts us in the package folder; a relative path means the caller's folder.
      const from = lib.isPostgresUrl(options.from) ? options.from : path.resolve(process.env.INIT_CWD ?? process.cwd(), options.from.replace(/^file:/, ""));
      const summary = await lib.importLegacy({ from, dryRun: options.dryRun }, auditContext);
      const lines = [
        summary.dryRun ? "Dry run: nothing was written. An import would give:" : "Imported:",
        `  users created  ${summary.usersCreated}`,
        `  users matched  ${summary.usersMatched}`,
        `  keys imported  ${summary.keysImported}`,
        `  keys skipped   ${summary.keysSkipped.length}`,
        ...summary.keysSkipped.map((skip) => `    legacy key ${skip.legacyId}: ${printable(skip.reason)}`),
      ];
      console.log(lines.join("\n"));
    }, { broadcast: true }),
  );

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`error: ${describeError(error)}`);
  process.exitCode = 1;
});
