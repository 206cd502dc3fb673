import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { findEndpoint, isManagedIdentityPath, type PathDialect } from "./endpoints.js";
import {
  type Correlation,
  entraError,
  entraErrorForStatus,
  resourceError,
  resourceErrorForStatus,
} from "./errors.js";
import { type Faults, retryAfterHeader } from "./faults.js";
import {
  BodyTooLargeError,
  flattenHeaders,
  JSON_CONTENT_TYPE,
  jsonReply,
  type Reply,
  readBody,
} from "./http.js";
import type { RequestVia } from "./proxy/proxy.js";
import { type RequestLog, redactHeaders, redactParameters } from "./request-log.js";
import { matchPattern, type ResourceRoute } from "./routes.js";
import type { EmulatorRequest, EmulatorState } from "./state.js";
import { requestClientId } from "./token/client-auth.js";
import { parseTokenForm } from "./token/endpoint.js";
import type { ErrorDialect, FaultKind, FaultSpec, RecordedRequest } from "./types.js";
import { errorPage } from "./web/pages.js";

const GRAPH_PATH = /^\/(v1\.0|beta)(\/|$)/i;

/**
 * The host a client addressed: a forwarding harness's `x-forwarded-host` (tests send real Microsoft URLs to the
 * emulator's address), else the Host header's or the proxy's.
 */
function addressedHost(request: EmulatorRequest): string {
  const forwarded = request.headers["x-forwarded-host"];
  if (forwarded && HOST_HEADER.test(forwarded)) return forwarded.replace(/:\d+$/, "").toLowerCase();
  return request.hostname;
}

/** The `aud` of a bearer token, unverified (only to choose between services; the route verifies the token). */
function unverifiedAudience(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const audience: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")).aud;
    return typeof audience === "string" ? audience : undefined;
  } catch {
    return undefined;
  }
}
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Body of a `garbage` fault without its own: what a captive portal or a misrouted proxy answers. */
const GARBAGE_BODY =
  "<!DOCTYPE html><html><head><title>Service</title></head><body><h1>Welcome</h1><p>Please sign in to the network.</p></body></html>";

/** A fault that breaks the connection itself rather than answering with an error. */
type Disruption = Exclude<FaultKind, "status" | "garbage">;

/** Where a request was addressed: origin, host name, and the `host` the log shows. */
interface Address {
  origin: string;
  hostname: string;
  host: string;
}

/** Status-only errors (faults, failures) in the dialect of the path. */
function statusError(
  dialect: PathDialect | ErrorDialect,
  status: number,
  correlation: Correlation,
  headers: Record<string, string>,
): Reply {
  if (dialect === "identity")
    return entraError({ ...entraErrorForStatus(status), status }, correlation, headers);
  if (dialect === "page") {
    const page = errorPage({ ...entraErrorForStatus(status), status }, correlation);
    return { ...page, headers: { ...page.headers, ...headers } };
  }
  if (dialect === "imds" || dialect === "broker" || dialect === "appservice") {
    const { code, message } = resourceErrorForStatus("azure", status);
    const body =
      dialect === "imds"
        ? { error: status === 429 ? "too_many_requests" : code, error_description: message }
        : dialect === "broker"
          ? { error: code, message }
          : { statusCode: status, message, correlationId: correlation.traceId };
    return jsonReply(status, body, headers);
  }
  const { code, message } = resourceErrorForStatus(dialect, status);
  return resourceError(dialect, status, code, message, correlation, headers);
}

/** Routes every request: built-in endpoints, then resource-API doubles; applies faults; keeps the request log. */
export class Dispatcher {
  readonly #timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  /** Responses a `hang` fault never answers; destroyed on close. */
  readonly #hung = new Set<ServerResponse>();
  #closed = false;

  constructor(
    private readonly state: EmulatorState,
    private readonly log: RequestLog,
    private readonly faults: Faults,
    private readonly customRoutes: ResourceRoute[],
    private readonly builtInRoutes: ResourceRoute[],
  ) {}

