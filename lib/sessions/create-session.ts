import { randomBytes } from "node:crypto";
import { db } from "../db";
import { notifyUser } from "../notifications/notify-user";
import { describeDevice } from "./describe-device";
import { hashDeviceId, requestDeviceId } from "./device-cookie";
import { SESSION_MAX_AGE_SECONDS } from "./session-policy";

/** How long an ended session stays listed in the table (for support questions) before a sign-in clears it. */
export const ENDED_SESSION_RETENTION_MS = 30 * 86_400_000;

/**
 * Records a sign-in and returns the session's id, the only thing (with the user id) the
 * session cookie carries. The id is 256 random bits: it is not guessable even though the
 * cookie that holds it is also signed.
 *
 * The browser's device cookie (lib/sessions/device-cookie.ts; `deviceId` overrides it, null
 * for none) is stored hashed on the session; when the user had sessions before and none from
 * this device, they get a "new sign-in" notice, once per device.
 */
export async function createSession(
  input: { userId: string; method: string; ip?: string | null; userAgent?: string | null; deviceId?: string | null },
  now = new Date(),
): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  const deviceId = input.deviceId !== undefined ? input.deviceId : await requestDeviceId();
  const deviceHash = deviceId ? hashDeviceId(deviceId) : null;
  // The table stays bounded: each sign-in clears this user's sessions that ended over a month
  // ago. Every session expires within SESSION_MAX_AGE_SECONDS, so no row outlives ~37 days.
  const longAgo = new Date(now.getTime() - ENDED_SESSION_RETENTION_MS);
  await db.$transaction(async (tx) => {
    const [earlier, fromThisDevice] = deviceHash
      ? await Promise.all([
          tx.session.count({ where: { userId: input.userId } }),
          tx.session.count({ where: { userId: input.userId, deviceHash } }),
        ])
      : [0, 0];
    await tx.session.deleteMany({ where: { userId: input.userId, OR: [{ expiresAt: { lt: longAgo } }, { revokedAt: { lt: longAgo } }] } });
    await tx.session.create({
      data: {
        id,
        userId: input.userId,
        method: input.method,
        ip: input.ip ?? null,
        userAgent: input.userAgent?.slice(0, 512) ?? null,
        deviceHash,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
      },
    });
    if (deviceHash && earlier > 0 && fromThisDevice === 0) await notifyNewDevice(tx, input, deviceHash, now);
  });
  return id;
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** The "new sign-in" security notice (it cannot be turned off). */
async function notifyNewDevice(tx: Tx, input: { userId: string; ip?: string | null; userAgent?: string | null }, deviceHash: string, now: Date) {
  const device = describeDevice(input.userAgent);
  const when = `${now.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const body = `${device}${input.ip ? ` from IP ${input.ip}` : ""}, at ${when}. If this was you, there is nothing to do. If not, change your password and sign that session out on the Sessions page.`;
  await notifyUser(
    tx,
    input.userId,
    {
      kind: "new_sign_in",
      title: "New sign-in from a device not seen before",
      body,
      href: "/dashboard/sessions",
      dedupeKey: `new_sign_in:${input.userId}:${deviceHash}`,
      mail: {
        subject: "New sign-in to your account",
        heading: "New sign-in from a device not seen before",
        paragraphs: [body],
        action: { label: "Review your sessions", url: "/dashboard/sessions" },
        footer: "This security notice cannot be turned off.",
      },
    },
    now,
  );
}
