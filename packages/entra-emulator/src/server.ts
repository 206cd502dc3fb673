import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleJwks, handleOpenIdConfiguration } from "./discovery.js";
import {
  type Correlation,
  entraError,
  entraErrorForStatus,
  resourceError,
  resourceErrorForStatus,
} from "./errors.js";
import { Faults } from "./faults.js";
import { graphUserRoutes } from "./graph/users.js";
import { BodyTooLargeError, flattenHeaders, JSON_CONTENT_TYPE, type Reply, readBody } from "./http.js";
import { createSigningKey } from "./jwt.js";
import { RequestLog, redactHeaders, redactParameters } from "./request-log.js";
import { BUILT_IN_RESOURCES, ResourceTable } from "./resources.js";
import { compilePattern, matchPattern, protectedRoute, type ResourceRoute } from "./routes.js";
import { demoSeed, loadSeed } from "./seed.js";
import { type EmulatorRequest, type EmulatorState, findTenant } from "./state.js";
import { requestClientId } from "./token/client-auth.js";
import { handleTokenRequest, parseTokenForm } from "./token/endpoint.js";
import { appTokenClaims, mintAccessToken, type TokenClaimsInput } from "./tokens.js";
import type {
  EmulatorOptions,
  ErrorDialect,
  FaultSpec,
  IssueTokenParameters,
  RecordedRequest,
  RunningEmulator,
} from "./types.js";

/** Identity-platform paths: `/{tenant}/<endpoint>`. */
const IDENTITY_PATH =
  /^\/([^/]+)\/(oauth2\/v2\.0\/[^/]+|v2\.0\/\.well-known\/openid-configuration|discovery\/(?:v2\.0\/)?keys)$/;
const TOKEN_PATH = /^\/[^/]+\/oauth2\/v2\.0\/token$/;
const GRAPH_PATH = /^\/(v1\.0|beta)(\/|$)/i;

/** Resolve the bind address, refusing anything that is not loopback (the emulator has no real security). */
function loopbackHost(host: string | undefined): { bind: string; urlHost: string } {
  const value = (host ?? "127.0.0.1").trim();
  if (value === "localhost") return { bind: "127.0.0.1", urlHost: "127.0.0.1" };
  if (/^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(value)) return { bind: value, urlHost: value };
  if (value === "::1" || value === "[::1]") return { bind: "::1", urlHost: "[::1]" };
  throw new Error(
    `Refusing to start the Entra emulator on host '${value}': it only binds to loopback addresses ` +
      "(127.0.0.1, ::1 or localhost), because it hands out tokens to anyone who asks.",
  );
}

function validateLifetime(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`tokenLifetimeSeconds must be a positive integer, got ${seconds}`);
  }
  return seconds;
}

