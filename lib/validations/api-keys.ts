import { z } from "zod";
import { KEY_ENVIRONMENTS } from "../api-keys/key-format";
import { isScope, SCOPE_NAMES } from "../api-keys/scopes";

export const keyNameSchema = z
  .string({ error: "Give the key a name." })
  .trim()
  .min(1, "Give the key a name.")
  .max(64, "Use at most 64 characters.")
  // Control characters have no place in a label shown in tables and CSV exports.
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "Use printable characters only.");

export const keyIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9]+$/, "Not a key id.");

export const EXPIRY_CHOICES = ["never", "7", "30", "90", "date"] as const;
const DAY_MS = 86_400_000;
const MAX_EXPIRY_MS = 5 * 365 * DAY_MS;

/** The create-key form's fields other than expiry. */
export const createKeyFieldsSchema = z.object({
  name: keyNameSchema,
  environment: z.enum(KEY_ENVIRONMENTS, { error: "Choose test or live." }),
  scopes: z
    .array(z.string())
    .min(1, "Choose at least one scope.")
    .refine((scopes) => scopes.every(isScope), `Scopes must be among: ${SCOPE_NAMES.join(", ")}.`),
});

/**
 * Expiry: a preset number of days or a date (the end of that day, UTC). Validated apart
 * from the other fields so a form shows every field's problem at once.
 */
export const expirySchema = z
  .object({ expiry: z.enum(EXPIRY_CHOICES, { error: "Choose when the key expires." }), expiresOn: z.string().optional() })
  .transform((input, ctx) => {
    if (input.expiry === "never") return null;
    if (input.expiry !== "date") return new Date(Date.now() + Number(input.expiry) * DAY_MS);
    const date = input.expiresOn && /^\d{4}-\d{2}-\d{2}$/.test(input.expiresOn) ? new Date(`${input.expiresOn}T23:59:59.999Z`) : null;
    if (!date || Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Pick the date the key should expire." });
      return z.NEVER;
    }
    if (date.getTime() <= Date.now() || date.getTime() > Date.now() + MAX_EXPIRY_MS) {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Pick a date in the future, within five years." });
      return z.NEVER;
    }
    return date;
  });

export const renameKeySchema = z.object({ keyId: keyIdSchema, name: keyNameSchema });
export const revokeKeySchema = z.object({ keyId: keyIdSchema });

export function rollKeySchema(graceChoices: readonly number[]) {
  return z.object({
    keyId: keyIdSchema,
    graceMs: z.coerce
      .number()
      .refine((ms) => graceChoices.includes(ms), "Choose one of the grace periods offered."),
    startGraceOnFirstUse: z.literal("on").optional().transform((value) => value === "on"),
  });
}
