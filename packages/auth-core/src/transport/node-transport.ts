import { readFileSync } from "node:fs";
import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import type { Duplex } from "node:stream";
import type * as TlsModule from "node:tls";
import {
  cleanAadstsDescription,
  MsintError,
  summarizeText,
  TransportError,
  type TransportErrorKind,
} from "../errors.js";
import { getLogger, type Logger } from "../log.js";
import { getRedactor, type Redactor, redactUrl } from "../redact.js";
import { defaultPort, hostAndPort, proxyAuthorization, proxyForUrl } from "./proxy.js";
import { backoffMs, formatDuration, isRetryable, retryAfterMs } from "./retry.js";
import type { HttpRequest, HttpResponse, ResponseLimit, Transport, TransportOptions } from "./types.js";

/** A transport with pooled connections; `close()` releases them. */
export interface NodeTransport extends Transport {
  /** Closes idle pooled connections. The transport stays usable. */
  close(): void;
}

/** Defaults of {@link createTransport}. */
export const TRANSPORT_DEFAULTS = Object.freeze({
  timeoutMs: 30_000,
  deadlineMs: 120_000,
  maxRetries: 3,
  // 500 and 502 are included: Entra ID and the Graph/ARM gateways return them for transient failures, and only
  // requests that are safe to resend (idempotent methods, token POSTs) are retried at all.
  retryStatuses: Object.freeze([408, 429, 500, 502, 503, 504]) as readonly number[],
  maxRetryAfterMs: 60_000,
  userAgent: "msint-auth-core",
  // The largest answer read by default: far above any page of Graph or ARM (a few MiB at most), far below what
  // would exhaust the memory of the machine a playbook runs on.
  maxResponseBytes: 64 * 1024 * 1024,
});

/**
 * The cap on a token endpoint's answer (Entra ID, the broker, a managed identity endpoint): real ones are a few
 * KiB, so 256 KiB leaves room for any token while a misbehaving host cannot make msint buffer megabytes.
 */
export const TOKEN_RESPONSE_LIMIT: Readonly<ResponseLimit> = Object.freeze({
  bytes: 256 * 1024,
  what: "a token endpoint's answer",
});

/**
 * The most bytes of an error answer (status 400 or more) kept: more than any real error document; messages show
 * at most 2 KiB of it. The rest is not read (the response is marked `bodyTruncated`).
 */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** "256 KiB", "64 MiB", "1.5 MiB", "900 bytes". */
export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 * 1024 * 1024, "GiB"],
    [1024 * 1024, "MiB"],
    [1024, "KiB"],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  }
  return `${bytes} byte${bytes === 1 ? "" : "s"}`;
}

// Node's HTTP stack (and zlib) is loaded on the first request, not when the package is imported: the cached-token
// path never sends anything.
interface NodeModules {
  http: typeof HttpModule;
  https: typeof HttpsModule;
  tls: typeof TlsModule;
}

let nodeModules: Promise<NodeModules> | undefined;

function loadNodeModules(): Promise<NodeModules> {
  nodeModules ??= Promise.all([import("node:http"), import("node:https"), import("node:tls")]).then(
    ([http, https, tls]) => ({ http, https, tls }),
  );
  return nodeModules;
}

interface TlsSettings {
  rejectUnauthorized: boolean;
  ca?: string[];
}

interface Agents {
  http: HttpModule.Agent;
  https: HttpsModule.Agent;
  tunnels: Map<string, HttpsModule.Agent>;
  tls: TlsSettings;
}

class AttemptTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

class Aborted extends Error {
  constructor() {
    super("aborted");
  }
}

class ProxyConnectFailed extends Error {
  constructor(readonly statusCode: number | undefined) {
    super(`proxy CONNECT answered ${statusCode}`);
  }
}

/** An answer longer than its {@link ResponseLimit}: reading stopped. */
class TooLarge extends Error {
  constructor(readonly limit: ResponseLimit) {
    super(`answer larger than ${limit.bytes} bytes`);
  }
}

class DecodeFailed extends Error {
  constructor(readonly encoding: string) {
    super(`could not decode ${encoding}`);
  }
}

