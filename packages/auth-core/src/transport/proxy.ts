import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import type { Duplex } from "node:stream";
import { TransportError } from "../errors.js";
import { redactUrl } from "../redact.js";
import type { NodeModules, TlsSettings } from "./agents.js";
import { AttemptTimeout, ProxyConnectFailed } from "./classify.js";

/** Default port of a URL scheme. */
export function defaultPort(protocol: string): number {
  return protocol === "https:" ? 443 : 80;
}

function envEntry(env: Record<string, string | undefined>, name: string): [string, string] | undefined {
  // Lower case first, as curl and most tools do.
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value) return [key, value];
  }
  return undefined;
}

function stripBrackets(host: string): string {
  return host.replace(/^\[|\]$/g, "").toLowerCase();
}

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function matchesCidr(host: string, entry: string): boolean {
  const [network, bitsText] = entry.split("/");
  const bits = Number(bitsText);
  const hostValue = ipv4ToNumber(host);
  const networkValue = network === undefined ? undefined : ipv4ToNumber(network);
  if (
    hostValue === undefined ||
    networkValue === undefined ||
    !Number.isInteger(bits) ||
    bits < 0 ||
    bits > 32
  ) {
    return false;
  }
  const size = 2 ** (32 - bits);
  return Math.floor(hostValue / size) === Math.floor(networkValue / size);
}

/**
 * Whether `NO_PROXY` exempts a URL. Entries are separated by commas or white space and may be `*` (everything),
 * a host name (which also covers its subdomains), a domain with a leading `.` or `*.`, an IP address, an IPv4
 * CIDR block, and any of these with `:port` to match only that port.
 */
export function isProxyBypassed(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = stripBrackets(url.hostname);
  const port = url.port ? Number(url.port) : defaultPort(url.protocol);
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    let entryPort: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1]!;
      entryPort = bracketed[2] ? Number(bracketed[2]) : undefined;
    } else {
      const withPort = /^([^:]+):(\d+)$/.exec(entry);
      if (withPort) {
        entry = withPort[1]!;
        entryPort = Number(withPort[2]);
      }
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry.includes("/")) {
      if (matchesCidr(host, entry)) return true;
      continue;
    }
    const domain = entry.replace(/^\*?\./, "");
    if (domain === "") continue;
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

// The instance metadata service is link-local and never reachable through a proxy.
function isLinkLocal(host: string): boolean {
  return /^169\.254\.\d{1,3}\.\d{1,3}$/.test(host) || host.startsWith("fe80:");
}

/**
 * The proxy for a URL from the environment (HTTPS_PROXY for https targets, HTTP_PROXY for http ones, either
 * case), or undefined when there is none or NO_PROXY exempts the target. A proxy without scheme is taken as
 * `http://`. Link-local targets (the instance metadata service) always go direct.
 */
export function proxyForUrl(url: URL, env: Record<string, string | undefined>): URL | undefined {
  if (isLinkLocal(stripBrackets(url.hostname))) return undefined;
  const entry = envEntry(env, url.protocol === "https:" ? "https_proxy" : "http_proxy");
  if (entry === undefined) return undefined;
  if (isProxyBypassed(url, envEntry(env, "no_proxy")?.[1])) return undefined;
  const [name, value] = entry;
  let proxy: URL | undefined;
  try {
    proxy = new URL(value.includes("://") ? value : `http://${value}`);
  } catch {
    proxy = undefined;
  }
  if (proxy === undefined || (proxy.protocol !== "http:" && proxy.protocol !== "https:") || !proxy.hostname) {
    throw new TransportError(
      `The proxy variable ${name} holds "${redactUrl(value)}", which is not an http(s) URL. Set it like http://proxy.example.com:8080, or clear it.`,
      "proxy",
    );
  }
  return proxy;
}

/** `Proxy-Authorization` value from the proxy URL's user info, if it has any. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/** `host:port` of a URL, with IPv6 brackets and the scheme's default port filled in. */
export function hostAndPort(url: URL): string {
  return `${url.hostname}:${url.port || defaultPort(url.protocol)}`;
}

/** The host name of a URL as sockets take it: IPv6 addresses without their brackets. */
export function requestHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

function isIpAddress(host: string): boolean {
  return host.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/**
 * An https agent whose connections are TLS sessions inside CONNECT tunnels through `proxy`; pooled like any
 * other agent. A CONNECT answered with anything but 200 fails the attempt with {@link ProxyConnectFailed}.
 */
export function createTunnelAgent(
  mods: NodeModules,
  proxy: URL,
  tls: TlsSettings,
  connectTimeoutMs: number,
): HttpsModule.Agent {
  const authorization = proxyAuthorization(proxy);
  const proxyModule = proxy.protocol === "https:" ? mods.https : mods.http;

  class TunnelAgent extends mods.https.Agent {
    override createConnection(
      options: HttpModule.ClientRequestArgs & { servername?: string },
      callback?: (err: Error | null, stream: Duplex) => void,
    ): Duplex | null | undefined {
      const host = String(options.hostname ?? options.host ?? "").replace(/^\[|\]$/g, "");
      const port = Number(options.port ?? 443);
      const authority = `${host.includes(":") ? `[${host}]` : host}:${port}`;
      let done = false;
      const finish = (error: Error | null, socket?: Duplex) => {
        if (done) return;
        done = true;
        callback?.(error, socket as Duplex);
      };
      const connect = proxyModule.request({
        hostname: requestHostname(proxy),
        port: Number(proxy.port || defaultPort(proxy.protocol)),
        method: "CONNECT",
        path: authority,
        headers: { host: authority, ...(authorization ? { "proxy-authorization": authorization } : {}) },
        agent: false,
        ...(proxy.protocol === "https:" ? tls : {}),
      });
      connect.setTimeout(connectTimeoutMs, () => connect.destroy(new AttemptTimeout(connectTimeoutMs)));
      connect.once("connect", (response, socket, head) => {
        connect.setTimeout(0);
        if (response.statusCode !== 200) {
          socket.destroy();
          finish(new ProxyConnectFailed(response.statusCode));
          return;
        }
        if (head.length > 0) socket.unshift(head);
        const servername = options.servername || (isIpAddress(host) ? undefined : host);
        finish(null, mods.tls.connect({ socket, ...tls, ...(servername ? { servername } : {}) }));
      });
      connect.once("error", (error) => finish(error));
      connect.end();
      return undefined;
    }
  }
  return new TunnelAgent({ keepAlive: true, ...tls });
}
