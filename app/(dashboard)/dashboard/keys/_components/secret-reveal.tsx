"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/**
 * Shows a new key's secret: the only time it exists outside the caller's own systems.
 * It lives in this component's props alone; closing the dialog unmounts it.
 */
export function SecretReveal({ secret, apiOrigin, onDone }: { secret: string; apiOrigin: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
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
        <label htmlFor="new-secret" className="block text-sm font-medium">
          Your new API key
        </label>
        <div className="mt-1.5 flex gap-2">
          <input
            id="new-secret"
            data-testid="new-secret"
            readOnly
            value={secret}
            onFocus={(event) => event.currentTarget.select()}
            className="block w-full min-w-0 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
            spellCheck={false}
            autoComplete="off"
          />
          <Button variant={copied ? "secondary" : "primary"} onClick={() => copy(secret, "Key")}>
            {copied ? "Copied" : "Copy"}
          </Button>
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
      <div className="flex justify-end">
        <Button onClick={onDone}>I have copied it</Button>
      </div>
    </div>
  );
}
