import { BlockList, isIP } from "node:net";

/**
 * Per-key IP allowlists: CIDR blocks, IPv4 and IPv6, matched with Node's own BlockList
 * (no hand-written address arithmetic). IPv4-mapped IPv6 addresses (::ffff:10.0.0.1, as a
 * dual-stack socket reports IPv4 callers) are matched as the IPv4 address they carry.
 */
export const MAX_ALLOWLIST_ENTRIES = 50;

export type ParsedAllowlist = { ok: true; cidrs: string[] } | { ok: false; message: string };

/** Reads "10.0.0.0/8, 2001:db8::/32 192.0.2.7" (commas, spaces or lines); a bare address is a /32 or /128. */
export function parseAllowlist(text: string): ParsedAllowlist {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (entries.length > MAX_ALLOWLIST_ENTRIES) return { ok: false, message: `Use at most ${MAX_ALLOWLIST_ENTRIES} entries.` };
  const cidrs: string[] = [];
  for (const entry of entries) {
    const [address, prefixText, extra] = entry.split("/");
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!family || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) {
      return { ok: false, message: `“${entry.slice(0, 60)}” is not an IP address or CIDR block (e.g. 203.0.113.0/24 or 2001:db8::/32).` };
    }
    cidrs.push(`${address.toLowerCase()}/${prefix}`);
  }
  return { ok: true, cidrs: [...new Set(cidrs)] };
}

const compiled = new WeakMap<readonly string[], BlockList>();

function blockListOf(cidrs: readonly string[]) {
  let list = compiled.get(cidrs);
  if (!list) {
    list = new BlockList();
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split("/");
      list.addSubnet(address, Number(prefix), isIP(address) === 4 ? "ipv4" : "ipv6");
    }
    compiled.set(cidrs, list);
  }
  return list;
}

/** Whether `ip` falls in one of the blocks. An empty list allows everyone; an unknown IP no one. */
export function isIpAllowed(cidrs: readonly string[], ip: string | null): boolean {
  if (cidrs.length === 0) return true;
  if (!ip) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const family = isIP(address);
  if (!family) return false;
  return blockListOf(cidrs).check(address, family === 4 ? "ipv4" : "ipv6");
}