const TLS_TRUST_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "CERT_CHAIN_TOO_LONG",
  "INVALID_CA",
]);

const RESET_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);
const UNREACHABLE_CODES = new Set(["EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "EHOSTDOWN"]);

interface Failure {
  kind: TransportErrorKind;
  retryable: boolean;
  message: (attempts: number) => string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function requestHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

function isIpAddress(host: string): boolean {
  return host.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** Describes a response body in a few words for an error message, without dumping it. */
function describeBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed === "") return "";
  if (trimmed.startsWith("{")) {
    try {
      const json = JSON.parse(trimmed) as Record<string, unknown>;
      const error = json["error"];
      if (typeof json["error_description"] === "string") {
        const { code, description } = cleanAadstsDescription(json["error_description"]);
        return code === undefined ? description : `AADSTS${code}: ${description}`;
      }
      if (error && typeof error === "object") {
        const record = error as Record<string, unknown>;
        return [record["code"], record["message"]].filter((part) => typeof part === "string").join(": ");
      }
      if (typeof json["message"] === "string") return json["message"];
    } catch {
      // Fall through to the text summary.
    }
  }
  return summarizeText(trimmed, 200);
}

/** Creates the transport every request of the product goes through (node:http / node:https). */
export function createTransport(options: TransportOptions = {}): NodeTransport {
  const timeoutMs = options.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs;
  const deadlineMs = options.deadlineMs ?? TRANSPORT_DEFAULTS.deadlineMs;
  const maxRetries = Math.max(0, options.maxRetries ?? TRANSPORT_DEFAULTS.maxRetries);
  const retryStatuses = new Set(options.retryStatuses ?? TRANSPORT_DEFAULTS.retryStatuses);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? TRANSPORT_DEFAULTS.maxRetryAfterMs;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const userAgent = options.userAgent ?? TRANSPORT_DEFAULTS.userAgent;
  const defaultLimit: ResponseLimit = {
    bytes: options.maxResponseBytes ?? TRANSPORT_DEFAULTS.maxResponseBytes,
    what: "an answer",
    ...(options.maxResponseHint ? { hint: options.maxResponseHint } : {}),
  };
  const redactor: Redactor = options.redactor ?? getRedactor();
  const logger: Logger = options.logger ?? getLogger().child("transport");
  const safeUrl = (url: string) => redactor.redact(redactUrl(url));

  let agents: Agents | undefined;

  const getAgents = (mods: NodeModules): Agents => {
    if (agents) return agents;
    const tls: TlsSettings = { rejectUnauthorized: options.insecure !== true };
    if (options.caFile) tls.ca = loadCaBundle(mods.tls, options.caFile);
    agents = {
      http: new mods.http.Agent({ keepAlive: true }),
      https: new mods.https.Agent({ keepAlive: true, ...tls }),
      tunnels: new Map(),
      tls,
    };
    return agents;
  };

  const tunnelAgent = (mods: NodeModules, current: Agents, proxy: URL): HttpsModule.Agent => {
    let agent = current.tunnels.get(proxy.href);
    if (!agent) {
      agent = createTunnelAgent(mods, proxy, current.tls, timeoutMs);
      current.tunnels.set(proxy.href, agent);
    }
    return agent;
  };

  const classify = (error: unknown, url: URL, proxy: URL | undefined): Failure => {
    const host = url.host;
    const err = error as NodeJS.ErrnoException & { address?: string; port?: number; reason?: string };
    const code = typeof err?.code === "string" ? err.code : undefined;
    const proxyName = proxy ? proxy.host : undefined;

    if (error instanceof Aborted) {
      return { kind: "aborted", retryable: false, message: () => `Request to ${host} was cancelled.` };
    }
    if (error instanceof AttemptTimeout || code === "ETIMEDOUT") {
      const limit = error instanceof AttemptTimeout ? error.timeoutMs : timeoutMs;
      return {
        kind: "timeout",
        retryable: true,
        message: (attempts) =>
          `Request to ${host} timed out after ${formatDuration(limit)} (${plural(attempts, "attempt")}). Check that this machine can reach ${url.hostname}${proxyName ? ` through the proxy ${proxyName}` : " (firewall, or the Use system proxy settings parameter)"}.`,
      };
    }
    if (error instanceof ProxyConnectFailed) {
      const status = error.statusCode;
      const why =
        status === 407
          ? "it requires authentication. Put the user and password into the proxy URL, e.g. HTTPS_PROXY=http://user:password@proxy:8080"
          : status === 403
            ? `it does not allow connections to ${hostAndPort(url)}. Ask the proxy administrators to allow it, or add the host to NO_PROXY`
            : `it answered HTTP ${status ?? "?"}. Check HTTPS_PROXY and the proxy's logs`;
      return {
        kind: "proxy",
        retryable: status !== undefined && status >= 502 && status <= 504,
        message: () => `The proxy ${proxyName} refused to open a tunnel to ${hostAndPort(url)}: ${why}.`,
      };
    }
    if (error instanceof TooLarge) {
      const { limit } = error;
      return {
        kind: "too_large",
        retryable: false,
        message: () =>
          `The answer of ${host} is larger than ${formatBytes(limit.bytes)}, the most msint reads of ${limit.what}: it stopped reading.${limit.hint ? ` ${limit.hint}` : " Something other than the expected service may be answering: check the instance's URLs and the proxy."}`,
      };
    }
    if (error instanceof DecodeFailed) {
      return {
        kind: "network",
        retryable: false,
        message: () =>
          `The response of ${host} could not be decompressed (Content-Encoding: ${error.encoding}).`,
      };
    }
    if (code === "ECONNREFUSED") {
      const target =
        err.address !== undefined && err.port !== undefined
          ? `${err.address.includes(":") ? `[${err.address}]` : err.address}:${err.port}`
          : proxy
            ? hostAndPort(proxy)
            : hostAndPort(url);
      return {
        kind: "connection_refused",
        retryable: false,
        message: () =>
          proxy
            ? `Could not connect to the proxy ${target} (connection refused). Check HTTPS_PROXY / HTTP_PROXY, or untick Use system proxy settings.`
            : `Could not connect to ${target} (connection refused).`,
      };
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL" || code === "EAI_NONAME") {
      const name = proxy ? requestHostname(proxy) : url.hostname;
      return {
        kind: "dns",
        retryable: code === "EAI_AGAIN",
        message: () =>
          proxy
            ? `Could not resolve the proxy host name ${name} (DNS lookup failed). Check HTTPS_PROXY / HTTP_PROXY.`
            : `Could not resolve the host name ${name} (DNS lookup failed). Check the URL and this machine's DNS settings.`,
      };
    }
    if (code && TLS_TRUST_CODES.has(code)) {
      const reason =
        code === "DEPTH_ZERO_SELF_SIGNED_CERT"
          ? "it is self-signed"
          : code === "SELF_SIGNED_CERT_IN_CHAIN"
            ? "its chain ends in a self-signed certificate that is not trusted here (often a TLS-inspecting proxy)"
            : code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" || code.startsWith("UNABLE_TO_GET_ISSUER")
              ? "its issuer is not among the trusted certificate authorities"
              : `verification failed (${code})`;
      return {
        kind: "tls",
        retryable: false,
        message: () =>
          `TLS certificate of host ${url.hostname} is not trusted: ${reason}. Set NODE_EXTRA_CA_CERTS to your CA bundle, or tick Trust any certificate (not secure) for this instance.`,
      };
    }
    if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
      return {
        kind: "tls",
        retryable: false,
        message: () =>
          `TLS certificate of host ${url.hostname} ${code === "CERT_HAS_EXPIRED" ? "has expired" : "is not valid yet"}. Check this machine's clock; if it is right, the server (or a proxy in between) presents an outdated certificate.`,
      };
    }
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
      return {
        kind: "tls",
        retryable: false,
        message: () =>
          `TLS certificate of host ${url.hostname} does not match that name${err.reason ? ` (${err.reason})` : ""}. Check the URL; a proxy may be intercepting the connection.`,
      };
    }
    if (code?.startsWith("ERR_SSL_") || code?.startsWith("ERR_TLS_")) {
      return {
        kind: "tls",
        retryable: false,
        message: () =>
          `TLS handshake with ${host} failed (${code}). Check that the URL's scheme and port are right (https to a plain-http port fails this way).`,
      };
    }
    if ((code && RESET_CODES.has(code)) || err?.message === "socket hang up" || err?.message === "aborted") {
      return {
        kind: "connection_reset",
        retryable: true,
        message: (attempts) =>
          `The connection to ${host} was closed before a complete response arrived (${plural(attempts, "attempt")}).`,
      };
    }
    if (code && UNREACHABLE_CODES.has(code)) {
      return {
        kind: "network",
        retryable: false,
        message: () =>
          `Could not reach ${host} (${code}: no network route). Check the network and proxy settings.`,
      };
    }
    const detail = code ?? (err instanceof Error ? err.message : String(error));
    return {
      kind: "network",
      retryable: false,
      message: () => `Request to ${host} failed: ${redactor.redact(redactUrl(detail))}.`,
    };
  };

  const wait = async (ms: number, signal: AbortSignal | undefined): Promise<void> => {
    if (!signal) return sleep(ms);
    if (signal.aborted) throw new Aborted();
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        sleep(ms),
        new Promise<never>((_resolve, reject) => {
          onAbort = () => reject(new Aborted());
          signal.addEventListener("abort", onAbort, { once: true });
        }),
      ]);
    } finally {
      if (onAbort) signal.removeEventListener("abort", onAbort);
    }
  };

  const request = async (req: HttpRequest): Promise<HttpResponse> => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw new MsintError(`"${safeUrl(String(req.url))}" is not an absolute URL.`, { code: "invalid_url" });
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new MsintError(`Only http and https URLs can be requested, not ${url.protocol}.`, {
        code: "invalid_url",
      });
    }
    const host = url.host;
    const proxy = options.proxy ? proxyForUrl(url, options.env ?? process.env) : undefined;
    const mods = await loadNodeModules();
    const currentAgents = getAgents(mods);
    const retryable = isRetryable(req);
    const body = req.body === undefined ? undefined : toBuffer(req.body);
    const headers = buildHeaders(req, body, userAgent);
    const responseLimit = req.responseLimit ?? defaultLimit;
    const attemptLimit = req.timeoutMs ?? timeoutMs;
    const started = now();
    const deadline = started + deadlineMs;
    const debug = logger.enabled("debug");
    let reusedSocketRetried = false;

    if (req.signal?.aborted)
      throw new TransportError(`Request to ${host} was cancelled.`, "aborted", { host });

    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - now();
      if (remaining <= 0) {
        throw new TransportError(
          `Gave up on ${host} after ${plural(attempt - 1, "attempt")}: the ${formatDuration(deadlineMs)} limit for this request has passed.`,
          "deadline",
          { host, attempts: attempt - 1 },
        );
      }
      const attemptTimeout = Math.max(1, Math.min(attemptLimit, remaining));
      const attemptStarted = now();
      if (debug) {
        logger.debug("http request", {
          method: req.method,
          url: safeUrl(req.url),
          attempt,
          proxy: proxy ? proxy.host : undefined,
          formKeys: formKeysOf(headers, body),
        });
      }

      let response: HttpResponse;
      try {
        response = await sendOnce({
          mods,
          url,
          proxy,
          agent: proxy && url.protocol === "https:" ? tunnelAgent(mods, currentAgents, proxy) : undefined,
          agents: currentAgents,
          method: req.method,
          headers,
          body,
          timeoutMs: attemptTimeout,
          signal: req.signal,
          originalUrl: req.url,
          limit: responseLimit,
        });
      } catch (error) {
        const failure = classify(error, url, proxy);
        if (debug) {
          logger.debug("http failure", {
            method: req.method,
            url: safeUrl(req.url),
            attempt,
            kind: failure.kind,
            durationMs: now() - attemptStarted,
          });
        }
        const fail = (attempts: number) =>
          new TransportError(redactor.redact(failure.message(attempts)), failure.kind, {
            host,
            attempts,
            cause: error,
          });
        // A pooled keep-alive connection the server had already closed: the request never reached it, so one
        // immediate resend is safe whatever the method (Node's documented pattern for reusedSocket).
        const staleSocket =
          (error as { reusedSocket?: boolean }).reusedSocket === true &&
          (error as NodeJS.ErrnoException).code === "ECONNRESET" &&
          !reusedSocketRetried;
        if (staleSocket) {
          reusedSocketRetried = true;
          continue;
        }
        if (!retryable || !failure.retryable || attempt > maxRetries) throw fail(attempt);
        const delay = backoffMs(attempt, random);
        if (now() + delay >= deadline) throw fail(attempt);
        await wait(delay, req.signal).catch(() => {
          throw new TransportError(`Request to ${host} was cancelled.`, "aborted", {
            host,
            attempts: attempt,
          });
        });
        continue;
      }

      if (debug) {
        logger.debug("http response", {
          method: req.method,
          url: safeUrl(req.url),
          status: response.status,
          attempt,
          durationMs: now() - attemptStarted,
        });
      }
      if (!retryable || !retryStatuses.has(response.status)) return response;

      const statusText = `HTTP ${response.status}`;
      const summary = describeBody(response.body);
      const last = summary ? ` Last response: ${redactor.redact(summary)}` : "";
      const requested = retryAfterMs(response.headers, now());
      if (requested !== undefined && requested > maxRetryAfterMs) {
        throw new TransportError(
          `${host} asked to wait ${formatDuration(requested)} before retrying (${statusText}), longer than the ${formatDuration(maxRetryAfterMs)} this command waits. Try again later.${last}`,
          "throttled",
          { host, attempts: attempt, status: response.status },
        );
      }
      if (attempt > maxRetries) {
        throw new TransportError(
          `${host} still answered ${statusText} after ${plural(attempt, "attempt")}. Try again later.${last}`,
          "retries_exhausted",
          { host, attempts: attempt, status: response.status },
        );
      }
      const delay = requested ?? backoffMs(attempt, random);
      if (now() + delay > deadline) {
        throw new TransportError(
          `Gave up on ${host} after ${plural(attempt, "attempt")} (${statusText}): waiting ${formatDuration(delay)} more would pass the ${formatDuration(deadlineMs)} limit for this request. Try again later.${last}`,
          "deadline",
          { host, attempts: attempt, status: response.status },
        );
      }
      if (debug)
        logger.debug("http retry", { url: safeUrl(req.url), status: response.status, delayMs: delay });
      await wait(delay, req.signal).catch(() => {
        throw new TransportError(`Request to ${host} was cancelled.`, "aborted", { host, attempts: attempt });
      });
    }
  };

  return {
    request,
    close() {
      if (!agents) return;
      agents.http.destroy();
      agents.https.destroy();
      for (const agent of agents.tunnels.values()) agent.destroy();
      agents.tunnels.clear();
    },
  };
}

