import { ResendVerificationForm } from "../account/_components/account-forms";

/** Shown on every dashboard page while the account's address is unverified and verification is required. */
export function VerifyEmailBanner({ email }: { email: string }) {
  return (
    <div role="region" aria-label="Verify your email" className="mb-6 rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100">
      <p className="font-medium">Verify your email address to create API keys.</p>
      <p className="mt-1">
        We sent a link to <strong className="break-all">{email}</strong>. Open it to confirm the address is yours. No mail? Check your spam folder, or:
      </p>
      <div className="mt-3">
        <ResendVerificationForm />
      </div>
    </div>
  );
}
