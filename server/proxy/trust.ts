// Which peers may tell the proxy who the client is: KYOZO_TRUSTED_PROXIES, comma-separated IPs and CIDRs
// (default none: Kyozo is the edge). Only a connection from one of them keeps its X-Forwarded-*, X-Real-IP
// and Forwarded; everyone else's are replaced by what the proxy saw.
import { BlockList, isIP } from 'node:net';
import { plainAddress } from './policy.ts';

/** Why a KYOZO_TRUSTED_PROXIES entry is not an IP or CIDR, or null. */
export function trustedProxyError(entry: string): string | null {
  const [addr, bits, extra] = entry.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return `"${entry}" is not an IP address or CIDR (10.0.0.0/8, fd00::/8)`;
  if (bits === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${entry}": the prefix length must be 0 to ${max}`;
  return null;
}

/** The entries of a comma-separated list (blanks dropped); throws naming the first invalid one. */
export function parseTrustedProxies(raw: string | undefined): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const e of entries) {
    const error = trustedProxyError(e);
    if (error) throw new Error(`KYOZO_TRUSTED_PROXIES: ${error}`);
  }
  return entries;
}

/** A predicate over peer addresses: true for an address inside one of the entries. */
export function trustMatcher(entries: readonly string[]): (addr: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    const type = isIP(addr) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return (raw) => {
    const addr = plainAddress(raw);
    const family = isIP(addr);
    return family !== 0 && list.check(addr, family === 4 ? 'ipv4' : 'ipv6');
  };
}
