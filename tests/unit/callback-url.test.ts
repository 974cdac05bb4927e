import { describe, expect, it } from "vitest";
import { safeCallbackUrl, safeRedirectOnOrigin } from "@/lib/validations/callback-url";

// Each of these either leaves the portal in some browser or router, or is not a path at all.
const HOSTILE = [
  "/\t/evil.example",
  "/\t/evil.example/x",
  "/%09/evil.example",
  "/%09/evil.example/x",
  "/%0A/evil.example",
  "/%0a",
  "/%0D%0ALocation:%20https://evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "//evil.example",
  "//evil.example/path",
  "///evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "/%5Cevil.example",
  "/%5C%5Cevil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "https://evil.example",
  "https://evil.example/dashboard",
  "http://127.0.0.1:3200/dashboard",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "dashboard",
  " /dashboard",
  "/dash\u0000board",
  "/dash\u007fboard",
  "/dash\u0085board",
  "/%E0%A4%A",
  "/%",
  "",
  `/${"a".repeat(3000)}`,
];

describe("callbackUrl: only a path on this portal", () => {
  it.each(HOSTILE)("refuses %j (answers the fallback)", (value) => {
    expect(safeCallbackUrl(value)).toBe("/dashboard");
  });

  it("refuses what is not a string at all", () => {
    for (const value of [undefined, null, 42, ["/dashboard"], { toString: () => "/dashboard" }]) expect(safeCallbackUrl(value)).toBe("/dashboard");
  });

  it.each([
    ["/dashboard", "/dashboard"],
    ["/dashboard/keys/abc?tab=usage#chart", "/dashboard/keys/abc?tab=usage#chart"],
    ["/admin/audit?action=key.created", "/admin/audit?action=key.created"],
    ["/dashboard/../admin", "/admin"],
    ["/docs?q=%20space", "/docs?q=%20space"],
  ])("keeps the same-origin path %j as %j", (value, expected) => {
    expect(safeCallbackUrl(value)).toBe(expected);
  });

  it("next-auth's redirect callback keeps its own origin's URLs and sends everything else to the dashboard", () => {
    const base = "http://127.0.0.1:3200";
    expect(safeRedirectOnOrigin(`${base}/dashboard/keys`, base)).toBe(`${base}/dashboard/keys`);
    expect(safeRedirectOnOrigin("/admin", base)).toBe(`${base}/admin`);
    expect(safeRedirectOnOrigin(base, base)).toBe(`${base}/`);
    for (const value of HOSTILE) expect(safeRedirectOnOrigin(value, base)).toBe(`${base}/dashboard`);
    expect(safeRedirectOnOrigin(`${base}.evil.example/x`, base)).toBe(`${base}/dashboard`);
    expect(safeRedirectOnOrigin(`${base}@evil.example/x`, base)).toBe(`${base}/dashboard`);
    expect(safeRedirectOnOrigin(`${base}//evil.example`, base)).toBe(`${base}/dashboard`);
  });
});
