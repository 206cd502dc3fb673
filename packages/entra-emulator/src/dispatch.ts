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
import type { Faults } from "./faults.js";
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
import type { ErrorDialect, FaultSpec, RecordedRequest } from "./types.js";
import { errorPage } from "./web/pages.js";

const GRAPH_PATH = /^\/(v1\.0|beta)(\/|$)/i;
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

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
    if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
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
    for (const candidate of [...this.customRoutes, ...this.builtInRoutes]) {
      const params = matchPattern(candidate.pattern, path);
      if (!params) continue;
      pathMatched = true;
      if (candidate.method === method || (candidate.method === "*" && method !== "OPTIONS")) {
        return candidate.handler(this.state, request, params);
      }
    }
    return this.#notFound(request, pathMatched);
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

  async #reply(request: EmulatorRequest): Promise<Reply | undefined> {
    const fault = this.faults.take(request.path);
    if (fault) {
      request.record.faulted = true;
      if (fault.delayMs) await this.#delay(fault.delayMs);
      const reply = this.#faultReply(fault, request.path, request.correlation);
      if (reply) return reply;
    }
    if (this.#closed) return undefined;
    return this.#route(request);
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
      reply ??= await this.#reply(request);
      if (!reply) return;
    } catch (error) {
      reply = this.#errorForStatus(url.pathname, 500, correlation);
      if (process.env["MSINT_EMULATOR_DEBUG"]) console.error("entra-emulator: handler failed", error);
    }
    this.#write(res, method, record, reply, closeConnection);
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
    responseHeaders["content-length"] = String(Buffer.byteLength(reply.body));
    if (closeConnection) responseHeaders["connection"] = "close";
    res.writeHead(reply.status, responseHeaders);
    res.end(method === "HEAD" ? undefined : reply.body);
  }
}