function toBuffer(body: string | Uint8Array): Buffer {
  return typeof body === "string"
    ? Buffer.from(body, "utf8")
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function buildHeaders(req: HttpRequest, body: Buffer | undefined, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { "user-agent": userAgent, "accept-encoding": "gzip, deflate, br" };
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = String(value);
  }
  if (body !== undefined) headers["content-length"] = String(body.byteLength);
  else if (req.method === "POST" || req.method === "PUT" || req.method === "PATCH")
    headers["content-length"] = "0";
  return headers;
}

// Only the names of form fields are logged: their values may be secrets the redactor does not know.
function formKeysOf(headers: Record<string, string>, body: Buffer | undefined): string | undefined {
  if (!body || !/^application\/x-www-form-urlencoded\b/i.test(headers["content-type"] ?? ""))
    return undefined;
  return [...new URLSearchParams(body.toString("utf8")).keys()].join(",");
}

function loadCaBundle(tls: typeof TlsModule, caFile: string): string[] {
  const read = (path: string, what: string): string => {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new TransportError(
        `Could not read ${what} ${path} (${code}). Check the path and its permissions.`,
        "tls",
        {
          cause: error,
        },
      );
    }
  };
  // An explicit `ca` replaces Node's default store, so the bundled roots and NODE_EXTRA_CA_CERTS are added back.
  const bundle = [...tls.rootCertificates];
  const extra = process.env["NODE_EXTRA_CA_CERTS"];
  if (extra) {
    try {
      bundle.push(readFileSync(extra, "utf8"));
    } catch {
      // Node itself already warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    }
  }
  bundle.push(read(caFile, "the CA bundle"));
  return bundle;
}

