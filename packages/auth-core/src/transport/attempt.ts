import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import type { Agents, NodeModules } from "./agents.js";
import { Aborted, AttemptTimeout, DecodeFailed, TooLarge } from "./classify.js";
import { defaultPort, proxyAuthorization, requestHostname } from "./proxy.js";
import type { HttpRequest, HttpResponse, ResponseLimit } from "./types.js";

/**
 * The most bytes of an error answer (status 400 or more) kept: more than any real error document; messages show
 * at most 2 KiB of it. The rest is not read (the response is marked `bodyTruncated`).
 */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** One attempt of a request: where it goes, what it sends, and how long it may take. */
export interface SendOptions {
  mods: NodeModules;
  url: URL;
  proxy: URL | undefined;
  /** The tunnelling agent, for https through a proxy. */
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

export function toBuffer(body: string | Uint8Array): Buffer {
  return typeof body === "string"
    ? Buffer.from(body, "utf8")
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export function buildHeaders(
  req: HttpRequest,
  body: Buffer | undefined,
  userAgent: string,
): Record<string, string> {
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
export function formKeysOf(headers: Record<string, string>, body: Buffer | undefined): string | undefined {
  if (!body || !/^application\/x-www-form-urlencoded\b/i.test(headers["content-type"] ?? ""))
    return undefined;
  return [...new URLSearchParams(body.toString("utf8")).keys()].join(",");
}

/** The module and request options of an attempt: direct, plain http through a proxy, or https in a tunnel. */
function routeOf(send: SendOptions): {
  module: typeof HttpModule | typeof HttpsModule;
  options: HttpsModule.RequestOptions;
} {
  const { mods, url, proxy, agents } = send;
  const path = `${url.pathname}${url.search}`;
  if (!proxy) {
    const secure = url.protocol === "https:";
    return {
      module: secure ? mods.https : mods.http,
      options: {
        hostname: requestHostname(url),
        port: Number(url.port || defaultPort(url.protocol)),
        path,
        method: send.method,
        headers: send.headers,
        agent: secure ? agents.https : agents.http,
      },
    };
  }
  if (url.protocol === "http:") {
    // Plain http through the proxy: the request line carries the absolute URL.
    const authorization = proxyAuthorization(proxy);
    const secureProxy = proxy.protocol === "https:";
    const absolute = new URL(url.href);
    absolute.hash = "";
    return {
      module: secureProxy ? mods.https : mods.http,
      options: {
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
      },
    };
  }
  return {
    module: mods.https,
    options: {
      hostname: requestHostname(url),
      port: Number(url.port || defaultPort(url.protocol)),
      path,
      method: send.method,
      headers: send.headers,
      agent: send.agent,
    },
  };
}

/**
 * Sends one attempt and reads its answer. Rejects with Node's error, or with {@link AttemptTimeout},
 * {@link Aborted}, {@link TooLarge} or {@link DecodeFailed}; a rejection on a reused pooled socket carries
 * `reusedSocket: true`.
 */
export function sendOnce(send: SendOptions): Promise<HttpResponse> {
  const route = routeOf(send);
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

    const outgoing = route.module.request(route.options);
    timer = setTimeout(() => fail(new AttemptTimeout(send.timeoutMs)), send.timeoutMs);
    send.signal?.addEventListener("abort", onAbort, { once: true });
    outgoing.on("error", fail);
    outgoing.on("response", (incoming) => readResponse(incoming, send, succeed, fail));
    outgoing.end(send.body);
  });
}

/** Reads (and decodes) an answer within its limit; calls `succeed` or `fail` once. */
function readResponse(
  incoming: HttpModule.IncomingMessage,
  send: SendOptions,
  succeed: (response: HttpResponse) => void,
  fail: (error: unknown) => void,
): void {
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