/**
 * Start the emulator: an HTTP server on loopback speaking the Microsoft identity platform (v2) token,
 * discovery and JWKS endpoints, plus Microsoft Graph user doubles and any doubles added with `addRoute`.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { bind, urlHost } = loopbackHost(options.host);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port must be 0..65535, got ${port}`);
  const seed = loadSeed(options.seed ?? demoSeed);
  const resources = new ResourceTable();
  for (const [key, audiences] of Object.entries(BUILT_IN_RESOURCES)) resources.register(key, audiences);
  for (const [key, audiences] of Object.entries(options.resources ?? {})) resources.register(key, audiences);

  const state: EmulatorState = {
    seed,
    key: await createSigningKey(options.signingKey),
    resources,
    now: options.now ?? Date.now,
    tokenLifetimeSeconds: validateLifetime(options.tokenLifetimeSeconds ?? 3599),
    clockSkewSeconds: options.clockSkewSeconds ?? 300,
    origin: "",
  };
  const log = new RequestLog(options.requestLogLimit ?? 10_000);
  const faults = new Faults();
  const customRoutes: ResourceRoute[] = [];
  const builtInRoutes = graphUserRoutes();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(entry);
    });

  const dialectOf = (path: string): ErrorDialect | "identity" => {
    if (IDENTITY_PATH.test(path)) return "identity";
    if (GRAPH_PATH.test(path)) return "graph";
    const route = customRoutes.find((candidate) => matchPattern(candidate.pattern, path));
    return route ? (resources.byKey(route.resourceKey)?.dialect ?? "azure") : "azure";
  };

  const errorForStatus = (
    path: string,
    status: number,
    correlation: Correlation,
    headers: Record<string, string> = {},
  ): Reply => {
    const dialect = dialectOf(path);
    if (dialect === "identity")
      return entraError({ ...entraErrorForStatus(status), status }, correlation, headers);
    const { code, message } = resourceErrorForStatus(dialect, status);
    return resourceError(dialect, status, code, message, correlation, headers);
  };

  const faultReply = (
    fault: Readonly<FaultSpec>,
    path: string,
    correlation: Correlation,
  ): Reply | undefined => {
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
    return errorForStatus(path, fault.status, correlation, headers);
  };

  const route = async (request: EmulatorRequest): Promise<Reply> => {
    const { path, method } = request;
    const identity = IDENTITY_PATH.exec(path);
    if (identity) {
      const tenant = decodeSegment(identity[1]!);
      const endpoint = identity[2]!;
      if (endpoint === "oauth2/v2.0/token") return handleTokenRequest(state, request, tenant);
      if (method === "GET" && endpoint === "v2.0/.well-known/openid-configuration") {
        return handleOpenIdConfiguration(state, request, tenant);
      }
      if (method === "GET" && endpoint.startsWith("discovery/")) return handleJwks(state, request, tenant);
    }
    let pathMatched = false;
    for (const candidate of [...customRoutes, ...builtInRoutes]) {
      const params = matchPattern(candidate.pattern, path);
      if (!params) continue;
      pathMatched = true;
      if (candidate.method === method || (candidate.method === "*" && method !== "OPTIONS")) {
        return candidate.handler(state, request, params);
      }
    }
    const dialect = dialectOf(path);
    if (pathMatched) {
      const message = `The HTTP method '${method}' is not supported by the emulator for '${path}'.`;
      if (dialect === "identity")
        return entraError({ ...entraErrorForStatus(405), message }, request.correlation);
      return resourceError(
        dialect,
        405,
        dialect === "graph" ? "Request_BadRequest" : "MethodNotAllowed",
        message,
        request.correlation,
      );
    }
    if (dialect === "graph") {
      const segment = path.split("/").filter(Boolean).slice(1).join("/") || path;
      return resourceError(
        "graph",
        404,
        "ResourceNotFound",
        `Resource not found for the segment '${segment}'.`,
        request.correlation,
      );
    }
    return resourceError(
      "azure",
      404,
      "NotFound",
      `The msint Entra emulator has no endpoint for ${method} ${path}.`,
      request.correlation,
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const correlationBase = { now: state.now(), traceId: randomUUID() };
    const headers = flattenHeaders(req);
    const method = (req.method ?? "GET").toUpperCase();
    let url: URL;
    try {
      url = new URL(`http://emulator${(req.url ?? "/").startsWith("/") ? req.url : `/${req.url}`}`);
    } catch {
      url = new URL("http://emulator/");
    }
    const path = url.pathname;
    const record: RecordedRequest = {
      at: correlationBase.now,
      method,
      path,
      query: redactParameters(url.searchParams),
      status: 0,
      headers: redactHeaders(headers),
    };
    const identity = IDENTITY_PATH.exec(path);
    if (identity) record.tenant = decodeSegment(identity[1]!);
    log.push(record);
    // MSAL sends its correlation ID as a query (and form) parameter; other clients as a header. Entra echoes either.
    const correlation: Correlation = {
      ...correlationBase,
      clientRequestId: headers["client-request-id"] || url.searchParams.get("client-request-id") || undefined,
    };

    let reply: Reply | undefined;
    let closeConnection = false;
    try {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        closeConnection = true;
        body = Buffer.alloc(0);
        reply = errorForStatus(path, 413, correlation);
      }
      const request: EmulatorRequest = { method, url, path, headers, body, record, correlation };
      if (!reply && TOKEN_PATH.test(path)) {
        const form = parseTokenForm(request);
        const grantType = form.get("grant_type");
        const clientId = requestClientId(form, headers["authorization"]);
        const scope = form.get("scope");
        if (grantType) record.grantType = grantType;
        if (clientId) record.clientId = clientId;
        if (scope) record.scope = scope;
        correlation.clientRequestId ??= form.get("client-request-id") || undefined;
      }
      if (!reply) {
        const fault = faults.take(path);
        if (fault) {
          record.faulted = true;
          if (fault.delayMs) await delay(fault.delayMs);
          reply = faultReply(fault, path, correlation);
        }
      }
      if (closed) return;
      reply ??= await route(request);
    } catch (error) {
      reply = errorForStatus(path, 500, correlation);
      if (process.env["MSINT_EMULATOR_DEBUG"]) console.error("entra-emulator: handler failed", error);
    }
    record.status = reply.status;
    if (res.destroyed || res.headersSent) return;
    const responseHeaders: Record<string, string> = { ...reply.headers };
    responseHeaders["content-length"] = String(Buffer.byteLength(reply.body));
    if (closeConnection) responseHeaders["connection"] = "close";
    res.writeHead(reply.status, responseHeaders);
    res.end(method === "HEAD" ? undefined : reply.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "content-type": JSON_CONTENT_TYPE });
        res.end('{"error":{"code":"InternalServerError","message":"The emulator failed to answer."}}');
      }
    });
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, bind, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${urlHost}:${actualPort}`;
  state.origin = url;
  // An instance whose Custom cloud points its Graph root at the emulator requests `<url>/.default`.
  resources.register("graph", [url]);

  const emulator: RunningEmulator = {
    url,
    port: actualPort,
    seed,
    requests: log.entries,
    clearRequests: () => log.clear(),
    tokenRequests: () => log.entries.filter((entry) => TOKEN_PATH.test(entry.path)),
    faults,
    setTokenLifetime: (seconds) => {
      state.tokenLifetimeSeconds = validateLifetime(seconds);
    },
    registerResource: (key, audiences, resourceOptions) =>
      resources.register(key, audiences, resourceOptions),
    addRoute: (method, pathPattern, spec, handler) => {
      if (!resources.byKey(spec.resource)) {
        throw new Error(`addRoute: unknown resource '${spec.resource}'; call registerResource first`);
      }
      const entry: ResourceRoute = {
        method: method.toUpperCase(),
        pattern: compilePattern(pathPattern),
        resourceKey: spec.resource,
        handler: protectedRoute(spec, handler),
      };
      customRoutes.push(entry);
      return () => {
        const index = customRoutes.indexOf(entry);
        if (index >= 0) customRoutes.splice(index, 1);
      };
    },
    issueAccessToken: (parameters) => issueAccessToken(state, parameters),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return emulator;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function issueAccessToken(state: EmulatorState, parameters: IssueTokenParameters): string {
  const tenant = findTenant(state.seed, parameters.tenantId);
  if (!tenant) throw new Error(`issueAccessToken: unknown tenant '${parameters.tenantId}'`);
  const audience = state.resources.byKey(parameters.resource)
    ? state.resources.primaryAudience(parameters.resource)!
    : parameters.resource;
  const app =
    tenant.apps.find(
      (candidate) => candidate.clientId.toLowerCase() === parameters.clientId?.toLowerCase(),
    ) ?? ({ clientId: parameters.clientId ?? randomUUID(), displayName: "emulator test client" } as const);
  const base = appTokenClaims(tenant, app, audience, parameters.roles ?? [], "secret");
  const claims: Record<string, unknown> = { ...base };
  if (parameters.scp !== undefined) {
    // A delegated token: the user is the subject.
    const user = tenant.users?.find(
      (candidate) => candidate.id.toLowerCase() === parameters.userId?.toLowerCase(),
    );
    Object.assign(claims, { idtyp: "user", scp: parameters.scp, oid: parameters.userId ?? randomUUID() });
    claims["sub"] = claims["oid"];
    if (user) Object.assign(claims, { upn: user.userPrincipalName, name: user.displayName });
    if (!parameters.roles?.length) delete claims["roles"];
  }
  Object.assign(claims, parameters.claims ?? {});
  return mintAccessToken(state, claims as TokenClaimsInput, parameters.lifetimeSeconds).token;
}
