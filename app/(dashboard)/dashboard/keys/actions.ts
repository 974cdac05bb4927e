"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { parseAllowlist } from "@/lib/api-keys/ip-allowlist";
import { updateApiKey } from "@/lib/api-keys/update-api-key";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { ApiKeyError } from "@/lib/api-keys/errors";
import { renameApiKey } from "@/lib/api-keys/rename-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { rollApiKey } from "@/lib/api-keys/roll-api-key";
import type { KeyScope } from "@/lib/api-keys/key-scope";
import { currentUser, requestAuditContext, type SessionUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { findTeamMembership } from "@/lib/teams/manage-teams";
import { moveKeyToTeam } from "@/lib/teams/move-key-to-team";
import { createKeyFieldsSchema, expirySchema, keyIdSchema, renameKeySchema, revokeKeySchema, rollKeySchema } from "@/lib/validations/api-keys";
import { fieldErrorsOf, type FieldErrors } from "@/lib/validations/auth";

// Every export here is a public endpoint: each one checks the session itself and
// scopes every change to the signed-in user's own keys, or, when the form names a team
// (its hidden `team` field), to that team's keys as the signed-in user: lib/ then reads
// their current role in the team and refuses what it does not allow (a viewer changes
// nothing, a developer only the keys they created, a non-member finds no key at all).

export type KeyActionState = {
  ok: boolean;
  errors?: FieldErrors;
  message?: string;
  /** Present only in the one response that reveals a new key. */
  secret?: string;
  keyId?: string;
  keyStart?: string;
};

const SIGNED_OUT: KeyActionState = { ok: false, message: "Your session has ended. Sign in again." };

const NO_KEY: KeyActionState = { ok: false, message: "That key does not exist." };

/**
 * Whose keys this form acts on: the user's personal keys, or the team its `team` field names
 * (null when the user is not a member of it, answered like a key that does not exist).
 * The slug only finds the team: the role is checked by lib/, in the change's transaction.
 */
async function keyScopeOf(user: SessionUser, formData: FormData): Promise<{ scope: KeyScope; paths: { list: string; keys: string } } | null> {
  const slug = formData.get("team");
  if (slug === null || slug === "") return { scope: { ownerId: user.id }, paths: { list: "/dashboard", keys: "/dashboard/keys" } };
  if (typeof slug !== "string" || slug.length > 100) return null;
  const membership = await findTeamMembership(user.id, slug);
  if (!membership) return null;
  const keys = `/dashboard/teams/${membership.team.slug}/keys`;
  return { scope: { team: { teamId: membership.team.id, userId: user.id } }, paths: { list: keys, keys } };
}

/** Refreshes the key list and, when given, one key's page. */
function refresh(paths: { list: string; keys: string }, keyId?: string) {
  revalidatePath(paths.list);
  if (keyId) revalidatePath(`${paths.keys}/${keyId}`);
}

function failure(error: unknown): KeyActionState {
  if (error instanceof ApiKeyError) return { ok: false, message: error.code === "not_found" ? "That key does not exist." : error.message };
  throw error;
}

export async function createKey(_previous: KeyActionState, formData: FormData): Promise<KeyActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const fields = createKeyFieldsSchema.safeParse({
    name: formData.get("name"),
    environment: formData.get("environment"),
    scopes: formData.getAll("scopes"),
  });
  const expiresAt = expirySchema.safeParse({ expiry: formData.get("expiry"), expiresOn: formData.get("expiresOn") || undefined });
  if (!fields.success || !expiresAt.success) {
    return {
      ok: false,
      errors: { ...(fields.success ? {} : fieldErrorsOf(fields.error)), ...(expiresAt.success ? {} : fieldErrorsOf(expiresAt.error)) },
    };
  }
  const holder = await keyScopeOf(user, formData);
  if (!holder) return { ok: false, message: "That team does not exist." };
  try {
    const { key, secret } = await createApiKey(
      { ownerId: user.id, ...("team" in holder.scope ? { teamId: holder.scope.team.teamId } : {}), ...fields.data, expiresAt: expiresAt.data },
      await requestAuditContext(user.id),
    );
    refresh(holder.paths);
    return { ok: true, secret, keyId: key.id, keyStart: key.start, message: `Created “${key.name}”.` };
  } catch (error) {
    return failure(error);
  }
}