  /** Stop answering: pending fault delays end, and later requests get no answer. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#timers) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    this.#timers.clear();
    for (const res of this.#hung) res.socket?.destroy();
    this.#hung.clear();
  }

  #delay(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.#timers.add(entry);
    });
  }

  #dialectOf(path: string): PathDialect | ErrorDialect {
    const endpoint = findEndpoint(path);
    if (endpoint) return endpoint.dialect;
    if (GRAPH_PATH.test(path)) return "graph";
    const route = this.customRoutes.find((candidate) => matchPattern(candidate.pattern, path));
    return route ? (this.state.resources.byKey(route.resourceKey)?.dialect ?? "azure") : "azure";
  }

  #errorForStatus(
    path: string,
    status: number,
    correlation: Correlation,
    headers: Record<string, string> = {},
  ): Reply {
    return statusError(this.#dialectOf(path), status, correlation, headers);
  }

  #faultReply(fault: Readonly<FaultSpec>, path: string, correlation: Correlation): Reply | undefined {
    const headers: Record<string, string> = {};
    const retryAfter = retryAfterHeader(fault.retryAfter);
    if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
    // Lower-case names, so that a fault's `content-type` replaces the emulator's rather than doubling it.
    for (const [name, value] of Object.entries(fault.headers ?? {})) headers[name.toLowerCase()] = value;
    if (fault.kind === "garbage") {
      return {
        status: fault.status ?? 200,
        headers: { "content-type": "text/html; charset=utf-8", ...headers },
        body: fault.body ?? GARBAGE_BODY,
      };
    }
    if (fault.body !== undefined) {
      let type = "text/plain; charset=utf-8";
      try {
        JSON.parse(fault.body);
        type = JSON_CONTENT_TYPE;
      } catch {
        // Not JSON: send as text.
      }
      return { status: fault.status ?? 500, headers: { "content-type": type, ...headers }, body: fault.body };
    }
    if (fault.status === undefined) return undefined;
    return this.#errorForStatus(path, fault.status, correlation, headers);
  }

  async #route(request: EmulatorRequest): Promise<Reply> {
    const { path, method } = request;
    const endpoint = findEndpoint(path);
    if (endpoint) return endpoint.call(this.state, request);
    let pathMatched = false;
    const host = addressedHost(request);
    const own = host === new URL(this.state.origin).hostname;
    const matches: Array<{ route: ResourceRoute; params: Record<string, string> }> = [];
    for (const candidate of [...this.customRoutes, ...this.builtInRoutes]) {
      if (candidate.hosts && (!own || candidate.hostsOnly) && !candidate.hosts.test(host)) continue;
      const params = matchPattern(candidate.pattern, path);
      if (!params) continue;
      pathMatched = true;
      if (candidate.method === method || (candidate.method === "*" && method !== "OPTIONS")) {
        matches.push({ route: candidate, params });
      }
    }
    const chosen = matches.length > 1 ? this.#byAudience(matches, request) : matches[0];
    if (chosen) {
      request.record.service = chosen.route.resourceKey;
      return chosen.route.handler(this.state, request, chosen.params);
    }
    return this.#notFound(request, pathMatched);
  }

  /**
   * Several services answer this path on the emulator's own address (a Custom cloud sends every API there): the
   * one whose audience the bearer token was issued for, else the first.
   */
  #byAudience<T extends { route: ResourceRoute }>(matches: T[], request: EmulatorRequest): T {
    const audience = unverifiedAudience(request.headers["authorization"]);
    if (audience !== undefined) {
      const owner = this.state.resources.byAudience(audience)?.key;
      const match = matches.find((candidate) => candidate.route.resourceKey === owner);
      if (match) return match;
    }
    return matches[0]!;
  }

  #notFound(request: EmulatorRequest, pathMatched: boolean): Reply {
    const { path, method, correlation } = request;
    const dialect = this.#dialectOf(path);
    if (pathMatched) {
      const message = `The HTTP method '${method}' is not supported by the emulator for '${path}'.`;
      if (dialect === "graph" || dialect === "azure") {
        return resourceError(
          dialect,
          405,
          dialect === "graph" ? "Request_BadRequest" : "MethodNotAllowed",
          message,
          correlation,
        );
      }
      return entraError({ ...entraErrorForStatus(405), message }, correlation);
    }
    if (dialect === "graph") {
      const segment = path.split("/").filter(Boolean).slice(1).join("/") || path;
      return resourceError(
        "graph",
        404,
        "ResourceNotFound",
        `Resource not found for the segment '${segment}'.`,
        correlation,
      );
    }
    return resourceError(
      "azure",
      404,
      "NotFound",
      `The msint Entra emulator has no endpoint for ${method} ${path}.`,
      correlation,
    );
  }

  /** The address a request was sent to: the absolute-form target, else its Host header (validated). */
  #addressOf(headers: Record<string, string>, via: RequestVia): Address {
    const raw = via.absoluteUrl?.host ?? headers["host"];
    if (raw && HOST_HEADER.test(raw)) {
      try {
        const url = new URL(`${via.secure ? "https" : "http"}://${raw}`);
        return { origin: url.origin, hostname: url.hostname.toLowerCase(), host: url.host };
      } catch {
        // Fall through to the emulator's own origin.
      }
    }
    const own = new URL(this.state.origin);
    return { origin: own.origin, hostname: own.hostname, host: own.host };
  }

  #targetUrl(req: IncomingMessage, via: RequestVia): URL {
    if (via.absoluteUrl)
      return new URL(`http://emulator${via.absoluteUrl.pathname}${via.absoluteUrl.search}`);
    const raw = req.url ?? "/";
    try {
      return new URL(`http://emulator${raw.startsWith("/") ? raw : `/${raw}`}`);
    } catch {
      return new URL("http://emulator/");
    }
  }

  /** Record grant type, client and scope of token and device-code requests (never secrets). */
  #recordForm(request: EmulatorRequest): void {
    const form = parseTokenForm(request);
    const grantType = form.get("grant_type");
    const clientId = requestClientId(form, request.headers["authorization"]);
    const scope = form.get("scope");
    if (grantType) request.record.grantType = grantType;
    if (clientId) request.record.clientId = clientId;
    if (scope) request.record.scope = scope;
    const claims = form.get("claims");
    if (claims) request.record.claims = claims;
    const assertionType = form.get("client_assertion_type");
    if (assertionType) request.record.clientAssertionType = assertionType;
    request.correlation.clientRequestId ??= form.get("client-request-id") || undefined;
  }

  /** Managed identity switched off: 404 and close, or drop the connection. Undefined when it is on. */
  #managedIdentityOff(
    path: string,
    res: ServerResponse,
    record: RecordedRequest,
  ): Reply | "dropped" | undefined {
    const setting = this.state.settings.managedIdentity;
    if (setting === true || !isManagedIdentityPath(path)) return undefined;
    if (setting === "unreachable") {
      res.socket?.destroy();
      return "dropped";
    }
    record.status = 404;
    return jsonReply(404, {
      error: "not_found",
      error_description: "There is no managed identity endpoint on this machine.",
    });
  }

  async #reply(request: EmulatorRequest): Promise<{ reply?: Reply; disruption?: Disruption }> {
    const fault = this.faults.take(request.path);
    let disruption: Disruption | undefined;
    if (fault) {
      request.record.faulted = true;
      if (fault.delayMs) await this.#delay(fault.delayMs);
      const kind = fault.kind ?? "status";
      if (kind === "hang") return { disruption: "hang" };
      if (kind === "reset" || kind === "truncate") disruption = kind;
      const reply = this.#faultReply(fault, request.path, request.correlation);
      if (reply) return disruption ? { reply, disruption } : { reply };
    }
    if (this.#closed) return {};
    const reply = await this.#route(request);
    return disruption ? { reply, disruption } : { reply };
  }

  #newRecord(method: string, url: URL, headers: Record<string, string>, address: Address): RecordedRequest {
    return {
      at: this.state.now(),
      method,
      path: url.pathname,
      query: redactParameters(url.searchParams),
      status: 0,
      headers: redactHeaders(headers),
      host: address.host,
    };
  }

  /** Answer one HTTP request (direct, through the proxy's TLS tunnel, or absolute-form through the proxy). */
  async handle(req: IncomingMessage, res: ServerResponse, via: RequestVia): Promise<void> {
    const headers = flattenHeaders(req);
    const method = (req.method ?? "GET").toUpperCase();
    const url = this.#targetUrl(req, via);
    const address = this.#addressOf(headers, via);
    const record = this.#newRecord(method, url, headers, address);
    const endpoint = findEndpoint(url.pathname);
    if (endpoint?.tenant !== undefined) record.tenant = endpoint.tenant;
    this.log.push(record);
    // MSAL sends its correlation ID as a query (and form) parameter; other clients as a header. Entra echoes either.
    const correlation: Correlation = {
      now: record.at,
      traceId: randomUUID(),
      clientRequestId: headers["client-request-id"] || url.searchParams.get("client-request-id") || undefined,
    };
    const off = this.#managedIdentityOff(url.pathname, res, record);
    if (off === "dropped") return;
    let reply: Reply | undefined = off;
    let disruption: Disruption | undefined;
    let closeConnection = off !== undefined;
    try {
      let body: Buffer = Buffer.alloc(0);
      try {
        if (!reply) body = await readBody(req);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        closeConnection = true;
        reply = this.#errorForStatus(url.pathname, 413, correlation);
      }
      const request: EmulatorRequest = {
        method,
        url,
        path: url.pathname,
        headers,
        body,
        record,
        correlation,
        origin: address.origin,
        hostname: address.hostname,
        secure: via.secure,
      };
      if (!reply && (endpoint?.isToken || url.pathname.endsWith("/oauth2/v2.0/devicecode")))
        this.#recordForm(request);
      if (!reply) ({ reply, disruption } = await this.#reply(request));
      if (disruption === "hang") {
        this.#hang(res);
        return;
      }
      if (!reply) return;
    } catch (error) {
      reply = this.#errorForStatus(url.pathname, 500, correlation);
      if (process.env["MSINT_EMULATOR_DEBUG"]) console.error("entra-emulator: handler failed", error);
    }
    if (disruption === "reset" || disruption === "truncate") this.#break(res, record, reply, disruption);
    else this.#write(res, method, record, reply, closeConnection);
    this.log.answered(record);
  }

  /** Leaves a request unanswered until the client gives up (or the emulator closes). */
  #hang(res: ServerResponse): void {
    if (this.#closed) {
      res.socket?.destroy();
      return;
    }
    this.#hung.add(res);
    res.on("close", () => this.#hung.delete(res));
  }

  /**
   * Sends part of a response, then breaks the connection: `reset` destroys the socket after the headers and a few
   * bytes; `truncate` declares the full Content-Length, sends half the body, and ends the connection.
   */
  #break(res: ServerResponse, record: RecordedRequest, reply: Reply, how: "reset" | "truncate"): void {
    record.status = reply.status;
    if (res.destroyed || res.headersSent) return;
    const body = Buffer.from(reply.body, "utf8");
    res.writeHead(reply.status, {
      ...reply.headers,
      "content-length": String(body.length),
      connection: "close",
    });
    const sent = how === "reset" ? Math.min(8, body.length >> 1) : body.length >> 1;
    res.write(body.subarray(0, sent), () => {
      const socket = res.socket;
      if (!socket) return;
      if (how === "reset") {
        // Abortive close where the platform supports it (TCP RST), else a plain destroy.
        try {
          (socket as { resetAndDestroy?: () => void }).resetAndDestroy?.();
        } catch {
          // Not a TCP socket (a TLS session inside the proxy's tunnel): a plain destroy below.
        }
        socket.destroy();
      } else socket.end();
    });
  }

  #write(
    res: ServerResponse,
    method: string,
    record: RecordedRequest,
    reply: Reply,
    closeConnection: boolean,
  ): void {
    record.status = reply.status;
    if (res.destroyed || res.headersSent) return;
    const responseHeaders: Record<string, string> = { ...reply.headers };
    // A HEAD answer declares the length of the body a GET would carry (Get Blob Properties' Content-Length), when
    // the route gives it; otherwise the length of what is sent.
    const headLength = method === "HEAD" ? reply.headers?.["content-length"] : undefined;
    responseHeaders["content-length"] = headLength ?? String(Buffer.byteLength(reply.body));
    if (closeConnection) responseHeaders["connection"] = "close";
    res.writeHead(reply.status, responseHeaders);
    res.end(method === "HEAD" ? undefined : reply.body);
  }
}
