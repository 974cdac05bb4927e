import type { z } from "zod";
import { ApiError } from "./errors";
import { readLimitedBody } from "./read-limited-body";

/** The largest JSON body /api/v1 reads; key management needs a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads and validates a JSON body: 413 past the size limit, 400 for a body that is not
 * JSON, and a ZodError (mapped to 422 with details) for JSON of the wrong shape.
 */
export async function readJsonBody<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<z.infer<Schema>> {
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
