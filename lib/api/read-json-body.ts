import type { z } from "zod";
import { ApiError } from "./errors";
import { readLimitedBody } from "./read-limited-body";

/** The largest JSON body /api/v1 reads; key management needs a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads and validates a JSON body: 415 for a Content-Type other than JSON, 413 past the size
 * limit, 400 for a body that is not JSON, and a ZodError (mapped to 422 with details) for JSON of the wrong shape.
 */
export async function readJsonBody<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<z.infer<Schema>> {
  // A body in any other type (fetch's default text/plain, curl -d's form encoding) is refused
  // rather than guessed at; no Content-Type at all is read as JSON, so a bodiless roll works.
  const contentType = request.headers.get("content-type");
  if (contentType !== null && !isJsonMediaType(contentType)) {
    throw new ApiError("unsupported_media_type", 415, "Send the body as JSON, with 'Content-Type: application/json'.");
  }
  // Stops reading at the limit, so an endless body costs us 16 KB, not memory.
  const text = Buffer.from(await readLimitedBody(request, MAX_BODY_BYTES)).toString("utf8");
  let json: unknown;
  try {
    json = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", 400, "The body is not valid JSON.");
  }
  return schema.parse(json);
}

/** application/json or a JSON-based type (application/problem+json…), with any parameters. */
function isJsonMediaType(contentType: string): boolean {
  const essence = contentType.split(";")[0].trim().toLowerCase();
  return essence === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(essence);
}
