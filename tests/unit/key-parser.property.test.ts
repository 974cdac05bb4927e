import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checksumOf, generateApiKey, KEY_ENVIRONMENTS, parseApiKey, RANDOM_LENGTH } from "@/lib/api-keys/key-format";

// Bounded so the whole file stays well under a second or two; a failure prints its seed.
const RUNS = { numRuns: 2_000 };

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Every prefix KEY_PREFIX allows (lib/env.ts): 2-10 lower-case letters or digits, starting with a letter. */
const prefixArb = fc.stringMatching(/^[a-z][a-z0-9]{1,9}$/);
const environmentArb = fc.constantFrom(...KEY_ENVIRONMENTS);
const base62Arb = (length: number) => fc.string({ unit: fc.constantFrom(...BASE62), minLength: length, maxLength: length });

/** A key built the way generateApiKey builds one, from random characters fast-check chooses (so a failure replays). */
const keyArb = fc.record({ prefix: prefixArb, environment: environmentArb, random: base62Arb(RANDOM_LENGTH) }).map(({ prefix, environment, random }) => {
  const body = `${prefix}_${environment}_${random}`;
  return { prefix, environment, secret: body + checksumOf(body) };
});

/** Any string: every UTF-16 code unit, lone surrogates included, and short and long. */
const anyString = fc.oneof(fc.string({ unit: "binary", maxLength: 120 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 120 }), fc.string({ maxLength: 2_000 }));

describe("parseApiKey (property-based)", () => {
  it("never throws on any string, and answers ok: true only for a well-formed key with its checksum", () => {
    fc.assert(
      fc.property(anyString, prefixArb, (candidate, prefix) => {
        const parsed = parseApiKey(candidate, prefix);
        return parsed.ok === false || parsed.legacy || candidate.slice(-6) === checksumOf(candidate.slice(0, -6));
      }),
      RUNS,
    );
  });

  it("never throws on any value at all, and refuses every non-string", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }), (value) => {
        const parsed = parseApiKey(value, "kp");
        return parsed.ok === false && Object.keys(parsed).length === 1;
      }),
      RUNS,
    );
  });

  it("refuses key-shaped strings whose checksum does not match, and accepts those whose does", () => {
    fc.assert(
      fc.property(prefixArb, environmentArb, base62Arb(RANDOM_LENGTH + 6), (prefix, environment, tail) => {
        const candidate = `${prefix}_${environment}_${tail}`;
        const checksumMatches = tail.slice(-6) === checksumOf(candidate.slice(0, -6));
        return parseApiKey(candidate, prefix).ok === checksumMatches;
      }),
      RUNS,
    );
  });

  it("accepts every key generateApiKey produces, for both environments and any valid prefix", () => {
    fc.assert(
      fc.property(prefixArb, environmentArb, (prefix, environment) => {
        expect(parseApiKey(generateApiKey(prefix, environment).secret, prefix)).toEqual({ ok: true, prefix, environment, legacy: false });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(keyArb, ({ prefix, environment, secret }) => {
        expect(parseApiKey(secret, prefix)).toEqual({ ok: true, prefix, environment, legacy: false });
      }),
      RUNS,
    );
  });

  it("refuses every single-character change of a key, anywhere in it, to any other character", () => {
    fc.assert(
      fc.property(keyArb, fc.nat(), fc.oneof(fc.constantFrom(...BASE62, "_", "-", " "), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), ({ prefix, secret }, at, replacement) => {
        const index = at % secret.length;
        fc.pre(replacement !== secret[index]);
        const mutated = secret.slice(0, index) + replacement + secret.slice(index + 1);
        return !parseApiKey(mutated, prefix).ok;
      }),
      RUNS,
    );
  });

  it("refuses every truncation, every extension at either end, and every swap of two different neighbours", () => {
    fc.assert(
      fc.property(keyArb, fc.nat(), fc.string({ unit: "binary", minLength: 1, maxLength: 40 }), ({ prefix, secret }, at, extra) => {
        expect(parseApiKey(secret.slice(0, at % secret.length), prefix).ok).toBe(false);
        expect(parseApiKey(secret + extra, prefix).ok).toBe(false);
        expect(parseApiKey(extra + secret, prefix).ok).toBe(false);
        const index = at % (secret.length - 1);
        if (secret[index] !== secret[index + 1]) {
          const swapped = secret.slice(0, index) + secret[index + 1] + secret[index] + secret.slice(index + 2);
          expect(parseApiKey(swapped, prefix).ok).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it("refuses a key under any prefix but its own, and a key whose environment was changed", () => {
    fc.assert(
      fc.property(keyArb, prefixArb, ({ prefix, environment, secret }, otherPrefix) => {
        fc.pre(otherPrefix !== prefix);
        expect(parseApiKey(secret, otherPrefix).ok).toBe(false);
        const other = environment === "live" ? "test" : "live";
        expect(parseApiKey(secret.replace(`_${environment}_`, `_${other}_`), prefix).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it("recognises legacy keys by shape alone, and refuses them in any other case or length", () => {
    const hexArb = (length: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
    fc.assert(
      fc.property(hexArb(64), fc.integer({ min: 0, max: 63 }), (hex, at) => {
        expect(parseApiKey(`MV_SECRET_${hex}`, "kp")).toEqual({ ok: true, prefix: "MV_SECRET", environment: "live", legacy: true });
        expect(parseApiKey(`MV_SECRET_${hex.slice(0, at)}`, "kp").ok).toBe(false);
        expect(parseApiKey(`MV_SECRET_${hex}0`, "kp").ok).toBe(false);
        if (/[a-f]/.test(hex)) expect(parseApiKey(`MV_SECRET_${hex.toUpperCase()}`, "kp").ok).toBe(false);
      }),
      RUNS,
    );
  });
});
