"use client";

import Link from "next/link";
import { useState } from "react";
import { Button, buttonClasses } from "@/components/ui/button";

/**
 * Recovery codes, shown once: they exist in plaintext only in this answer (the server keeps
 * their SHA-256). Copy and download so they end up somewhere safe.
 */
export function RecoveryCodesPanel({ codes, heading }: { codes: string[]; heading: string }) {
  const [copied, setCopied] = useState(false);
  const text = `Keyport recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  // A file made in the browser from the codes already on the page: they go nowhere else.
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: "keyport-recovery-codes.txt" });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <section aria-labelledby="recovery-codes-heading" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950">
      <h2 id="recovery-codes-heading" className="font-medium">
        {heading}
      </h2>
      <p className="text-sm">Save these now: they are shown only this once. Each signs you in once if you lose your authenticator.</p>
      <ol data-testid="recovery-codes" className="grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            await navigator.clipboard.writeText(codes.join("\n"));
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy codes"}
        </Button>
        <Button variant="secondary" size="sm" onClick={download}>
          Download
        </Button>
        <Link href="/account/two-factor" className={buttonClasses("primary", "sm")}>
          I saved them
        </Link>
      </div>
    </section>
  );
}
