import { cloudOfHost } from "./clouds.js";
import { resourceError } from "./errors.js";
import { bearerToken, isFormContentType, isJsonContentType, jsonReply, type Reply } from "./http.js";
import type { Resource } from "./resources.js";
import { type EmulatorRequest, type EmulatorState, findTenant } from "./state.js";
import { checkAccessToken, isAppOnly } from "./tokens.js";
import type {
  AccessTokenClaims,
  ErrorDialect,
  ProtectedRouteSpec,
  RouteContext,
  RouteHandler,
  RouteResponse,
} from "./types.js";

/** A compiled path pattern: literal segments (case-insensitive), `:name` captures, and a trailing `*`. */
export interface PathPattern {
  source: string;
  segments: Array<{ literal: string } | { param: string } | { rest: true }>;
}

export function compilePattern(pattern: string): PathPattern {
  if (!pattern.startsWith("/")) throw new Error(`Route pattern '${pattern}' must start with '/'`);
  const parts = pattern.split("/").slice(1);
  const segments = parts.map((part, index): PathPattern["segments"][number] => {
    if (part === "*") {
      if (index !== parts.length - 1)
        throw new Error(`Route pattern '${pattern}': '*' must be the last segment`);
      return { rest: true };
    }
    if (part.startsWith(":")) {
      const name = part.slice(1);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        throw new Error(`Route pattern '${pattern}': bad parameter '${part}'`);
      return { param: name };
    }
    return { literal: part.toLowerCase() };
  });
  return { source: pattern, segments };
}

/** Match a path; returns the URL-decoded parameters, or undefined. */
export function matchPattern(pattern: PathPattern, path: string): Record<string, string> | undefined {
  const parts = path.split("/").slice(1);
  const params: Record<string, string> = {};
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  };
  for (let i = 0; i < pattern.segments.length; i++) {
    const segment = pattern.segments[i]!;
    if ("rest" in segment) {
      const rest = decode(parts.slice(i).join("/"));
      if (rest === undefined) return undefined;
      params["*"] = rest;
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if ("literal" in segment) {
      if (part.toLowerCase() !== segment.literal) return undefined;
    } else {
      const value = decode(part);
      if (value === undefined || value.length === 0) return undefined;
      params[segment.param] = value;
    }
  }
  return parts.length === pattern.segments.length ? params : undefined;
}

/** An internal handler: gets the request and the pattern's parameters, answers a {@link Reply}. */
export type InternalHandler = (
  state: EmulatorState,
  request: EmulatorRequest,
  params: Record<string, string>,
) => Promise<Reply>;

/** A route of a resource-API double. */
export interface ResourceRoute {
  method: string;
  pattern: PathPattern;
  resourceKey: string;
  /**
   * Host names the route answers on (a built-in service's). A request addressed to another Microsoft host skips
   * it; one addressed to the emulator itself (a Custom cloud) matches by path.
   */
  hosts?: RegExp;
  /** Only on `hosts`: never matched by path on the emulator's own address. */
  hostsOnly?: boolean;
  handler: InternalHandler;
}

function toReply(response: RouteResponse): Reply {
  const headers = { ...(response.headers ?? {}) };
  if (response.body === undefined) return { status: response.status, headers, body: "" };
  if (typeof response.body === "string") {
    const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
    return {
      status: response.status,
      headers: hasType ? headers : { "content-type": "text/plain; charset=utf-8", ...headers },
      body: response.body,
    };
  }
  return jsonReply(response.status, response.body, headers);
}

class BadBody extends Error {}

