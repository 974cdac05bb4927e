import type { z } from "zod";
import { ApiError } from "./errors";

/** The largest JSON body /api/v1 reads; key management needs a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads and validates a JSON body: 413 past the size limit, 400 for a body that is not
 * JSON, and a ZodError (mapped to 422 with details) for JSON of the wrong shape.
 */
export async function readJsonBody<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<z.infer<Schema>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large", 413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const text = await request.text().catch(() => {
    throw new ApiError("bad_request", 400, "The body could not be read.");
  });
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new ApiError("payload_too_large", 413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  let json: unknown;
  try {
    json = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", 400, "The body is not valid JSON.");
  }
  return schema.parse(json);
}
