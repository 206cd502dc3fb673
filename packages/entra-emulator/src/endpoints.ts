import { BROKER_PATHS, handleBroker } from "./broker.js";
import { handleJwks, handleOpenIdConfiguration } from "./discovery.js";
import { aadsts, entraError } from "./errors.js";
import type { Reply } from "./http.js";
import { APP_SERVICE_PATH, handleAppService, handleImds, IMDS_PATH } from "./managed-identity.js";
import type { EmulatorRequest, EmulatorState } from "./state.js";
import { handleDeviceAuthorization } from "./token/device-authorization.js";
import { handleTokenRequest } from "./token/endpoint.js";
import { handleAdminConsent, handleAuthorize } from "./web/authorize.js";
import { handleDeviceLogin } from "./web/device-login.js";
import { handleConsentPost, handleLoginPost } from "./web/login.js";

/** How errors (and injected faults) on a path are shaped. */
export type PathDialect = "identity" | "page" | "imds" | "appservice" | "broker";

type TenantEndpoint = (
  state: EmulatorState,
  request: EmulatorRequest,
  tenant: string,
) => Reply | Promise<Reply>;

interface IdentityEndpoint {
  handle: TenantEndpoint;
  dialect: "identity" | "page";
}

function getOnly(handle: TenantEndpoint): TenantEndpoint {
  return (state, request, tenant) =>
    request.method === "GET" || request.method === "HEAD"
      ? handle(state, request, tenant)
      : entraError(
          aadsts.badRequest(
            405,
            `The endpoint only accepts GET requests. Received a ${request.method} request.`,
          ),
          request.correlation,
        );
}

/** `/{tenant}/<endpoint>` of the identity platform, by endpoint. */
const IDENTITY_ENDPOINTS = new Map<string, IdentityEndpoint>([
  ["oauth2/v2.0/token", { handle: handleTokenRequest, dialect: "identity" }],
  ["oauth2/v2.0/devicecode", { handle: handleDeviceAuthorization, dialect: "identity" }],
  [
    "v2.0/.well-known/openid-configuration",
    { handle: getOnly(handleOpenIdConfiguration), dialect: "identity" },
  ],
  ["discovery/v2.0/keys", { handle: getOnly(handleJwks), dialect: "identity" }],
  ["discovery/keys", { handle: getOnly(handleJwks), dialect: "identity" }],
  [
    "oauth2/v2.0/authorize",
    { handle: (state, request, tenant) => handleAuthorize({ state, request }, tenant), dialect: "page" },
  ],
  [
    "adminconsent",
    { handle: (state, request, tenant) => handleAdminConsent({ state, request }, tenant), dialect: "page" },
  ],
  ["login", { handle: (state, request) => handleLoginPost({ state, request }), dialect: "page" }],
  ["consent", { handle: (state, request) => handleConsentPost({ state, request }), dialect: "page" }],
]);

/** Tenant-independent endpoints, by exact path. */
const FIXED_ENDPOINTS = new Map<
  string,
  { handle: (state: EmulatorState, request: EmulatorRequest) => Reply | Promise<Reply>; dialect: PathDialect }
>([
  ["/devicelogin", { handle: (state, request) => handleDeviceLogin({ state, request }), dialect: "page" }],
  [IMDS_PATH, { handle: handleImds, dialect: "imds" }],
  [APP_SERVICE_PATH, { handle: handleAppService, dialect: "appservice" }],
  ...[...BROKER_PATHS].map((path) => [path, { handle: handleBroker, dialect: "broker" as const }] as const),
]);

const IDENTITY_PATH = /^\/([^/]+)\/(.+)$/;

/** An emulator endpoint a path names, ready to call. */
export interface Endpoint {
  dialect: PathDialect;
  /** The tenant segment, for identity-platform paths. */
  tenant?: string;
  /** The token endpoint (its log entries carry grant type, client and scope). */
  isToken: boolean;
  call(state: EmulatorState, request: EmulatorRequest): Reply | Promise<Reply>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The built-in endpoint of a path (identity platform, device login, managed identity, broker), if any. */
export function findEndpoint(path: string): Endpoint | undefined {
  const fixed = FIXED_ENDPOINTS.get(withoutTrailingSlash(path));
  if (fixed) return { dialect: fixed.dialect, isToken: false, call: fixed.handle };
  const match = IDENTITY_PATH.exec(path);
  const endpoint = match && IDENTITY_ENDPOINTS.get(match[2]!);
  if (!match || !endpoint) return undefined;
  const tenant = decodeSegment(match[1]!);
  return {
    dialect: endpoint.dialect,
    tenant,
    isToken: match[2] === "oauth2/v2.0/token",
    call: (state, request) => endpoint.handle(state, request, tenant),
  };
}

/** Whether a path is one of the managed-identity endpoints. */
export function isManagedIdentityPath(path: string): boolean {
  const bare = withoutTrailingSlash(path);
  return bare === IMDS_PATH || bare === APP_SERVICE_PATH;
}

/** Fixed endpoints tolerate a trailing slash (MSAL asks IMDS for `/metadata/identity/oauth2/token/`). */
function withoutTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}
