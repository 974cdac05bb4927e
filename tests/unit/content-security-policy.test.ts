import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, servedOverHttps } from "@/proxy";

const directives = (policy: string) => policy.split(";").map((directive) => directive.trim());

describe("content security policy", () => {
  it("a portal served over plain HTTP is not told to upgrade its own stylesheet and scripts to https", () => {
    const policy = contentSecurityPolicy("bm9uY2U=", { development: false, upgradeInsecureRequests: false });
    expect(directives(policy)).not.toContain("upgrade-insecure-requests");
    expect(policy).toContain("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
  });

  it("a portal served over https upgrades insecure subresources", () => {
    const policy = contentSecurityPolicy("bm9uY2U=", { development: false, upgradeInsecureRequests: true });
    expect(directives(policy)).toContain("upgrade-insecure-requests");
  });

  it("development never upgrades, and allows eval for fast refresh", () => {
    const policy = contentSecurityPolicy("bm9uY2U=", { development: true, upgradeInsecureRequests: true });
    expect(directives(policy)).not.toContain("upgrade-insecure-requests");
    expect(policy).toContain("'unsafe-eval'");
  });
});

describe("served over https", () => {
  const forwardedHttps = new Headers({ "x-forwarded-proto": "https" });

  it("an https NEXTAUTH_URL means https, whatever the request says", () => {
    expect(servedOverHttps(new Headers(), { NEXTAUTH_URL: "https://keys.example.com", TRUST_PROXY: false })).toBe(true);
  });

  it("an http NEXTAUTH_URL, or none, with no trusted proxy means plain HTTP", () => {
    expect(servedOverHttps(new Headers(), { NEXTAUTH_URL: "http://keyport.internal:3000", TRUST_PROXY: false })).toBe(false);
    expect(servedOverHttps(new Headers(), { TRUST_PROXY: false })).toBe(false);
  });

  it("a client's own X-Forwarded-Proto is not believed without TRUST_PROXY", () => {
    expect(servedOverHttps(forwardedHttps, { TRUST_PROXY: false })).toBe(false);
  });

  it("a trusted proxy's X-Forwarded-Proto: https means https (the first hop of a chain counts)", () => {
    expect(servedOverHttps(forwardedHttps, { TRUST_PROXY: true })).toBe(true);
    expect(servedOverHttps(new Headers({ "x-forwarded-proto": "HTTPS, http" }), { TRUST_PROXY: true })).toBe(true);
    expect(servedOverHttps(new Headers({ "x-forwarded-proto": "http" }), { TRUST_PROXY: true })).toBe(false);
  });
});
