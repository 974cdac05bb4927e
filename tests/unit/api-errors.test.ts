import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiKeyError } from "@/lib/api-keys/errors";
import { ApiError, errorResponse } from "@/lib/api/errors";

// The one error-to-response mapping: every error a handler can throw becomes the one JSON
// shape with the right status, and nothing of an unexpected error reaches the client.
async function answer(error: unknown) {
  const response = errorResponse(error);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe("errorResponse", () => {
  it("an ApiError keeps its code, status, message, headers and details", async () => {
    const error = new ApiError("rate_limited", 429, "Slow down.", { "Retry-After": "7" }, [{ path: "x", message: "y" }]);
    expect(error.name).toBe("ApiError");
    const { status, headers, body } = await answer(error);
    expect(status).toBe(429);
    expect(headers.get("retry-after")).toBe("7");
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({ error: { code: "rate_limited", message: "Slow down.", details: [{ path: "x", message: "y" }] } });
    expect((await answer(new ApiError("not_found", 404, "No such key."))).body).toEqual({ error: { code: "not_found", message: "No such key." } });
  });

  it("a ZodError is a 422 validation_failed naming each field's path", async () => {
    const parsed = z.object({ name: z.string(), nested: z.object({ n: z.number() }) }).safeParse({ nested: { n: "x" } });
    const { status, body } = await answer(parsed.error);
    expect(status).toBe(422);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toBe("The request body or query is not valid.");
    expect(body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(["name", "nested.n"]);
  });

  it("each key-policy refusal maps to its status and code, with the policy's message", async () => {
    const cases = [
      ["not_found", 404, "not_found"],
      ["limit_reached", 409, "limit_reached"],
      ["invalid_state", 409, "conflict"],
      ["forbidden_scope", 403, "insufficient_scope"],
      ["invalid_input", 422, "validation_failed"],
    ] as const;
    for (const [code, status, apiCode] of cases) {
      const { status: got, body } = await answer(new ApiKeyError(code, `because ${code}`));
      expect([got, body.error.code, body.error.message]).toEqual([status, apiCode, `because ${code}`]);
    }
  });

  it("a database that does not answer is a 503 with Retry-After, logged as one line", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const error of [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), new Error("Query read timeout"), Object.assign(new Error("x"), { code: "P1001" })]) {
      const { status, headers, body } = await answer(error);
      expect(status).toBe(503);
      expect(headers.get("retry-after")).toBe("5");
      expect(body).toEqual({ error: { code: "unavailable", message: "The service is temporarily unavailable. Retry shortly." } });
    }
    expect(warn).toHaveBeenCalledWith("[keyport] database unavailable:", "connect ECONNREFUSED 127.0.0.1:5432");
    warn.mockRestore();
  });

  it("anything else is a generic 500 that reveals nothing of the error", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const secretish = new Error("SELECT * FROM secrets WHERE token = 'kp_live_leak'");
    const { status, body } = await answer(secretish);
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side." } });
    expect(JSON.stringify(body)).not.toContain("secrets");
    expect(logged).toHaveBeenCalledWith("[keyport] unhandled error in /api/v1:", secretish);
    expect((await answer("a thrown string")).status).toBe(500);
    logged.mockRestore();
  });
});
