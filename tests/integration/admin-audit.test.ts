import { describe, expect, it } from "vitest";
import { auditEventsToCsv, csvCell } from "@/lib/admin/audit-csv";
import { type AuditEventRow, followAuditEvents, listAuditEvents } from "@/lib/admin/list-audit-events";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { writeAuditEvent } from "@/lib/audit";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

describe("listAuditEvents", () => {
  it("filters by actor email, action, target key and target user, newest first", async () => {
    const owner = await createTestUser();
    const actor = await createTestUser();
    const { key } = await createTestKey(owner.id);
    await revokeApiKey({ keyId: key.id, reason: "rotated" }, { actorId: actor.id, ip: "10.0.0.1", userAgent: "vitest" });

    const byActor = await listAuditEvents({ actorEmail: actor.email.toUpperCase() });
    expect(byActor.items.map((event) => event.action)).toEqual(["key.revoked"]);
    expect(byActor.items[0]).toMatchObject({
      actorEmail: actor.email,
      targetUserEmail: owner.email,
      targetKeyId: key.id,
      targetKeyStart: key.start,
      ip: "10.0.0.1",
      details: { name: key.name, reason: "rotated" },
    });
    expect((await listAuditEvents({ targetKeyId: key.id })).items.map((event) => event.action)).toEqual(["key.revoked", "key.created"]);
    expect((await listAuditEvents({ targetUserId: owner.id, action: "key.created" })).items).toHaveLength(1);
    expect(await listAuditEvents({ actorEmail: "nobody@nowhere.test" })).toEqual({ items: [], nextCursor: null });
  });

  it("pages return each event exactly once across pages, within a from/to range", async () => {
    const user = await createTestUser();
    const at = new Date("2031-05-05T10:00:00.000Z");
    await db.auditEvent.createMany({
      data: [
        ...Array.from({ length: 9 }, (_, i) => ({ action: "key.renamed", targetUserId: user.id, createdAt: i < 5 ? at : new Date(at.getTime() + i) })),
        { action: "key.renamed", targetUserId: user.id, createdAt: new Date(at.getTime() - 1) },
        { action: "key.renamed", targetUserId: user.id, createdAt: new Date(at.getTime() + 1_000) },
      ],
    });

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents({ targetUserId: user.id, from: at, to: new Date(at.getTime() + 1_000), take: 4, cursor });
      ids.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    // from is inclusive and to exclusive: the events 1 ms before and exactly at `to` are out.
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
    const times = (await db.auditEvent.findMany({ where: { id: { in: ids } } })).map((event) => event.createdAt.getTime());
    expect(Math.min(...times)).toBe(at.getTime());
  });
});

describe("followAuditEvents", () => {
  it("returns each new event once, including one whose transaction committed late", async () => {
    const user = await createTestUser();
    const since = new Date(Date.now() - 5_000);
    const poll = followAuditEvents({ since });
    const mine = (events: AuditEventRow[]) => events.filter((event) => event.targetUserId === user.id).map((event) => event.action);

    await writeAuditEvent(db, "user.promoted", { actorId: null }, { userId: user.id });
    expect(mine(await poll())).toEqual(["user.promoted"]);
    expect(mine(await poll())).toEqual([]);

    // Written with a time before the last one shown, as a slow transaction's event would be.
    await db.auditEvent.create({ data: { action: "user.demoted", targetUserId: user.id, createdAt: new Date(Date.now() - 2_000) } });
    await db.auditEvent.create({ data: { action: "user.disabled", targetUserId: user.id, createdAt: new Date(since.getTime() - 60_000) } });
    expect(mine(await poll())).toEqual(["user.demoted"]);
    expect(mine(await poll())).toEqual([]);
  });
});

describe("auditEventsToCsv", () => {
  const row: AuditEventRow = {
    id: "evt1",
    createdAt: new Date("2026-01-02T03:04:05.006Z"),
    action: "key.renamed",
    actorId: "u1",
    actorEmail: "ada@example.com",
    targetUserId: "u2",
    targetUserEmail: "bob@example.com",
    targetKeyId: "k1",
    targetKeyName: '=HYPERLINK("http://evil.example","click")',
    targetKeyStart: "kp_live_Ab3x",
    ip: "10.0.0.1",
    userAgent: "curl/8, \"quoted\"\nsecond line",
    details: { from: "+1", to: "@sum(A1)" },
  };

  it("escapes commas, quotes and line breaks the RFC 4180 way, with a header and CRLF line ends", () => {
    const csv = auditEventsToCsv([row]);
    const [header, line, end] = csv.split("\r\n");
    expect(header).toBe("createdAt,id,action,actorEmail,actorId,targetUserEmail,targetUserId,targetKeyStart,targetKeyName,targetKeyId,ip,userAgent,details");
    expect(end).toBe("");
    expect(line).toContain('"curl/8, ""quoted""\nsecond line"');
    expect(line.startsWith("2026-01-02T03:04:05.006Z,evt1,key.renamed,ada@example.com,u1,bob@example.com,u2,kp_live_Ab3x,")).toBe(true);
    expect(csvCell(null)).toBe("");
    expect(csvCell("plain")).toBe("plain");
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    // Quoted as well (tests/unit/audit-csv.test.ts: readers that split on ; or tab).
    expect(csvCell("=1+1")).toBe(`"'=1+1"`);
    expect(csvCell("+1")).toBe(`"'+1"`);
    expect(csvCell("-2")).toBe(`"'-2"`);
    expect(csvCell("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(csvCell("\t=1")).toBe(`"'\t'=1"`);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("a=1")).toBe("a=1");
    const line = auditEventsToCsv([row]).split("\r\n")[1];
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(line).not.toMatch(/(^|,)[=+\-@]/);
  });
});
