import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holderFields, KEY_STATES, keyDisplayStatus, keyDisplayStatusWhere, keyState, keyStateWhere, usableKeyWhere, isUsableState } from "@/lib/api-keys/key-policy";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

// The key policy defines a key's state twice: in JavaScript (verification, the dashboard)
// and as a database filter (caps, console filters). This property test writes random keys
// to a real database and checks that each filter selects exactly the keys the JavaScript
// rule gives that state, at a random moment.

const HOUR = 3_600_000;
// Hours from the moment judged, weighted to the boundaries: the instant itself and the
// "expiring soon" threshold (168 h), where a < written for a <= would hide.
const offset = fc.option(
  fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: 166, max: 170 }), fc.integer({ min: -500, max: 500 })).map((hours) => hours * HOUR),
  { nil: null },
);
// A personal key, or a key of a team that works, is suspended or is deleted; its owner (a team key's creator) enabled or not.
const keyShape = fc.record({
  revokedAt: offset,
  expiresAt: offset,
  graceEndsAt: offset,
  ownerDisabled: fc.boolean(),
  holder: fc.constantFrom("personal", "team", "suspended team", "deleted team"),
});

describe("the key state has one definition", () => {
  it("keyState() and keyStateWhere() agree on every key, as do the display status and its filter", async () => {
    const enabled = await createTestUser();
    const disabled = await createTestUser();
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const teamOf = {
      personal: null,
      team: await db.team.create({ data: { slug: `prop-ok-${enabled.id.slice(-10)}`, name: "works" } }),
      "suspended team": await db.team.create({ data: { slug: `prop-susp-${enabled.id.slice(-10)}`, name: "suspended", suspendedAt: new Date() } }),
      "deleted team": await db.team.create({ data: { slug: `prop-del-${enabled.id.slice(-10)}`, name: "deleted", deletedAt: new Date() } }),
    };
    await fc.assert(
      fc.asyncProperty(fc.array(keyShape, { minLength: 1, maxLength: 12 }), async (shapes) => {
        const base = Date.now();
        const now = new Date(base);
        const at = (value: number | null) => (value === null ? null : new Date(base + value));
        const ids: string[] = [];
        const expected = new Map<string, ReturnType<typeof keyState>>();
        const expectedDisplay = new Map<string, ReturnType<typeof keyDisplayStatus>>();
        for (const shape of shapes) {
          const owner = shape.ownerDisabled ? disabled : enabled;
          const { key } = await createTestKey(enabled.id);
          const fields = { revokedAt: at(shape.revokedAt), expiresAt: at(shape.expiresAt), graceEndsAt: at(shape.graceEndsAt) };
          const team = teamOf[shape.holder];
          await db.apiKey.update({ where: { id: key.id }, data: { ...fields, ownerId: owner.id, teamId: team?.id ?? null } });
          ids.push(key.id);
          const holder = holderFields({ team: team ? { suspended: shape.holder !== "team" } : null, ownerDisabled: shape.ownerDisabled });
          expected.set(key.id, keyState({ ...fields, ...holder }, now));
          expectedDisplay.set(key.id, keyDisplayStatus(fields, now));
        }
        for (const state of KEY_STATES) {
          const rows = await db.apiKey.findMany({ where: { id: { in: ids }, ...keyStateWhere(state, now) }, select: { id: true } });
          expect(new Set(rows.map((row) => row.id))).toEqual(new Set(ids.filter((id) => expected.get(id) === state)));
        }
        const usable = await db.apiKey.findMany({ where: { id: { in: ids }, ...usableKeyWhere(now) }, select: { id: true } });
        expect(new Set(usable.map((row) => row.id))).toEqual(new Set(ids.filter((id) => isUsableState(expected.get(id)!))));
        for (const status of ["active", "expiring_soon", "in_grace", "expired", "revoked"] as const) {
          const rows = await db.apiKey.findMany({ where: { id: { in: ids }, ...keyDisplayStatusWhere(status, now) }, select: { id: true } });
          expect(new Set(rows.map((row) => row.id))).toEqual(new Set(ids.filter((id) => expectedDisplay.get(id) === status)));
        }
        await db.apiKey.deleteMany({ where: { id: { in: ids } } });
      }),
      { numRuns: Number(process.env.KEYPORT_PROPERTY_RUNS ?? 40) },
    );
  });

  it("a non-null revokedAt is revoked at any moment, before or after it", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (revokedAt, now) => {
        expect(keyState({ revokedAt, expiresAt: null, graceEndsAt: null }, now)).toBe("revoked");
      }),
    );
  });
});
