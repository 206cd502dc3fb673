import { cleanAadstsDescription, summarizeText, type TransportErrorKind } from "../errors.js";
import type { Redactor } from "../redact.js";
import { redactUrl } from "../redact.js";
import { hostAndPort, requestHostname } from "./proxy.js";
import { formatBytes, formatDuration } from "./retry.js";
import type { ResponseLimit } from "./types.js";

// The signals one attempt raises besides Node's own errors; {@link classifyFailure} turns each into a message.

/** The attempt ran past its timeout. */
export class AttemptTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** The caller's signal aborted the request. */
export class Aborted extends Error {
  constructor() {
    super("aborted");
  }
}

/** The proxy did not answer the CONNECT with 200. */
export class ProxyConnectFailed extends Error {
  constructor(readonly statusCode: number | undefined) {
    super(`proxy CONNECT answered ${statusCode}`);
  }
}

/** An answer longer than its {@link ResponseLimit}: reading stopped. */
export class TooLarge extends Error {
  constructor(readonly limit: ResponseLimit) {
    super(`answer larger than ${limit.bytes} bytes`);
  }
}

/** The body could not be decompressed. */
export class DecodeFailed extends Error {
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

/** What a failed attempt was: its kind, whether another attempt may help, and the message for the user. */
export interface Failure {
  kind: TransportErrorKind;
  retryable: boolean;
  message: (attempts: number) => string;
}

/** Where the failed attempt went, and the transport settings its messages mention. */
export interface FailureScene {
  url: URL;
  proxy: URL | undefined;
  /** The transport's attempt timeout, named when Node reports ETIMEDOUT itself. */
  timeoutMs: number;
  redactor: Redactor;
}

type NodeFailure = NodeJS.ErrnoException & { address?: string; port?: number; reason?: string };

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Turns what a failed attempt threw into a {@link Failure}. */
export function classifyFailure(error: unknown, scene: FailureScene): Failure {
  const err = error as NodeFailure;
  const code = typeof err?.code === "string" ? err.code : undefined;
  return (
    classifySignal(error, code, scene) ??
    classifyConnect(err, code, scene) ??
    classifyTls(err, code, scene.url) ??
    classifyOther(error, err, code, scene)
  );
}

/** The attempt's own signals: cancelled, timed out, refused by the proxy, too large, undecodable. */
function classifySignal(error: unknown, code: string | undefined, scene: FailureScene): Failure | undefined {
  const { url, proxy } = scene;
  const host = url.host;
  if (error instanceof Aborted) {
    return { kind: "aborted", retryable: false, message: () => `Request to ${host} was cancelled.` };
  }
  if (error instanceof AttemptTimeout || code === "ETIMEDOUT") {
    const limit = error instanceof AttemptTimeout ? error.timeoutMs : scene.timeoutMs;
    const route = proxy
      ? ` through the proxy ${proxy.host}`
      : " (firewall, or the Use system proxy settings parameter)";
    return {
      kind: "timeout",
      retryable: true,
      message: (attempts) =>
        `Request to ${host} timed out after ${formatDuration(limit)} (${plural(attempts, "attempt")}). Check that this machine can reach ${url.hostname}${route}.`,
    };
  }
  if (error instanceof ProxyConnectFailed) return proxyRefused(error.statusCode, url, proxy);
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
  return undefined;
}

function proxyRefused(status: number | undefined, url: URL, proxy: URL | undefined): Failure {
  const why =
    status === 407
      ? "it requires authentication. Put the user and password into the proxy URL, e.g. HTTPS_PROXY=http://user:password@proxy:8080"
      : status === 403
        ? `it does not allow connections to ${hostAndPort(url)}. Ask the proxy administrators to allow it, or add the host to NO_PROXY`
        : `it answered HTTP ${status ?? "?"}. Check HTTPS_PROXY and the proxy's logs`;
  return {
    kind: "proxy",
    retryable: status !== undefined && status >= 502 && status <= 504,
    message: () => `The proxy ${proxy?.host} refused to open a tunnel to ${hostAndPort(url)}: ${why}.`,
  };
}

/** Connection refused and failed DNS lookups, of the target or of the proxy. */
function classifyConnect(
  err: NodeFailure,
  code: string | undefined,
  scene: FailureScene,
): Failure | undefined {
  const { url, proxy } = scene;
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
  return undefined;
}

function tlsFailure(message: string): Failure {
  return { kind: "tls", retryable: false, message: () => message };
}

/** Untrusted, expired or mismatched certificates and failed handshakes. */
function classifyTls(err: NodeFailure, code: string | undefined, url: URL): Failure | undefined {
  if (code === undefined) return undefined;
  if (TLS_TRUST_CODES.has(code)) {
    const reason =
      code === "DEPTH_ZERO_SELF_SIGNED_CERT"
        ? "it is self-signed"
        : code === "SELF_SIGNED_CERT_IN_CHAIN"
          ? "its chain ends in a self-signed certificate that is not trusted here (often a TLS-inspecting proxy)"
          : code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" || code.startsWith("UNABLE_TO_GET_ISSUER")
            ? "its issuer is not among the trusted certificate authorities"
            : `verification failed (${code})`;
    return tlsFailure(
      `TLS certificate of host ${url.hostname} is not trusted: ${reason}. Set NODE_EXTRA_CA_CERTS to your CA bundle, or tick Trust any certificate (not secure) for this instance.`,
    );
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return tlsFailure(
      `TLS certificate of host ${url.hostname} ${code === "CERT_HAS_EXPIRED" ? "has expired" : "is not valid yet"}. Check this machine's clock; if it is right, the server (or a proxy in between) presents an outdated certificate.`,
    );
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return tlsFailure(
      `TLS certificate of host ${url.hostname} does not match that name${err.reason ? ` (${err.reason})` : ""}. Check the URL; a proxy may be intercepting the connection.`,
    );
  }
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) {
    return tlsFailure(
      `TLS handshake with ${url.host} failed (${code}). Check that the URL's scheme and port are right (https to a plain-http port fails this way).`,
    );
  }
  return undefined;
}

/** Connections closed early, unreachable networks, and anything else (named by its code or message). */
function classifyOther(
  error: unknown,
  err: NodeFailure,
  code: string | undefined,
  scene: FailureScene,
): Failure {
  const host = scene.url.host;
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
    message: () => `Request to ${host} failed: ${scene.redactor.redact(redactUrl(detail))}.`,
  };
}

/** Describes a response body in a few words for an error message, without dumping it. */
export function describeBody(body: string): string {
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
