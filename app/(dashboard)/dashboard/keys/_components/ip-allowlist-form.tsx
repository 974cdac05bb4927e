"use client";

import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError, inputClasses } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { KeyScopeField } from "./key-scope";
import { type KeyActionState, setKeyIpAllowlist } from "../actions";

/** The key's allowed address blocks; an empty list lets the key work from anywhere. */
export function IpAllowlistForm({ keyId, cidrs }: { keyId: string; cidrs: string[] }) {
  const { state, onSubmit, pending } = useActionForm<KeyActionState>(setKeyIpAllowlist, { ok: false }, (result) => {
    if (result.ok && result.message) toast.success(result.message);
    else if (!result.ok && result.message) toast.error(result.message);
  });
  const errors = state.errors?.ipAllowlist;
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-2">
      <input type="hidden" name="keyId" value={keyId} />
      <KeyScopeField />
      <label htmlFor="field-ipAllowlist" className="block text-sm font-medium">
        Allowed IP addresses
      </label>
      <textarea
        id="field-ipAllowlist"
        name="ipAllowlist"
        rows={3}
        defaultValue={cidrs.join("\n")}
        placeholder={"203.0.113.0/24\n2001:db8::/32"}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? "field-ipAllowlist-error" : "field-ipAllowlist-hint"}
        className={`${inputClasses} font-mono`}
        spellCheck={false}
      />
      {errors?.length ? (
        <FieldError id="field-ipAllowlist-error" errors={errors} />
      ) : (
        <p id="field-ipAllowlist-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
          One address or CIDR block per line, IPv4 or IPv6. Empty: the key works from anywhere. Calls from elsewhere get 403 ip_not_allowed.
        </p>
      )}
      <div className="flex justify-end">
        <Button type="submit" size="sm" variant="secondary" pending={pending}>
          Save allowlist
        </Button>
      </div>
    </form>
  );
}
