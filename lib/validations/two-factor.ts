import { z } from "zod";

/** A code typed into a two-factor form: six digits from the app, or a recovery code. Checked for real in lib/two-factor/. */
export const secondFactorCodeSchema = z
  .string({ error: "Enter the code from your authenticator app." })
  .trim()
  .min(1, "Enter the code from your authenticator app.")
  .max(64, "That is not a code from your authenticator app or a recovery code.");

/** What turning two-factor off or new recovery codes ask for: the password or a code. */
export const twoFactorProofSchema = z
  .string({ error: "Enter your password or a code from your authenticator app." })
  .min(1, "Enter your password or a code from your authenticator app.")
  .max(200, "That is not your password or a code.");