function createTunnelAgent(
  mods: NodeModules,
  proxy: URL,
  tls: TlsSettings,
  connectTimeoutMs: number,
): HttpsModule.Agent {
  const authorization = proxyAuthorization(proxy);
  const proxyModule = proxy.protocol === "https:" ? mods.https : mods.http;

  // An https agent whose connections are TLS sessions inside CONNECT tunnels; pooled like any other agent.
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
        const secure = mods.tls.connect({
          socket,
          ...tls,
          ...(options.servername
            ? { servername: options.servername }
            : isIpAddress(host)
              ? {}
              : { servername: host }),
        });
        finish(null, secure);
      });
      connect.once("error", (error) => finish(error));
      connect.end();
      return undefined;
    }
  }
  return new TunnelAgent({ keepAlive: true, ...tls });
}

interface SendOptions {
  mods: NodeModules;
  url: URL;
  proxy: URL | undefined;
  agent: HttpsModule.Agent | undefined;
  agents: Agents;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  originalUrl: string;
  limit: ResponseLimit;
}

function sendOnce(send: SendOptions): Promise<HttpResponse> {
  const { mods, url, proxy, agents } = send;
  let module: typeof HttpModule | typeof HttpsModule;
  let requestOptions: HttpsModule.RequestOptions;
  const path = `${url.pathname}${url.search}`;

  if (!proxy) {
    const secure = url.protocol === "https:";
    module = secure ? mods.https : mods.http;
    requestOptions = {
      hostname: requestHostname(url),
      port: Number(url.port || defaultPort(url.protocol)),
      path,
      method: send.method,
      headers: send.headers,
      agent: secure ? agents.https : agents.http,
    };
  } else if (url.protocol === "http:") {
    // Plain http through the proxy: the request line carries the absolute URL.
    const authorization = proxyAuthorization(proxy);
    const secureProxy = proxy.protocol === "https:";
    module = secureProxy ? mods.https : mods.http;
    const absolute = new URL(url.href);
    absolute.hash = "";
    requestOptions = {
      hostname: requestHostname(proxy),
      port: Number(proxy.port || defaultPort(proxy.protocol)),
      path: absolute.href,
      method: send.method,
      headers: {
        ...send.headers,
        host: url.host,
        ...(authorization ? { "proxy-authorization": authorization } : {}),
      },
      agent: secureProxy ? agents.https : agents.http,
    };
  } else {
    module = mods.https;
    requestOptions = {
      hostname: requestHostname(url),
      port: Number(url.port || defaultPort(url.protocol)),
      path,
      method: send.method,
      headers: send.headers,
      agent: send.agent,
    };
  }

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => fail(new Aborted());
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      send.signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (error !== null && typeof error === "object" && outgoing.reusedSocket) {
        (error as { reusedSocket?: boolean }).reusedSocket = true;
      }
      outgoing.destroy();
      reject(error);
    };
    const succeed = (response: HttpResponse) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(response);
    };

    const outgoing = module.request(requestOptions);
    timer = setTimeout(() => fail(new AttemptTimeout(send.timeoutMs)), send.timeoutMs);
    send.signal?.addEventListener("abort", onAbort, { once: true });
    outgoing.on("error", fail);
    outgoing.on("response", (incoming) => {
      const status = incoming.statusCode ?? 0;
      // An error answer is kept up to ERROR_BODY_MAX_BYTES (a message shows 2 KiB of it); a successful one is
      // read up to the request's limit, and one byte more fails it: a host cannot make msint buffer without end.
      const keepsPrefix = status >= 400;
      const cap = keepsPrefix ? Math.min(send.limit.bytes, ERROR_BODY_MAX_BYTES) : send.limit.bytes;
      // A plain object, not ownRecord(): MSAL calls headers.hasOwnProperty() on the responses it gets. Readers
      // look headers up by fixed names only, and a header named "__proto__" is dropped by the assignment.
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      const finish = (raw: Buffer, truncated: boolean) => {
        decodeBody(raw, headers["content-encoding"], cap, truncated).then(
          (decoded) => {
            const response: HttpResponse = { status, headers, body: decoded.text, url: send.originalUrl };
            if (truncated || decoded.cut) response.bodyTruncated = true;
            succeed(response);
          },
          (error) => {
            if (error instanceof TooLarge && keepsPrefix) {
              succeed({ status, headers, body: "", url: send.originalUrl, bodyTruncated: true });
            } else fail(error instanceof TooLarge ? new TooLarge(send.limit) : error);
          },
        );
      };
      const declared = Number(headers["content-length"]);
      if (!keepsPrefix && Number.isFinite(declared) && declared > cap) {
        fail(new TooLarge(send.limit));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      let stopped = false;
      incoming.on("data", (chunk: Buffer) => {
        if (stopped) return;
        received += chunk.length;
        if (received <= cap) {
          chunks.push(chunk);
          return;
        }
        stopped = true;
        if (!keepsPrefix) {
          fail(new TooLarge(send.limit));
          return;
        }
        chunks.push(chunk.subarray(0, chunk.length - (received - cap)));
        incoming.destroy();
        finish(Buffer.concat(chunks), true);
      });
      incoming.on("error", (error) => {
        if (!stopped) fail(error);
      });
      incoming.on("close", () => {
        if (!incoming.complete && !stopped) fail(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      });
      incoming.on("end", () => {
        if (!stopped) finish(Buffer.concat(chunks), false);
      });
    });
    outgoing.end(send.body);
  });
}