function parseBody(request: EmulatorRequest): unknown {
  if (request.body.length === 0) return undefined;
  const text = request.body.toString("utf8");
  const type = request.headers["content-type"];
  if (isJsonContentType(type)) {
    try {
      return JSON.parse(text);
    } catch {
      throw new BadBody();
    }
  }
  if (isFormContentType(type)) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

function wwwAuthenticate(
  state: EmulatorState,
  origin: string,
  resource: Resource,
  presented: boolean,
): string {
  if (resource.challenge) {
    const tenant = resource.challenge.tenantId ?? state.seed.tenants[0]?.id ?? "common";
    return `Bearer authorization="${origin}/${tenant}", resource="${resource.challenge.resource}"`;
  }
  if (resource.dialect === "graph") {
    return (
      `Bearer realm="", authorization_uri="${origin}/common/oauth2/authorize", ` +
      `client_id="00000003-0000-0000-c000-000000000000"`
    );
  }
  const base = `Bearer authorization_uri="${origin}/common"`;
  return presented
    ? `${base}, error="invalid_token", error_description="The access token is invalid."`
    : base;
}

/** The sign-in origin that goes with an API host: the emulator itself, or the cloud's login host via the proxy. */
function loginOrigin(state: EmulatorState, request: EmulatorRequest): string {
  const cloud = cloudOfHost(request.hostname);
  if (!cloud) return state.origin;
  const login = { public: "microsoftonline.com", usgov: "microsoftonline.us", usdod: "microsoftonline.us" };
  const host =
    cloud === "china"
      ? "login.chinacloudapi.cn"
      : cloud === "germany"
        ? "login.microsoftonline.de"
        : `login.${login[cloud]}`;
  return `https://${host}`;
}

function hasAny(granted: readonly string[], wanted: readonly string[] | undefined): boolean {
  if (!wanted) return false;
  const set = new Set(granted.map((item) => item.toLowerCase()));
  return wanted.some((item) => set.has(item.toLowerCase()));
}

/**
 * Wrap a resource-API handler with the verification Microsoft's APIs do: bearer token present, signed by the
 * emulator, within its lifetime, issued for one of `spec.resource`'s audiences by a known tenant (401
 * `InvalidAuthenticationToken` + `WWW-Authenticate`), then authorized: app-only tokens need one of `spec.roles`,
 * user tokens one of `spec.scopes` (403). With neither list, any valid token for the resource passes.
 */
export function protectedRoute(spec: ProtectedRouteSpec, handler: RouteHandler): InternalHandler {
  return async (state, request, params) => {
    const correlation = request.correlation;
    const resource = state.resources.byKey(spec.resource);
    if (!resource) {
      return resourceError(
        "azure",
        500,
        "InternalServerError",
        `Unknown resource '${spec.resource}'`,
        correlation,
      );
    }
    const dialect = resource.dialect;
    if (spec.authenticate) {
      const outcome = spec.authenticate(
        {
          method: request.method,
          path: request.path,
          query: Object.fromEntries(request.url.searchParams),
          headers: { ...request.headers },
        },
        (token) => checkAccessToken(state, token, resource, request),
      );
      if (!("claims" in outcome)) return finishReply(toReply(outcome), request);
      return respond(state, request, params, outcome.claims, dialect, handler);
    }
    const token = bearerToken(request.headers["authorization"]) ?? "";
    const check = checkAccessToken(state, token, resource, request);
    if (!check.ok) {
      return resourceError(dialect, 401, "InvalidAuthenticationToken", check.message, correlation, {
        "www-authenticate": wwwAuthenticate(state, loginOrigin(state, request), resource, token.length > 0),
      });
    }
    const claims = check.claims;
    if (spec.roles !== undefined || spec.scopes !== undefined) {
      const allowed = isAppOnly(claims)
        ? hasAny(claims.roles ?? [], spec.roles)
        : hasAny((claims.scp ?? "").split(" ").filter(Boolean), spec.scopes);
      if (!allowed) {
        return dialect === "graph"
          ? resourceError(
              dialect,
              403,
              "Authorization_RequestDenied",
              "Insufficient privileges to complete the operation.",
              correlation,
            )
          : resourceError(
              dialect,
              403,
              "AuthorizationFailed",
              `The client '${claims.appid ?? claims.oid}' with object id '${claims.oid}' does not have authorization ` +
                `to perform action '${request.method} ${request.path}' over scope '${request.path}' or the scope is invalid.`,
              correlation,
            );
      }
    }
    return respond(state, request, params, claims, dialect, handler);
  };
}

/** Adds the request and client-request IDs Microsoft's APIs echo. */
function finishReply(reply: Reply, request: EmulatorRequest): Reply {
  reply.headers["request-id"] ??= request.correlation.traceId;
  if (request.correlation.clientRequestId)
    reply.headers["client-request-id"] ??= request.correlation.clientRequestId;
  return reply;
}

/** Parses the body and runs the handler with the verified claims. */
async function respond(
  state: EmulatorState,
  request: EmulatorRequest,
  params: Record<string, string>,
  claims: AccessTokenClaims,
  dialect: ErrorDialect,
  handler: RouteHandler,
): Promise<Reply> {
  const correlation = request.correlation;
  let body: unknown;
  try {
    body = parseBody(request);
  } catch {
    return resourceError(
      dialect,
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
      correlation,
    );
  }
  const context: RouteContext = {
    method: request.method,
    path: request.path,
    params,
    query: Object.fromEntries(request.url.searchParams),
    headers: { ...request.headers },
    body,
    claims,
    tenant: typeof claims.tid === "string" ? findTenant(state.seed, claims.tid) : undefined,
    origin: request.origin,
    json: (status, json, headers) => ({ status, body: json, ...(headers ? { headers } : {}) }),
    error: (status, code, message, headers) => {
      const reply = resourceError(dialect, status, code, message, correlation, headers);
      return { status, headers: reply.headers, body: JSON.parse(reply.body) };
    },
    empty: (status = 204) => ({ status }),
  };
  const response = await handler(context);
  return finishReply(toReply(response ?? { status: 204 }), request);
}