export async function renameKey(_previous: KeyActionState, formData: FormData): Promise<KeyActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = renameKeySchema.safeParse({ keyId: formData.get("keyId"), name: formData.get("name") });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const holder = await keyScopeOf(user, formData);
  if (!holder) return NO_KEY;
  try {
    const key = await renameApiKey({ ...parsed.data, ...holder.scope }, await requestAuditContext(user.id));
    refresh(holder.paths, key.id);
    return { ok: true, message: `Renamed to “${key.name}”.` };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeKey(_previous: KeyActionState, formData: FormData): Promise<KeyActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = revokeKeySchema.safeParse({ keyId: formData.get("keyId") });
  if (!parsed.success) return { ok: false, message: "That key does not exist." };
  const holder = await keyScopeOf(user, formData);
  if (!holder) return NO_KEY;
  try {
    const key = await revokeApiKey({ keyId: parsed.data.keyId, ...holder.scope }, await requestAuditContext(user.id));
    refresh(holder.paths, key.id);
    return { ok: true, message: `Revoked “${key.name}”. It stops working now.` };
  } catch (error) {
    return failure(error);
  }
}

export async function rollKey(_previous: KeyActionState, formData: FormData): Promise<KeyActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = rollKeySchema(env.ROLL_GRACE_CHOICES).safeParse({
    keyId: formData.get("keyId"),
    graceMs: formData.get("graceMs"),
    startGraceOnFirstUse: formData.get("startGraceOnFirstUse") ?? undefined,
  });
  // "keep" (the default) leaves the new key the old one's expiry; anything else is a new one.
  const keepExpiry = (formData.get("expiry") ?? "keep") === "keep";
  const expiresAt = keepExpiry ? null : expirySchema.safeParse({ expiry: formData.get("expiry"), expiresOn: formData.get("expiresOn") || undefined });
  if (!parsed.success || (expiresAt && !expiresAt.success)) {
    return {
      ok: false,
      errors: { ...(parsed.success ? {} : fieldErrorsOf(parsed.error)), ...(expiresAt && !expiresAt.success ? fieldErrorsOf(expiresAt.error) : {}) },
    };
  }
  const holder = await keyScopeOf(user, formData);
  if (!holder) return NO_KEY;
  try {
    const { key, secret } = await rollApiKey(
      { ...parsed.data, ...holder.scope, nameAsRolled: true, ...(expiresAt?.success ? { expiresAt: expiresAt.data } : {}) },
      await requestAuditContext(user.id),
    );
    refresh(holder.paths, parsed.data.keyId);
    return { ok: true, secret, keyId: key.id, keyStart: key.start, message: `Rolled “${key.name}”.` };
  } catch (error) {
    return failure(error);
  }
}

const scopesFormSchema = z.object({ keyId: keyIdSchema, scopes: createKeyFieldsSchema.shape.scopes });

/** Narrows or widens a key's scopes; the key policy (in updateApiKey) decides what may be granted. */
export async function setKeyScopes(_previous: KeyActionState, formData: FormData): Promise<KeyActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const form = scopesFormSchema.safeParse({ keyId: formData.get("keyId"), scopes: formData.getAll("scopes") });
  if (!form.success) return { ok: false, errors: fieldErrorsOf(form.error) };
  const holder = await keyScopeOf(user, formData);
  if (!holder) return NO_KEY;
  try {
    const key = await updateApiKey({ keyId: form.data.keyId, ...holder.scope, scopes: form.data.scopes }, await requestAuditContext(user.id));
    refresh(holder.paths, key.id);
    return { ok: true, message: `“${key.name}” now has: ${[...form.data.scopes].sort().join(", ")}.` };
  } catch (error) {
    // Shown next to the field: the policy's own words (an admin-only scope, a key that no longer works).
    const failed = failure(error);
    return { ...failed, errors: { scopes: [failed.message ?? "That change is not allowed."] } };
  }
}