/**
 * Undoes the Content-Encoding of a body, producing at most `maxBytes` (a small compressed body must not expand
 * into gigabytes). `partial` is the beginning of a body whose reading stopped: decoded as far as it goes.
 */
async function decodeBody(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
  partial: boolean,
): Promise<{ text: string; cut: boolean }> {
  const encodings = (contentEncoding ?? "")
    .split(",")
    .map((value) => value.trim().toLowerCase())
    .filter((value) => value !== "" && value !== "identity");
  if (encodings.length === 0 || raw.length === 0) return { text: raw.toString("utf8"), cut: false };
  const zlib = await import("node:zlib");
  const limits = {
    maxOutputLength: maxBytes,
    ...(partial ? { finishFlush: zlib.constants.Z_SYNC_FLUSH } : {}),
  };
  const brotliLimits = {
    maxOutputLength: maxBytes,
    ...(partial ? { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH } : {}),
  };
  let data = raw;
  // Encodings are listed in the order they were applied: undo them from the last.
  for (const encoding of encodings.reverse()) {
    try {
      if (encoding === "gzip" || encoding === "x-gzip") data = zlib.gunzipSync(data, limits);
      else if (encoding === "br") data = zlib.brotliDecompressSync(data, brotliLimits);
      else if (encoding === "deflate") {
        // Some servers send raw deflate without the zlib wrapper.
        try {
          data = zlib.inflateSync(data, limits);
        } catch (error) {
          if (isOutputTooLarge(error)) throw error;
          data = zlib.inflateRawSync(data, limits);
        }
      } else throw new Error(`unsupported encoding ${encoding}`);
    } catch (error) {
      if (isOutputTooLarge(error)) throw new TooLarge({ bytes: maxBytes, what: "an answer" });
      if (partial) return { text: "", cut: true };
      throw new DecodeFailed(encoding);
    }
  }
  return { text: data.toString("utf8"), cut: false };
}

function isOutputTooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ERR_BUFFER_TOO_LARGE";
}
