// The rule lives in lib/validations/callback-url.ts, shared with next-auth's redirect callback.
export { safeCallbackUrl } from "@/lib/validations/callback-url";
