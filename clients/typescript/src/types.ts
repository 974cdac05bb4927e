import type { components, operations } from "./generated/openapi.js";

type Schemas = components["schemas"];
/** The verdict of POST /api/v1/verify. */
export type VerifyResult = Schemas["VerifyResult"];
export type VerifyRequest = Schemas["VerifyRequest"];
export type VerifyCode = VerifyResult["code"];
export type Key = Schemas["Key"];
export type KeyList = Schemas["KeyList"];
export type CreatedKey = Schemas["CreatedKey"];
export type RolledKey = Schemas["RolledKey"];
export type Usage = Schemas["Usage"];
export type Me = Schemas["Me"];
export type CreateKeyRequest = Schemas["CreateKeyRequest"];
export type UpdateKeyRequest = Schemas["UpdateKeyRequest"];
export type RollKeyRequest = Schemas["RollKeyRequest"];
export type ListKeysQuery = NonNullable<operations["listKeys"]["parameters"]["query"]>;
export type LeakReport = operations["reportLeakedKeys"]["requestBody"]["content"]["application/json"];
export type LeakVerdicts = operations["reportLeakedKeys"]["responses"][200]["content"]["application/json"];
export type OpenApiDocument = operations["getOpenApiDocument"]["responses"][200]["content"]["application/json"];

/**
 * The verified key's team, typed from the served document: `{ id, slug, name } | null` once
 * the server's verify result carries `team`, and `null` while it does not.
 */
export type VerifiedTeam = VerifyResult extends { team: infer Team } ? Team : null;
