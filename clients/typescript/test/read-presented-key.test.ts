import { describe, expect, it } from "vitest";
import { readPresentedKey } from "../src/index.js";

describe("readPresentedKey reads the key as Keyport's guard does", () => {
  it.each([
    ["Bearer kp_live_a", null, "kp_live_a"],
    ["bearer kp_live_a", null, "kp_live_a"],
    [null, "kp_live_a", "kp_live_a"],
    ["Bearer kp_live_a", "kp_live_a", "kp_live_a"],
    [null, null, null],
    ["Bearer kp_live_a", "kp_live_b", "ambiguous"],
    ["Basic a2V5", null, "ambiguous"],
    ["Bearer  kp_live_a", null, "ambiguous"],
    ["Bearer a,b", null, "ambiguous"],
    [null, "two words", "ambiguous"],
  ])("Authorization %j, X-API-Key %j: %j", (authorization, apiKey, expected) => {
    expect(readPresentedKey(authorization, apiKey)).toBe(expected);
  });
});
