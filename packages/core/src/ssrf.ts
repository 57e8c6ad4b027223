import { JunctionError } from "./errors.js";

/**
 * SSRF guard for organizations' custom endpoints: which IP addresses a gateway may connect to on a customer's
 * behalf. Pure (no DNS here): the resolver is injected, so the gateway (at connect time, pinning the address it
 * checked) and the dashboard (when saving) run the very same rules.
 */
export type AddressClass =
  | "public"
  | "invalid"
  | "unspecified"
  | "loopback"
  | "private"
  | "cgnat"
  | "link_local"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "benchmarking"
  | "unique_local"
  | "site_local"
  | "ipv4_translated"
  | "protocol_assignment";

type Range = { bytes: number[]; bits: number; class: AddressClass };

/** Parses a dotted IPv4 address (strict: four decimal octets) into 4 bytes. */
function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith("0"))) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

/** Parses an IPv6 address (with `::`, an embedded IPv4 tail, no zone id) into 16 bytes. */
function parseIpv6(text: string): number[] | null {
  if (text.includes("%")) return null;
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = [(v4[0] ?? 0) * 256 + (v4[1] ?? 0), (v4[2] ?? 0) * 256 + (v4[3] ?? 0)];
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const group = (part: string): number[] | null => {
    if (part === "") return [];
    const groups = part.split(":");
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const left = group(halves[0] ?? "");
  const right = halves.length === 2 ? group(halves[1] ?? "") : [];
  if (!left || !right) return null;
  const words = [...left, ...right, ...tail];
  if (halves.length === 2) {
    if (words.length > 7) return null;
    words.splice(left.length, 0, ...new Array<number>(8 - words.length).fill(0));
  } else if (words.length !== 8) return null;
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

function range(cidr: string, cls: AddressClass): Range {
  const [address = "", bits = "0"] = cidr.split("/");
  const bytes = address.includes(":") ? parseIpv6(address) : parseIpv4(address);
  if (!bytes) throw new Error(`bad range ${cidr}`);
  return { bytes, bits: Number(bits), class: cls };
}

function inRange(bytes: number[], r: Range): boolean {
  if (bytes.length !== r.bytes.length) return false;
  let bits = r.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((r.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

// IANA special-purpose registries (RFC 6890 and successors). First match wins, so narrower ranges come first.
const IPV4_RANGES: Range[] = [
  range("255.255.255.255/32", "broadcast"),
  range("0.0.0.0/8", "unspecified"),
  range("10.0.0.0/8", "private"),
  range("100.64.0.0/10", "cgnat"),
  range("127.0.0.0/8", "loopback"),
  range("169.254.0.0/16", "link_local"),
  range("172.16.0.0/12", "private"),
  range("192.0.0.0/24", "protocol_assignment"),
  range("192.0.2.0/24", "documentation"),
  range("192.31.196.0/24", "protocol_assignment"),
  range("192.52.193.0/24", "protocol_assignment"),
  range("192.88.99.0/24", "reserved"),
  range("192.168.0.0/16", "private"),
  range("192.175.48.0/24", "protocol_assignment"),
  range("198.18.0.0/15", "benchmarking"),
  range("198.51.100.0/24", "documentation"),
  range("203.0.113.0/24", "documentation"),
  range("224.0.0.0/4", "multicast"),
  range("240.0.0.0/4", "reserved"),
];

const IPV6_RANGES: Range[] = [
  range("::/128", "unspecified"),
  range("::1/128", "loopback"),
  range("64:ff9b:1::/48", "ipv4_translated"),
  range("100::/64", "reserved"),
  range("2001:db8::/32", "documentation"),
  range("2001::/23", "protocol_assignment"),
  range("3fff::/20", "documentation"),
  range("5f00::/16", "reserved"),
  range("fc00::/7", "unique_local"),
  range("fe80::/10", "link_local"),
  range("fec0::/10", "site_local"),
  range("ff00::/8", "multicast"),
  // Anything outside 2000::/3 (global unicast) is not allocated for use on the Internet.
  range("::/3", "reserved"),
  range("4000::/2", "reserved"),
  range("8000::/1", "reserved"),
];

const MAPPED = range("::ffff:0:0/96", "public");
const COMPATIBLE = range("::/96", "public");
const NAT64 = range("64:ff9b::/96", "public");
const SIX_TO_FOUR = range("2002::/16", "public");

function classifyIpv4(bytes: number[]): AddressClass {
  return IPV4_RANGES.find((r) => inRange(bytes, r))?.class ?? "public";
}

/**
 * What kind of address `ip` is. "public" is the only class a custom endpoint may reach; IPv6 forms that embed an
 * IPv4 address (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the
 * embedded address, so ::ffff:127.0.0.1 is loopback.
 */
export function classifyAddress(ip: string): AddressClass {
  const text = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const v4 = parseIpv4(text);
  if (v4) return classifyIpv4(v4);
  const v6 = text.includes(":") ? parseIpv6(text) : null;
  if (!v6) return "invalid";
  if (inRange(v6, MAPPED) || (inRange(v6, COMPATIBLE) && !v6.slice(0, 15).every((b) => b === 0))) {
    return classifyIpv4(v6.slice(12));
  }
  if (inRange(v6, NAT64)) return classifyIpv4(v6.slice(12));
  if (inRange(v6, SIX_TO_FOUR)) return classifyIpv4(v6.slice(2, 6));
  return IPV6_RANGES.find((r) => inRange(v6, r))?.class ?? "public";
}

/** The loophole for tests and local development only: loopback addresses and plain http. Production refuses it. */
export type EndpointGuardOptions = { allowLoopback: boolean };

/** Whether the gateway may connect to `ip` on an organization's behalf. */
export function isAllowedAddress(ip: string, options: EndpointGuardOptions): boolean {
  const cls = classifyAddress(ip);
  return cls === "public" || (options.allowLoopback && cls === "loopback");
}

export const SSRF_REFUSED = "JUNCTION_SSRF_REFUSED";

function refused(message: string, param = "baseUrl"): JunctionError {
  return new JunctionError("bad_request", message, { param, metadata: { reason: SSRF_REFUSED } });
}

/** A checked base URL: https (http only with the loopback loophole), no credentials, query or fragment. */
export type CheckedEndpointUrl = { url: URL; hostname: string; literalAddress: string | null };

function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** Static checks of a custom endpoint's base URL; an IP literal is classified here (it needs no DNS). */
export function checkEndpointUrl(raw: string, options: EndpointGuardOptions): CheckedEndpointUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused("Enter a full URL, like https://llm.example.com/v1");
  }
  if (url.protocol !== "https:" && !(options.allowLoopback && url.protocol === "http:")) {
    throw refused("Custom endpoints must use https");
  }
  if (url.username || url.password) throw refused("The URL must not contain a user name or password");
  if (url.search || url.hash) throw refused("The URL must not have a query string or fragment");
  const hostname = hostOf(url).toLowerCase();
  if (!hostname) throw refused("The URL has no host");
  const literal = classifyAddress(hostname) === "invalid" ? null : hostname;
  if (literal && !isAllowedAddress(literal, options)) {
    throw refused(`The address ${literal} is not public (${classifyAddress(literal)})`);
  }
  return { url, hostname, literalAddress: literal };
}

export type ResolvedAddress = { address: string; family: number };
export type ResolveAll = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * Resolves `hostname` and refuses it unless every address it resolves to is allowed (one private answer among
 * public ones is how rebinding attacks hide). Returns the addresses to connect to.
 */
export async function resolveAllowedAddresses(
  hostname: string,
  resolveAll: ResolveAll,
  options: EndpointGuardOptions,
): Promise<ResolvedAddress[]> {
  if (classifyAddress(hostname) !== "invalid") {
    if (!isAllowedAddress(hostname, options)) {
      throw refused(`The address ${hostname} is not public (${classifyAddress(hostname)})`);
    }
    return [{ address: hostname, family: hostname.includes(":") ? 6 : 4 }];
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolveAll(hostname);
  } catch {
    throw refused(`The host ${hostname} could not be resolved`);
  }
  if (!addresses.length) throw refused(`The host ${hostname} could not be resolved`);
  const bad = addresses.find((entry) => !isAllowedAddress(entry.address, options));
  if (bad) {
    throw refused(
      `The host ${hostname} resolves to ${bad.address}, which is not public (${classifyAddress(bad.address)})`,
    );
  }
  return addresses;
}
