import { describe, expect, it } from "vitest";
import { methodNotAllowed, REFUSED_METHOD_HEADER } from "@/lib/api/method-not-allowed";

describe("methodNotAllowed", () => {
  it("answers the JSON 405 with the route's Allow (HEAD beside GET, OPTIONS always), never cached", async () => {
    const response = await methodNotAllowed("GET", "POST")();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: { code: "method_not_allowed", message: "This route accepts GET and POST only." } });
    expect((await methodNotAllowed("POST")()).headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("its OPTIONS answers 204 with the same Allow and Cache-Control: no-store", async () => {
    const response = await methodNotAllowed("GET", "PATCH", "DELETE").options(new Request("http://localhost/api/v1/keys/x", { method: "OPTIONS" }));
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, PATCH, DELETE, HEAD, OPTIONS");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toBe("");
  });

  it("a request serve.mjs passed on for a method routes cannot take (TRACE) gets the JSON 405 from OPTIONS", async () => {
    const request = new Request("http://localhost/api/v1/me", { method: "OPTIONS", headers: { [REFUSED_METHOD_HEADER]: "TRACE" } });
    const response = await methodNotAllowed("GET").options(request);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });
});
