import type { KeyObject } from "node:crypto";

/** A client secret registered on an app. */
export interface SeedSecret {
  /** The secret's ID (what the portal shows as "Secret ID"); never accepted as the secret itself. */
  id?: string;
  /** The secret value the client sends. */
  value: string;
  /** ISO 8601 expiry; a date in the past makes the secret expired (AADSTS7000222). */
  expiresOn?: string;
}

/** A certificate credential registered on an app (certificate assertions are not verified yet). */
export interface SeedCertificate {
  /** PEM of the certificate (or its public key). */
  pem: string;
}

/** An app registration (and its service principal) in a tenant. */
export interface SeedApp {
  /** Application (client) ID, a GUID. */
  clientId: string;
  displayName: string;
  /** Object ID of the app's service principal in this tenant (the token's `oid`); derived from the client ID when omitted. */
  servicePrincipalId?: string;
  secrets?: SeedSecret[];
  certificates?: SeedCertificate[];
  redirectUris?: string[];
  /** "Allow public client flows". */
  publicClient?: boolean;
  /** Admin-consented application roles per resource key, e.g. `{ graph: ["User.Read.All"] }`. */
  grants?: Record<string, string[]>;
}

/** A user of a tenant, as Microsoft Graph returns it (the password is never returned). */
export interface SeedUser {
  /** Object ID, a GUID. */
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  mail?: string;
  jobTitle?: string;
  department?: string;
  officeLocation?: string;
  mobilePhone?: string;
  businessPhones?: string[];
  preferredLanguage?: string;
  /** Defaults to true. */
  accountEnabled?: boolean;
  /** For user flows (not used by client credentials). */
  password?: string;
}

/** A directory (tenant). */
export interface SeedTenant {
  /** Tenant ID, a GUID. */
  id: string;
  /** Shown in Entra messages such as AADSTS700016; defaults to the first domain. */
  displayName?: string;
  /** Verified domains, e.g. `contoso.onmicrosoft.com`; the tenant may be addressed by ID or by any domain. */
  domains?: string[];
  apps: SeedApp[];
  users?: SeedUser[];
}

/** Everything the emulator knows: tenants, their apps and users. JSON-serialisable. */
export interface EmulatorSeed {
  tenants: SeedTenant[];
}

/** How errors of a protected resource API are shaped. */
export type ErrorDialect = "graph" | "azure";

/** Options of a resource (an API that accepts the emulator's access tokens). */
export interface ResourceOptions {
  /** Error body shape of the API's doubles: Microsoft Graph's, or the common Azure `{ error: { code, message } }`. */
  dialect?: ErrorDialect;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Loopback address to bind (`127.0.0.1`, `::1` or `localhost`); anything else is refused. Default `127.0.0.1`. */
  host?: string;
  /** Seed object, or path to a JSON seed file. Default {@link demoSeed}. */
  seed?: EmulatorSeed | string;
  /** `expires_in` of issued access tokens. Default 3599. */
  tokenLifetimeSeconds?: number;
  /** Clock in epoch milliseconds (for tests). Default `Date.now`. */
  now?: () => number;
  /** Tolerance applied by resource doubles to `exp`/`nbf`, like Microsoft's token validators. Default 300. */
  clockSkewSeconds?: number;
  /** RSA private key (PEM or KeyObject) to sign tokens with; a 2048-bit key is generated when omitted. */
  signingKey?: string | KeyObject;
  /** Extra resources: key → audiences (e.g. `{ mde: ["https://api.securitycenter.microsoft.com"] }`). */
  resources?: Record<string, string[]>;
  /** Keep at most this many entries in `requests` (oldest dropped first). Default 10000; 0 = unlimited. */
  requestLogLimit?: number;
}

/** One request as the emulator saw it. Never contains secrets, codes, refresh tokens or bearer values. */
export interface RecordedRequest {
  /** Emulator clock (epoch ms) at arrival. */
  at: number;
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Query parameters (secret-bearing ones redacted). */
  query: Record<string, string>;
  /** Response status (0 while the request is still in flight). */
  status: number;
  /** Token requests: the `grant_type`. */
  grantType?: string;
  /** Token requests: the client ID (from the body or HTTP Basic). */
  clientId?: string;
  /** The tenant segment of identity requests, as sent. */
  tenant?: string;
  /** Token requests: the `scope`. */
  scope?: string;
  /** Request headers, lower-cased; `authorization` and `cookie` values redacted. */
  headers: Record<string, string>;
  /** True when an injected fault answered or delayed this request. */
  faulted?: boolean;
}

