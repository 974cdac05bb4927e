import { describe, expect, it } from "vitest";
import { readPresentedKey } from "@/lib/api/read-presented-key";

const key = "kp_live_abc";

describe("readPresentedKey", () => {
  it("reads a Bearer token and an X-API-Key header", () => {
    expect(readPresentedKey(new Headers({ authorization: `Bearer ${key}` }))).toBe(key);
    expect(readPresentedKey(new Headers({ "x-api-key": key }))).toBe(key);
    expect(readPresentedKey(new Headers({ authorization: `bearer ${key}` }))).toBe(key);
  });

  it("returns null when no key is sent", () => {
    expect(readPresentedKey(new Headers())).toBeNull();
  });

  it("treats wrong schemes, odd spacing, lists and disagreeing headers as ambiguous", () => {
    for (const authorization of [`Basic ${key}`, `Bearer  ${key}`, `Bearer${key}`, "Bearer", "Bearer ", `Bearer ${key}, Bearer other`, key]) {
      expect(readPresentedKey(new Headers({ authorization }))).toBe("ambiguous");
    }
    expect(readPresentedKey(new Headers({ authorization: `Bearer ${key}`, "x-api-key": "kp_live_other" }))).toBe("ambiguous");
    expect(readPresentedKey(new Headers({ "x-api-key": `${key} extra` }))).toBe("ambiguous");
  });
});
