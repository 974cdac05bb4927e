"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useDialogLock } from "@/components/ui/dialog";

/**
 * Shows a new key's secret: the only time it exists outside the caller's own systems.
 * It lives in this component's props alone; closing the dialog unmounts it. So the dialog
 * is locked while it shows: Escape or a stray click on the backdrop cannot lose the secret
 * (after a roll, the old key's grace is already running); only "I have copied it" closes it.
 */
export function SecretReveal({ secret, apiOrigin, onDone }: { secret: string; apiOrigin: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const dismissAttempts = useDialogLock();
  const curl = `curl -H "Authorization: Bearer ${secret}" ${apiOrigin}/api/v1/me`;

  async function copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success(`${what} copied to the clipboard.`);
    } catch {
      toast.error("The browser refused clipboard access. Select the text and copy it by hand.");
    }
  }

  return (
    <div className="space-y-5">
      <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
        <strong className="font-semibold">Copy this key now.</strong> It will not be shown again: Keyport keeps only a hash of it.
      </div>
      <div>
        <div className="flex items-center justify-between gap-2">
          <label htmlFor="new-secret" className="text-sm font-medium">
            Your new API key
          </label>
          <Button variant={copied ? "secondary" : "primary"} size="sm" onClick={() => copy(secret, "Key")}>
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
        {/* A textarea the dialog's full width, not an input beside the button, so the whole key
            shows on one line, and wraps on a narrow screen instead of scrolling out of sight;
            it grows to its content where the browser supports field-sizing. */}
        <div className="mt-1.5">
          <textarea
            id="new-secret"
            data-testid="new-secret"
            readOnly
            rows={2}
            value={secret}
            onFocus={(event) => event.currentTarget.select()}
            className="block w-full min-w-0 resize-none rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm break-all field-sizing-content dark:border-zinc-700 dark:bg-zinc-950"
            spellCheck={false}
            autoComplete="off"
          />
        </div>
      </div>
      <div>
        <div className="flex items-center justify-between">
          <span className="text-sm font-medium">Try it</span>
          <Button variant="ghost" size="sm" onClick={() => copy(curl, "curl command")}>
            Copy curl
          </Button>
        </div>
        <pre tabIndex={0} aria-label="curl command" className="mt-1.5 overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs text-zinc-100 dark:bg-black">
          <code>{curl}</code>
        </pre>
      </div>
      <div className="flex flex-wrap items-center justify-end gap-3">
        {dismissAttempts > 0 && (
          <p role="status" className="mr-auto text-sm text-zinc-600 dark:text-zinc-400">
            The key stays here until you choose “I have copied it”: it cannot be shown again.
          </p>
        )}
        <Button onClick={onDone}>I have copied it</Button>
      </div>
    </div>
  );
}