/** Extends or shortens a key's expiry (or removes it); the key policy (in updateApiKey) judges the date. */
export async function setKeyExpiry(_previous: KeyActionState, formData: FormData): Promise<KeyActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const keyId = keyIdSchema.safeParse(formData.get("keyId"));
  if (!keyId.success) return { ok: false, message: "That key does not exist." };
  const expiresAt = expirySchema.safeParse({ expiry: formData.get("expiry"), expiresOn: formData.get("expiresOn") || undefined });
  if (!expiresAt.success) return { ok: false, errors: fieldErrorsOf(expiresAt.error) };
  const holder = await keyScopeOf(user, formData);
  if (!holder) return NO_KEY;
  try {
    const key = await updateApiKey({ keyId: keyId.data, ...holder.scope, expiresAt: expiresAt.data }, await requestAuditContext(user.id));
    refresh(holder.paths, key.id);
    return { ok: true, message: key.expiresAt ? `“${key.name}” now expires ${key.expiresAt.toISOString().slice(0, 10)}.` : `“${key.name}” no longer expires.` };
  } catch (error) {
    const failed = failure(error);
    return { ...failed, errors: { expiry: [failed.message ?? "That change is not allowed."] } };
  }
}

const allowlistFormSchema = z.object({ keyId: keyIdSchema, ipAllowlist: z.string().max(4_000, "That list is too long.") });

export async function setKeyIpAllowlist(_previous: KeyActionState, formData: FormData): Promise<KeyActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const form = allowlistFormSchema.safeParse({ keyId: formData.get("keyId"), ipAllowlist: formData.get("ipAllowlist") ?? "" });
  if (!form.success) return { ok: false, errors: fieldErrorsOf(form.error) };
  const parsed = parseAllowlist(form.data.ipAllowlist);
  if (!parsed.ok) return { ok: false, errors: { ipAllowlist: [parsed.message] } };
  const holder = await keyScopeOf(user, formData);
  if (!holder) return NO_KEY;
  try {
    const key = await updateApiKey({ keyId: form.data.keyId, ...holder.scope, ipAllowlist: parsed.cidrs }, await requestAuditContext(user.id));
    revalidatePath(`${holder.paths.keys}/${key.id}`);
    return { ok: true, message: parsed.cidrs.length ? `“${key.name}” now works only from ${parsed.cidrs.length} address block(s).` : `“${key.name}” works from any address.` };
  } catch (error) {
    return failure(error);
  }
}

/**
 * Moves one of the caller's personal keys into a team they belong to; lib decides (an admin
 * or owner of the team, a key without admin-only scopes, room under the team's cap). The
 * secret does not change. Then the key's page is the team's.
 */
export async function moveKeyToTeamAction(_previous: KeyActionState, formData: FormData): Promise<KeyActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const keyId = keyIdSchema.safeParse(formData.get("keyId"));
  if (!keyId.success) return NO_KEY;
  const slug = formData.get("moveTo");
  const membership = typeof slug === "string" && slug && slug.length <= 100 ? await findTeamMembership(user.id, slug) : null;
  if (!membership) return { ok: false, errors: { moveTo: ["Choose one of your teams."] } };
  try {
    await moveKeyToTeam({ keyId: keyId.data, userId: user.id, teamId: membership.team.id }, await requestAuditContext(user.id));
  } catch (error) {
    const failed = failure(error);
    return { ...failed, errors: { moveTo: [failed.message ?? "That move is not allowed."] } };
  }
  revalidatePath("/dashboard", "layout");
  redirect(`/dashboard/teams/${membership.team.slug}/keys/${keyId.data}`);
}
