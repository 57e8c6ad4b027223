import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns";
import {
  type EndpointGuardOptions,
  type ResolveAll,
  type ResolvedAddress,
  resolveAllowedAddresses,
} from "@junction/core";
import { Agent } from "undici";
import { createTransport, defaultTimeouts, type Timeouts, type Transport } from "./transport.js";

/** The system resolver (getaddrinfo, so /etc/hosts too), every address of both families. */
export const systemResolveAll: ResolveAll = (hostname) =>
  new Promise<ResolvedAddress[]>((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map(({ address, family }) => ({ address, family }))),
    );
  });

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls.connect that resolves, refuses the host unless every address is allowed, and hands the
 * socket exactly the addresses it checked: the connection is pinned to them, so a DNS answer that changes between
 * the check and the connect (rebinding) cannot redirect it.
 */
export function guardedLookup(options: EndpointGuardOptions, resolveAll: ResolveAll = systemResolveAll) {
  return (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback): void => {
    resolveAllowedAddresses(hostname, resolveAll, options).then(
      (addresses) => {
        const family =
          lookupOptions.family === "IPv4" ? 4 : lookupOptions.family === "IPv6" ? 6 : lookupOptions.family;
        const usable = family ? addresses.filter((entry) => entry.family === family) : addresses;
        if (!usable.length) {
          callback(Object.assign(new Error(`no allowed address for ${hostname}`), { code: "ENOTFOUND" }), "");
          return;
        }
        if (lookupOptions.all) callback(null, usable);
        else callback(null, usable[0]?.address ?? "", usable[0]?.family);
      },
      (error: unknown) => {
        const refused = new Error(error instanceof Error ? error.message : "address refused");
        callback(Object.assign(refused, { code: "JUNCTION_SSRF_REFUSED" }), "");
      },
    );
  };
}

/**
 * The most one answer of a custom endpoint may carry. An organization's own server can answer anything, and an
 * answer is read into the memory every tenant of this gateway shares (a whole JSON body, an error body, an SSE line
 * that never ends): past this it is cut off. Far above a real chat answer, logprobs included.
 */
export const MAX_CUSTOM_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * The transport for organizations' custom endpoints: its own connection pool (never shared with platform
 * providers), every connection through the guarded lookup, no redirects (undici's `request` does not follow
 * them; a 3xx is an upstream error), and answers of at most MAX_CUSTOM_RESPONSE_BYTES.
 */
export function createGuardedTransport(
  timeouts: Partial<Timeouts>,
  options: EndpointGuardOptions,
  resolveAll: ResolveAll = systemResolveAll,
): Transport {
  const merged = { ...defaultTimeouts, ...timeouts };
  return createTransport(
    merged,
    new Agent({
      connect: { timeout: merged.connectMs, lookup: guardedLookup(options, resolveAll) },
      headersTimeout: merged.firstByteMs,
      bodyTimeout: merged.idleMs,
      keepAliveTimeout: 30_000,
      connections: 32,
      maxResponseSize: MAX_CUSTOM_RESPONSE_BYTES,
    }),
  );
}
