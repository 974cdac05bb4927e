/** One string per query parameter (the first, if repeated), trimmed; empty means absent. */
export function readParams<Name extends string>(searchParams: Record<string, string | string[] | undefined>, names: readonly Name[]) {
  const out = {} as Record<Name, string | undefined>;
  for (const name of names) {
    const raw = searchParams[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 200);
    out[name] = value ? value : undefined;
  }
  return out;
}
