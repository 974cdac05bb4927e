import { beforeEach, describe, expect, it, vi } from "vitest";

// currentUser() reads the session cookie through next/headers, which exists only inside a
// Next request; this stands in for the browser's cookie jar. Everything else is real:
// the cookie is next-auth's own JWT encoding, the database is the run's SQLite file.
const jar = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers({ "user-agent": "vitest", "x-forwarded-for": "192.0.2.1" }) }));
vi.mock("next/headers", () => ({
  headers: async () => jar.headers,
  cookies: async () => ({
    get: (name: string) => (jar.cookies.has(name) ? { name, value: jar.cookies.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.cookies.set(name, value),
  }),
}));

import { authOptions, currentUser } from "@/lib/auth";
import { setUserDisabled, setUserRole } from "@/lib/admin/manage-users";
import { db } from "@/lib/db";
import { env, envSchema } from "@/lib/env";
import { createSession, ENDED_SESSION_RETENTION_MS } from "@/lib/sessions/create-session";
import { describeDevice } from "@/lib/sessions/describe-device";
import { listActiveSessions } from "@/lib/sessions/list-sessions";
import { loadActiveSession } from "@/lib/sessions/load-active-session";
import { revokeSession, revokeUserSessions } from "@/lib/sessions/revoke-sessions";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { activeSessionWhere, isSessionActive, LAST_SEEN_RESOLUTION_MS, SESSION_MAX_AGE_SECONDS } from "@/lib/sessions/session-policy";
import { createTestUser } from "../helpers/factories";

const admin = { actorId: null, ip: "127.0.0.1", userAgent: "vitest" };

/** Signs a browser in the way every sign-in does: a Session row, and next-auth's cookie naming it. */
async function signInBrowser(userId: string, now = new Date()) {
  const sessionId = await createSession({ userId, method: "credentials", ip: "192.0.2.1", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0" }, now);
  const cookie = await encodeSessionToken(userId, sessionId);
  return { sessionId, cookie };
}

/** Presents a saved cookie, as a browser (or an attacker replaying it) would. */
async function userFor(cookie: string) {
  jar.cookies.clear();
  jar.cookies.set(sessionCookieName(), cookie);
  return currentUser();
}

beforeEach(() => jar.cookies.clear());

describe("sessions the server can revoke", () => {
  it("a fresh session's cookie signs its user in, and names its session", async () => {
    const user = await createTestUser();
    const { sessionId, cookie } = await signInBrowser(user.id);
    expect(await userFor(cookie)).toMatchObject({ id: user.id, email: user.email, role: "USER", sessionId });
  });

  it("a revoked session's cookie is refused on the next request", async () => {
    const user = await createTestUser();
    const { sessionId, cookie } = await signInBrowser(user.id);
    expect(await revokeSession(user.id, sessionId)).toBe(true);
    expect(await userFor(cookie)).toBeNull();
  });

  it("a cookie saved before a disable does not work after the user is enabled again", async () => {
    const user = await createTestUser();
    const { cookie } = await signInBrowser(user.id);
    await setUserDisabled({ userId: user.id, disabled: true }, admin);
    expect(await userFor(cookie)).toBeNull();
    await setUserDisabled({ userId: user.id, disabled: false }, admin);
    expect(await userFor(cookie)).toBeNull();
    // A new sign-in works again.
    expect(await userFor((await signInBrowser(user.id)).cookie)).toMatchObject({ id: user.id });
  });

  it("a cookie saved before a role change does not work after it, either way", async () => {
    const user = await createTestUser();
    const before = await signInBrowser(user.id);
    await setUserRole({ userId: user.id, role: "ADMIN" }, admin);
    expect(await userFor(before.cookie)).toBeNull();
    const asAdmin = await signInBrowser(user.id);
    expect(await userFor(asAdmin.cookie)).toMatchObject({ role: "ADMIN" });
    await createTestUser({ role: "ADMIN" }); // another admin, so this one may be demoted
    await setUserRole({ userId: user.id, role: "USER" }, admin);
    expect(await userFor(asAdmin.cookie)).toBeNull();
  });

  it("revokeUserSessions ends every session of the user but the one kept, and no other user's", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    const [kept, ended1, ended2] = [await signInBrowser(user.id), await signInBrowser(user.id), await signInBrowser(user.id)];
    const bystander = await signInBrowser(other.id);
    expect(await revokeUserSessions(user.id, kept.sessionId)).toBe(2);
    expect(await userFor(kept.cookie)).toMatchObject({ id: user.id });
    expect(await userFor(ended1.cookie)).toBeNull();
    expect(await userFor(ended2.cookie)).toBeNull();
    expect(await userFor(bystander.cookie)).toMatchObject({ id: other.id });
  });

  it("one user cannot end another user's session by its id", async () => {
    const victim = await createTestUser();
    const attacker = await createTestUser();
    const { sessionId, cookie } = await signInBrowser(victim.id);
    expect(await revokeSession(attacker.id, sessionId)).toBe(false);
    expect(await userFor(cookie)).toMatchObject({ id: victim.id });
  });

  it("a cookie naming another user's session, or a forged or foreign token, signs nobody in", async () => {
    const victim = await createTestUser();
    const attacker = await createTestUser();
    const { sessionId } = await signInBrowser(victim.id);
    // A token of the right shape, signed with our secret, but pairing the attacker's id with the victim's session.
    expect(await userFor(await encodeSessionToken(attacker.id, sessionId))).toBeNull();
    expect(await userFor("not-a-jwt")).toBeNull();
    expect(await userFor("")).toBeNull();
  });

  it(`a session unused for SESSION_IDLE_TIMEOUT (${env.SESSION_IDLE_TIMEOUT} ms) is over; using it keeps it alive`, async () => {
    const user = await createTestUser();
    const start = new Date("2030-01-01T00:00:00Z");
    const { sessionId } = await signInBrowser(user.id, start);
    const at = (ms: number) => new Date(start.getTime() + ms);
    // Used just inside the timeout: still active, and that use moves lastSeenAt.
    expect(await loadActiveSession(sessionId, user.id, at(env.SESSION_IDLE_TIMEOUT - 1000))).not.toBeNull();
    expect(await loadActiveSession(sessionId, user.id, at(2 * env.SESSION_IDLE_TIMEOUT - 2000))).not.toBeNull();
    // Then left alone for the whole timeout: over.
    expect(await loadActiveSession(sessionId, user.id, at(3 * env.SESSION_IDLE_TIMEOUT))).toBeNull();
  });

  it("a session ends at its absolute lifetime however busy it is", async () => {
    const user = await createTestUser();
    const start = new Date("2030-02-01T00:00:00Z");
    const { sessionId } = await signInBrowser(user.id, start);
    const end = start.getTime() + SESSION_MAX_AGE_SECONDS * 1000;
    for (let t = start.getTime(); t < end; t += env.SESSION_IDLE_TIMEOUT / 2) {
      expect(await loadActiveSession(sessionId, user.id, new Date(t))).not.toBeNull();
    }
    expect(await loadActiveSession(sessionId, user.id, new Date(end))).toBeNull();
  });

  it("lastSeenAt is written at most once a minute", async () => {
    const user = await createTestUser();
    const start = new Date("2030-03-01T00:00:00Z");
    const { sessionId } = await signInBrowser(user.id, start);
    const lastSeen = async () => (await db.session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt.getTime();
    await loadActiveSession(sessionId, user.id, new Date(start.getTime() + LAST_SEEN_RESOLUTION_MS - 1));
    expect(await lastSeen()).toBe(start.getTime());
    await loadActiveSession(sessionId, user.id, new Date(start.getTime() + LAST_SEEN_RESOLUTION_MS));
    expect(await lastSeen()).toBe(start.getTime() + LAST_SEEN_RESOLUTION_MS);
  });

  it("the rule in JavaScript and the database filter agree on which sessions are active", async () => {
    const user = await createTestUser();
    const now = new Date("2030-04-01T12:00:00Z");
    const idle = env.SESSION_IDLE_TIMEOUT;
    const offsets = [-idle - 1, -idle, -idle + 1, -1, 0, 1];
    for (const lastSeen of offsets) {
      for (const expires of [-1, 0, 1, idle]) {
        for (const revoked of [null, new Date(now.getTime() - 1)]) {
          await db.session.create({
            data: {
              id: `policy-${lastSeen}-${expires}-${revoked ? 1 : 0}-${user.id}`,
              userId: user.id,
              method: "credentials",
              lastSeenAt: new Date(now.getTime() + lastSeen),
              expiresAt: new Date(now.getTime() + expires),
              revokedAt: revoked,
            },
          });
        }
      }
    }
    const rows = await db.session.findMany({ where: { userId: user.id } });
    const byRule = rows.filter((row) => isSessionActive(row, now)).map((row) => row.id).sort();
    const byFilter = (await db.session.findMany({ where: { userId: user.id, ...activeSessionWhere(now) }, select: { id: true } })).map((row) => row.id).sort();
    expect(byFilter).toEqual(byRule);
    expect(byRule.length).toBeGreaterThan(0);
    expect(byRule.length).toBeLessThan(rows.length);
    expect((await listActiveSessions(user.id, now)).map((row) => row.id).sort()).toEqual(byRule);
  });

  it("next-auth's jwt callback refuses an ended session (so /api/auth/session clears the cookie) and keeps only sub and sid", async () => {
    const user = await createTestUser();
    const { sessionId } = await signInBrowser(user.id);
    const jwt = authOptions.callbacks!.jwt! as unknown as (params: { token: Record<string, unknown> }) => Promise<Record<string, unknown>>;
    expect(await jwt({ token: { sub: user.id, sid: sessionId, role: "ADMIN", email: "x@y.z" } })).toEqual({ sub: user.id, sid: sessionId });
    await revokeSession(user.id, sessionId);
    await expect(jwt({ token: { sub: user.id, sid: sessionId } })).rejects.toThrow("The session has ended.");
    await expect(jwt({ token: { sub: user.id } })).rejects.toThrow("The session has ended.");
  });

  it("a GitHub sign-in through next-auth records a Session row with the request's IP and device, and its cookie carries only sub and sid", async () => {
    const user = await createTestUser();
    const jwt = authOptions.callbacks!.jwt! as unknown as (params: Record<string, unknown>) => Promise<Record<string, unknown>>;
    const token = await jwt({ token: { name: "x", email: "x@y.z", picture: "p" }, user: { id: user.id }, account: { provider: "github", providerAccountId: "1", type: "oauth" } });
    expect(Object.keys(token).sort()).toEqual(["sid", "sub"]);
    const row = await db.session.findUniqueOrThrow({ where: { id: token.sid as string } });
    expect(row).toMatchObject({ userId: user.id, method: "github", ip: "192.0.2.1", userAgent: "vitest", revokedAt: null });
    expect(await userFor(await encodeSessionToken(user.id, row.id))).toMatchObject({ id: user.id, sessionId: row.id });
  });

  it("next-auth's sign-out event ends the session its cookie names", async () => {
    const user = await createTestUser();
    const { sessionId, cookie } = await signInBrowser(user.id);
    await authOptions.events!.signOut!({ token: { sub: user.id, sid: sessionId }, session: undefined as never });
    expect(await userFor(cookie)).toBeNull();
  });

  it("SESSION_IDLE_TIMEOUT is a duration, 24h by default; zero or nonsense stops the process with its name", () => {
    expect(envSchema.parse({}).SESSION_IDLE_TIMEOUT).toBe(24 * 3_600_000);
    expect(envSchema.parse({ SESSION_IDLE_TIMEOUT: "30m" }).SESSION_IDLE_TIMEOUT).toBe(30 * 60_000);
    expect(envSchema.parse({ SESSION_IDLE_TIMEOUT: "7d" }).SESSION_IDLE_TIMEOUT).toBe(7 * 86_400_000);
    for (const bad of ["0", "forever", "-1h", "1w", ""]) {
      const result = envSchema.safeParse({ SESSION_IDLE_TIMEOUT: bad });
      expect(result.success, bad).toBe(false);
      expect(result.error!.issues[0].path).toEqual(["SESSION_IDLE_TIMEOUT"]);
    }
    expect(envSchema.parse({}).SIGN_UPS_PER_IP_PER_HOUR).toBe(20);
  });

  it("the table stays bounded: a sign-in clears that user's sessions that ended over a month ago, and nothing newer", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    const start = new Date("2031-01-01T00:00:00Z");
    const old = await signInBrowser(user.id, start);
    const revokedLongAgo = await signInBrowser(user.id, start);
    await revokeSession(user.id, revokedLongAgo.sessionId, start);
    const othersOld = await signInBrowser(other.id, start);
    const later = new Date(start.getTime() + SESSION_MAX_AGE_SECONDS * 1000 + ENDED_SESSION_RETENTION_MS + 1);
    const recent = await signInBrowser(user.id, new Date(later.getTime() - 1000));
    await signInBrowser(user.id, later);
    const ids = (await db.session.findMany({ where: { userId: { in: [user.id, other.id] } }, select: { id: true } })).map((row) => row.id);
    expect(ids).not.toContain(old.sessionId);
    expect(ids).not.toContain(revokedLongAgo.sessionId);
    expect(ids).toContain(recent.sessionId);
    expect(ids).toContain(othersOld.sessionId);
  });

  it("a device is described from its user agent", () => {
    expect(describeDevice("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36")).toBe("Chrome on Linux");
    expect(describeDevice("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")).toBe("Safari on iOS");
    expect(describeDevice("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0")).toBe("Firefox on Windows");
    expect(describeDevice("curl/8.5.0")).toBe("curl");
    expect(describeDevice(null)).toBe("Unknown device");
  });
});
