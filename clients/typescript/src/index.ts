export { Keyport, type KeyportOptions, type VerifyKeyInput } from "./client.js";
export { KeyportApiError, KeyportError, KeyportNetworkError, KeyportTimeoutError, type ApiErrorBody, type ApiErrorCode } from "./errors.js";
export { createTransport, type RetryOptions } from "./transport.js";
export { VerifyCache, type VerifyCacheOptions } from "./verify-cache.js";
export { authenticate, type AuthenticateOptions, type KeyportAuth, type AuthOutcome, readPresentedKey } from "./middleware/core.js";
export type * from "./types.js";
export type { components, operations, paths } from "./generated/openapi.js";
