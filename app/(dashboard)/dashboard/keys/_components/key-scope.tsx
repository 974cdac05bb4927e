"use client";

import { createContext, useContext } from "react";
import { type KeyScope, PERSONAL_SCOPE } from "./key-scope-paths";

const KeyScopeContext = createContext<KeyScope>(PERSONAL_SCOPE);

/** Tells the key components below whose keys they show (see key-scope-paths.ts). */
export function KeyScopeProvider({ scope, children }: { scope: KeyScope; children: React.ReactNode }) {
  return <KeyScopeContext.Provider value={scope}>{children}</KeyScopeContext.Provider>;
}

export function useKeyScope() {
  return useContext(KeyScopeContext);
}

/** The team's slug as a hidden field of a key form (nothing for personal keys). */
export function KeyScopeField() {
  const { teamSlug } = useKeyScope();
  return teamSlug ? <input type="hidden" name="team" value={teamSlug} /> : null;
}
