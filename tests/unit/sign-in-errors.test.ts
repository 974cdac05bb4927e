import { describe, expect, it } from "vitest";
import { signInErrorMessage, signInErrorPage } from "@/lib/sign-in-errors";

describe("sign-in error messages", () => {
  it("names each known code's reason, and answers anything else from the URL with the generic message", () => {
    expect(signInErrorMessage("OAuthAccountNotLinked")).toBe("This email already has a Keyport account. Sign in with its password.");
    expect(signInErrorPage("OAuthNoVerifiedEmail")).toBe("/sign-in?error=OAuthNoVerifiedEmail");
    for (const hostile of ["__proto__", "constructor", "toString", "", null, undefined, "<script>"]) {
      expect(signInErrorMessage(hostile)).toBe("Sign-in failed. Try again.");
    }
  });
});
