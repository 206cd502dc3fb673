import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { TrustedProxy } from "./config.js";

/** Where a request came from, and how the broker knows. */
export interface ClientAddress {
  /** An IP address (IPv4-mapped IPv6 written as IPv4), or `unknown`. */
  address: string;
  /** Set when `trustedProxy` is configured but its header did not yield an address: the TCP peer was used. */
  problem?: string;
}

function normalize(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let text = value.trim();
  // "[::1]:1234", "1.2.3.4:1234": some proxies append the port.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  if (!isIP(text)) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  return (mapped ? mapped[1]! : text).toLowerCase();
}

/**
 * The client's address: the TCP peer, unless a trusted proxy is configured. Then the proxy's header is read as
 * a comma-separated list to which each proxy appended its peer; with `hops` trusted proxies the client is the
 * entry `hops` from the right (counting the TCP peer as the last proxy). A header that is missing, too short or
 * holds something that is not an address is not trusted: the TCP peer is used and the problem reported.
 */
export function clientAddress(request: IncomingMessage, proxy: TrustedProxy | undefined): ClientAddress {
  const peer = normalize(request.socket.remoteAddress) ?? "unknown";
  if (!proxy) return { address: peer };
  const raw = request.headers[proxy.header];
  const text = Array.isArray(raw) ? raw.join(",") : raw;
  if (!text || text.trim() === "") return { address: peer, problem: `no ${proxy.header} header` };
  const entries = text.split(",").map((entry) => entry.trim());
  // The TCP peer is the nearest proxy; the entries right of the client were appended by the other trusted ones.
  const index = entries.length - proxy.hops;
  if (index < 0) {
    return { address: peer, problem: `${proxy.header} has fewer than ${proxy.hops} entries` };
  }
  const address = normalize(entries[index]);
  if (!address) return { address: peer, problem: `${proxy.header} entry is not an IP address` };
  return { address };
}