/** A fault to inject into the next matching requests. */
export interface FaultSpec {
  /** Matched against the request path: a substring, or a RegExp. Default: every request. */
  match?: string | RegExp;
  /** How many matching requests it affects. Default 1. */
  count?: number;
  /** Answer with this status instead of the normal response, in the path's dialect. */
  status?: number;
  /** `Retry-After` header value. */
  retryAfter?: string | number;
  /** Answer late by this many milliseconds (then the fault, or the normal response when no status is given). */
  delayMs?: number;
  /** Raw response body overriding the dialect's error body. */
  body?: string;
}

/** Injects faults into the emulator's responses. */
export interface FaultInjector {
  /** Queue a fault; it applies to the next `count` matching requests, then stops. */
  inject(fault: FaultSpec): void;
  /** Remove every pending fault. */
  clear(): void;
  /** Faults still pending (with their remaining counts). */
  pending(): ReadonlyArray<Readonly<FaultSpec> & { remaining: number }>;
}

/** Claims of an access token issued by the emulator. */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  oid: string;
  sub: string;
  appid?: string;
  azp?: string;
  appidacr?: string;
  idp?: string;
  idtyp?: "app" | "user";
  roles?: string[];
  /** Delegated scopes, space separated. */
  scp?: string;
  ver?: string;
  uti?: string;
  upn?: string;
  name?: string;
  [claim: string]: unknown;
}

/** What a route handler returns. A string body is sent as text, anything else as JSON. */
export interface RouteResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What a protected route's handler receives. */
export interface RouteContext {
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Values of the pattern's `:name` segments, URL-decoded. */
  params: Record<string, string>;
  /** Query parameters (last value wins). */
  query: Record<string, string>;
  /** Request headers, lower-cased. */
  headers: Record<string, string>;
  /** Parsed body: JSON value, form fields as an object, text, or undefined when empty. */
  body: unknown;
  /** Verified claims of the caller's access token. */
  claims: AccessTokenClaims;
  /** The seed tenant of the token (`tid`), if any. */
  tenant: SeedTenant | undefined;
  /** The emulator origin, e.g. `http://127.0.0.1:4000` (for absolute links such as `@odata.nextLink`). */
  origin: string;
  /** A JSON response. */
  json(status: number, body: unknown, headers?: Record<string, string>): RouteResponse;
  /** An error response in the resource's dialect (Graph or Azure shape). */
  error(status: number, code: string, message: string, headers?: Record<string, string>): RouteResponse;
  /** A response without body (default 204). */
  empty(status?: number): RouteResponse;
}

/** Handler of a protected route. Returning nothing answers 204. */
export type RouteHandler = (
  context: RouteContext,
) => RouteResponse | undefined | Promise<RouteResponse | undefined>;

/** Which tokens a protected route accepts. */
export interface ProtectedRouteSpec {
  /** Resource key (e.g. `graph`, `arm`); the token's `aud` must be one of its audiences. */
  resource: string;
  /** Application roles, any of which an app-only token must carry. Omit (with `scopes`) to accept any token for the resource. */
  roles?: string[];
  /** Delegated scopes, any of which a user token must carry. */
  scopes?: string[];
}

/** Parameters of {@link RunningEmulator.issueAccessToken}. */
export interface IssueTokenParameters {
  tenantId: string;
  /** Resource key or audience; a key uses its first audience. */
  resource: string;
  clientId?: string;
  roles?: string[];
  /** Delegated scopes (makes a user token). */
  scp?: string;
  /** User object ID for delegated tokens. */
  userId?: string;
  lifetimeSeconds?: number;
  /** Extra or overriding claims. */
  claims?: Record<string, unknown>;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** The resolved seed (mutable: changes apply to later requests). */
  seed: EmulatorSeed;
  /** Every request, in arrival order. Never contains secrets. */
  requests: RecordedRequest[];
  /** Empty the request log (in place). */
  clearRequests(): void;
  /** Requests to `/{tenant}/oauth2/v2.0/token`. */
  tokenRequests(): RecordedRequest[];
  faults: FaultInjector;
  /** Change `expires_in` of tokens issued from now on. */
  setTokenLifetime(seconds: number): void;
  /** Add a resource (or audiences to an existing one). */
  registerResource(key: string, audiences: string[], options?: ResourceOptions): void;
  /**
   * Serve a resource-API double. The path pattern uses `:name` segments (e.g. `/api/machines/:id`); the
   * caller's bearer token is verified for `spec.resource` before `handler` runs. Added routes take precedence
   * over the built-in Graph doubles. Returns a function that removes the route.
   */
  addRoute(method: string, pathPattern: string, spec: ProtectedRouteSpec, handler: RouteHandler): () => void;
  /** Mint an access token directly (for tests of resource doubles). */
  issueAccessToken(parameters: IssueTokenParameters): string;
  /** Stop listening and drop every connection. */
  close(): Promise<void>;
}
