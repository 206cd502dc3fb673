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

/** A certificate credential registered on an app: client assertions signed with its key are accepted. */
export interface SeedCertificate {
  /** PEM of the X.509 certificate (`-----BEGIN CERTIFICATE-----`). */
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
  /**
   * Federated identity credentials (workload identity federation): a `client_assertion` issued by `issuer` for
   * `subject` and one of `audiences` (default `api://AzureADTokenExchange`) signs the app in. The issuer's keys
   * come from the seed's `federatedIssuers`, or the emulator's own demo issuer.
   */
  federatedCredentials?: SeedFederatedCredential[];
  /**
   * Delegated permissions configured on the registration ("API permissions"), per resource key, e.g.
   * `{ graph: ["User.Read"] }`. A delegated `<resource>/.default` scope means these.
   */
  delegatedPermissions?: Record<string, string[]>;
}

/** One federated identity credential of an app registration. */
export interface SeedFederatedCredential {
  name?: string;
  /** The external token's `iss`, e.g. an AKS cluster's OIDC issuer URL. */
  issuer: string;
  /** The external token's `sub`, e.g. `system:serviceaccount:<namespace>:<service account>`. */
  subject: string;
  /** Accepted `aud` values; defaults to `["api://AzureADTokenExchange"]`. */
  audiences?: string[];
}

/** An external token issuer the emulator trusts for federated credentials, with its public keys. */
export interface SeedFederatedIssuer {
  issuer: string;
  /** PEM public keys (SPKI) or certificates whose keys sign its tokens (RS256). */
  publicKeys: string[];
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
  /** A Global Administrator: may grant tenant-wide admin consent (`/{tenant}/adminconsent`). */
  isAdmin?: boolean;
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
  /**
   * What happens when a refresh token that was already exchanged (rotated) is used again. Entra keeps it valid
   * (`"allow"`, the default); `"reject"` answers `invalid_grant` AADSTS70008, to test clients that must keep the
   * newest refresh token. Overrides the emulator option of the same name for this tenant.
   */
  refreshTokenReuse?: "allow" | "reject";
}

/** A managed identity available on "this machine" (IMDS and App Service endpoints). */
export interface SeedManagedIdentity {
  /** Tenant the identity's service principal lives in. */
  tenantId: string;
  /** The machine's system-assigned identity (requested without any identity parameter). */
  systemAssigned?: boolean;
  /** Client (application) ID; required for user-assigned identities, derived when omitted for system-assigned. */
  clientId?: string;
  /** Object ID of the identity's service principal (the token's `oid`). */
  principalId: string;
  /** Azure resource ID (`/subscriptions/…/userAssignedIdentities/name`), matched by `msi_res_id`/`mi_res_id`. */
  resourceId?: string;
  /** Application roles per resource key, e.g. `{ graph: ["User.Read.All"], arm: [] }`. */
  grants?: Record<string, string[]>;
}

/** A registration of the Cortex XSOAR application broker double (`POST /obtain-token`). */
export interface SeedBrokerRegistration {
  /** The registration ID (`auth_id` before any `@`). */
  id: string;
  /** The integration's broker app name, e.g. `ms-graph-mail-listener`. */
  appName: string;
  /** Base64 AES key (16, 24 or 32 bytes) the client encrypts its token with. */
  key: string;
  /** The customer's tenant. */
  tenantId: string;
  /** The vendor's multi-tenant app (registered in that tenant) the broker gets tokens for. */
  clientId: string;
  /** `application`: the token is the tenant ID (admin consent); `delegated`: the token is a refresh token. */
  kind: "application" | "delegated";
  /** Delegated registrations: the refresh token the broker handed out (valid for `userPrincipalName`). */
  refreshToken?: string;
  /** Delegated registrations: the signed-in user (default: the tenant's first enabled user). */
  userPrincipalName?: string;
}

/** Everything the emulator knows: tenants, their apps and users. JSON-serialisable. */
export interface EmulatorSeed {
  tenants: SeedTenant[];
  /** Managed identities on the emulated machine. */
  managedIdentities?: SeedManagedIdentity[];
  /** Registrations of the XSOAR application broker double. */
  brokerRegistrations?: SeedBrokerRegistration[];
  /** External issuers of federated tokens (besides the emulator's demo issuer). */
  federatedIssuers?: SeedFederatedIssuer[];
}

/** How errors of a protected resource API are shaped. */
export type ErrorDialect = "graph" | "azure";

/** Options of a resource (an API that accepts the emulator's access tokens). */
export interface ResourceOptions {
  /** Error body shape of the API's doubles: Microsoft Graph's, or the common Azure `{ error: { code, message } }`. */
  dialect?: ErrorDialect;
  /**
   * Key Vault's challenge: a request without a token gets `WWW-Authenticate: Bearer authorization="<login
   * host>/<tenant>", resource="<resource>"`, from which the Azure SDK learns the tenant and scope before it asks
   * for a token. `tenantId` defaults to the seed's first tenant.
   */
  challenge?: { resource: string; tenantId?: string };
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
  /**
   * Serve the built-in Microsoft API doubles (Resource Manager, Key Vault, Storage, Defender, Log Analytics …, see
   * src/services/) with their seeded data. Default true. With the default seed, the demo apps and managed
   * identities get each service's demo permissions.
   */
  services?: boolean;
  /** Extra resources: key → audiences (e.g. `{ mde: ["https://api.securitycenter.microsoft.com"] }`). */
  resources?: Record<string, string[]>;
  /** Called with each request once it is answered (`msint emulator --log`); never with secrets (see `requests`). */
  onRequest?: (request: RecordedRequest) => void;
  /** Keep at most this many entries in `requests` (oldest dropped first). Default 10000; 0 = unlimited. */
  requestLogLimit?: number;
  /**
   * Also start an HTTP proxy (`proxyUrl`) that terminates TLS for the Microsoft cloud hosts with a certificate
   * from a CA generated at start (`caCertPem`, `caCertFile`), so clients can use the real national-cloud URLs.
   */
  proxy?: boolean;
  /** Reuse of a rotated refresh token: `"allow"` (Entra's behaviour, default) or `"reject"` (AADSTS70008). */
  refreshTokenReuse?: "allow" | "reject";
  /** Refresh-token lifetime (inactivity window). Default 90 days. Past it: AADSTS700082. */
  refreshTokenLifetimeSeconds?: number;
  /** Authorization-code lifetime. Default 600 (10 minutes). Past it: AADSTS70008. */
  authorizationCodeLifetimeSeconds?: number;
  /** Device-code `expires_in`. Default 900. */
  deviceCodeLifetimeSeconds?: number;
  /** Device-code polling `interval`. Default 5. */
  deviceCodeIntervalSeconds?: number;
  /** Answer `slow_down` (RFC 8628 §3.5) when a device code is polled faster than its interval. Default false. */
  deviceCodeSlowDown?: boolean;
  /**
   * Reject any second use of a client assertion's `jti`, even the identical assertion (MSAL reuses one assertion
   * for up to 10 minutes, which Entra accepts). Default false: only a different assertion reusing a `jti` is refused.
   */
  strictAssertionReplay?: boolean;
  /**
   * Managed-identity endpoints: `true` (default) serves them; `false` answers 404 with `Connection: close`;
   * `"unreachable"` drops the connection without an answer (no managed identity on this machine).
   */
  managedIdentity?: boolean | "unreachable";
  /** Secret the App Service endpoint expects in `X-IDENTITY-HEADER`. Random by default (`emulator.identityHeader`). */
  identityHeader?: string;
  /** Lifetime of managed-identity tokens. Default 86399 (24 h, as IMDS issues them). */
  managedIdentityTokenLifetimeSeconds?: number;
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
  /** Token requests: the `claims` parameter (a CAE claims challenge, JSON), as sent. */
  claims?: string;
  /** Token requests: the `client_assertion_type` (the assertion itself is never recorded). */
  clientAssertionType?: string;
  /** Request headers, lower-cased; `authorization` and `cookie` values redacted. */
  headers: Record<string, string>;
  /** True when an injected fault answered or delayed this request. */
  faulted?: boolean;
  /** API requests: the resource key of the double that answered (`graph`, `arm`, `defender-for-endpoint` …). */
  service?: string;
  /** The host the request was addressed to (`127.0.0.1:PORT`, or e.g. `graph.microsoft.us` through the proxy). */
  host?: string;
  /** Device-code polls: the form field that carried the device code (`device_code`, or XSOAR's legacy `code`). */
  deviceCodeField?: "device_code" | "code";
}

/**
 * How an injected fault breaks the exchange, beyond an error status:
 * - `"status"` (the default): answer with `status` (and `body`) instead of the normal response;
 * - `"reset"`: process the request, send the response headers and the first bytes, then destroy the socket;
 * - `"hang"`: never answer (the connection stays open until the client gives up or the emulator closes);
 * - `"truncate"`: declare the whole body's `Content-Length`, send half of it, then end the connection;
 * - `"garbage"`: answer `status` (default 200) with a body that is not JSON (`body`, default an HTML page).
 *
 * `reset` and `truncate` break the normal response, or the `status` error when one is given.
 */
export type FaultKind = "status" | "reset" | "hang" | "truncate" | "garbage";

/** A fault to inject into the next matching requests. */
export interface FaultSpec {
  /** Matched against the request path: a substring, or a RegExp. Default: every request. */
  match?: string | RegExp;
  /** How many matching requests it affects. Default 1. */
  count?: number;
  /** What the fault does; default `"status"` (see {@link FaultKind}). */
  kind?: FaultKind;
  /** Answer with this status instead of the normal response, in the path's dialect. */
  status?: number;
  /**
   * `Retry-After` header value: seconds (number or string), any string as given, or a `Date` sent as an HTTP
   * date (`toUTCString()`).
   */
  retryAfter?: string | number | Date;
  /** Answer late by this many milliseconds (then the fault, or the normal response when no status is given). */
  delayMs?: number;
  /** Raw response body overriding the dialect's error body. */
  body?: string;
  /**
   * Headers of the faulty answer, over the emulator's own: `content-type` of a body, `location` of a redirect
   * (`{ "content-type": "text/html" }` for JSON sent as a web page), or a Continuous Access Evaluation challenge
   * (`www-authenticate: Bearer realm="", error="insufficient_claims", claims="<base64 JSON>"`).
   */
  headers?: Record<string, string>;
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
  /**
   * The service's own authentication instead of the bearer-token and `roles`/`scopes` checks (Azure Storage: an
   * account SAS, or a bearer token plus the service's own authorization): answers the refusal, or the claims the
   * handler sees (empty for a request without a token). `verifyBearer` checks a token for the resource.
   */
  authenticate?: ServiceAuthenticator;
}

/** What a service's own authentication sees of a request. */
export interface ServiceAuthRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Request headers, lower-cased. */
  headers: Record<string, string>;
}

/** Outcome of a bearer token's verification for the route's resource. */
export type BearerCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: string; message: string };

/** See {@link ProtectedRouteSpec.authenticate}. */
export type ServiceAuthenticator = (
  request: ServiceAuthRequest,
  verifyBearer: (token: string) => BearerCheck,
) => { claims: AccessTokenClaims } | RouteResponse;

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

/** Key material of a certificate made by {@link createTestCertificate}. */
export interface TestCertificate {
  /** The X.509 certificate, PEM. */
  certificatePem: string;
  /** The private key, PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as MSAL's `clientCertificate.privateKey` wants it. */
  privateKeyPem: string;
  /** The same key, PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`). */
  privateKeyPkcs1Pem: string;
  /** SHA-1 thumbprint of the certificate's DER, upper-case hex (what the Azure portal shows). */
  thumbprintSha1: string;
  /** SHA-256 thumbprint, upper-case hex. */
  thumbprintSha256: string;
}

/** Filter of {@link RunningEmulator.revokeRefreshTokens}; omitted fields match everything. */
export interface RevokeFilter {
  tenantId?: string;
  /** User object ID or user principal name. */
  userId?: string;
  clientId?: string;
}

/** A device authorization as the emulator holds it (see {@link RunningEmulator.lastDeviceCode}). */
export interface DeviceCodeInfo {
  userCode: string;
  deviceCode: string;
  clientId: string;
  /** Tenant segment of the `/devicecode` request (an ID, a domain, `organizations` or `common`). */
  tenant: string;
  scope: string;
  status: "pending" | "approved" | "declined" | "redeemed";
  /** Epoch ms. */
  expiresAt: number;
}

/** Parameters of {@link RunningEmulator.issueRefreshToken}. */
export interface IssueRefreshTokenParameters {
  tenantId: string;
  clientId: string;
  /** User object ID or user principal name. */
  userId: string;
  /** Scopes of the grant it stands for. Default: `openid profile offline_access <Graph>/.default`. */
  scopes?: string[];
  lifetimeSeconds?: number;
}

/** Parameters of {@link RunningEmulator.grantConsent}. */
export interface GrantConsentParameters {
  tenantId: string;
  clientId: string;
  /** User object ID or UPN; omit to record tenant-wide admin consent for the app. */
  userId?: string;
  /** Scopes as an app requests them (`User.Read`, `https://management.azure.com/user_impersonation`, `openid`). */
  scopes?: string[];
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
  /**
   * Roll the token-signing key over, as Entra does: tokens issued from now on are signed with a new key (generated,
   * or `signingKey`), whose `kid` is new; the previous keys stay in the JWKS and are still accepted. Returns the new
   * `kid`.
   */
  rotateSigningKey(signingKey?: string | KeyObject): Promise<string>;
  /** `kid` of the key tokens are signed with now. */
  signingKeyId(): string;
  /** Mint an access token directly (for tests of resource doubles). */
  issueAccessToken(parameters: IssueTokenParameters): string;
  /**
   * Certificate and private key of the demo certificate app (`DEMO_CERT_CLIENT_ID`), generated on first use when
   * the seed has that app without a certificate. Undefined when the seed has no such app.
   */
  readonly demoCertificate: TestCertificate | undefined;
  /** `http://127.0.0.1:PORT` of the HTTPS-terminating proxy (only with `proxy: true`). */
  proxyUrl?: string;
  /** PEM of the proxy's CA certificate (only with `proxy: true`). */
  caCertPem?: string;
  /** Path of a temporary file holding `caCertPem`, for `NODE_EXTRA_CA_CERTS` (only with `proxy: true`). */
  caCertFile?: string;
  /** The secret the App Service managed-identity endpoint expects in `X-IDENTITY-HEADER`. */
  identityHeader: string;
  /** Revoke matching refresh tokens; their next use answers AADSTS50173. Returns how many were revoked. */
  revokeRefreshTokens(filter?: RevokeFilter): number;
  /** Mint a refresh token directly (for refresh-grant and broker tests). */
  issueRefreshToken(parameters: IssueRefreshTokenParameters): string;
  /** Record a user's consent (or tenant-wide admin consent) so the consent page is skipped. */
  grantConsent(parameters: GrantConsentParameters): void;
  /** Complete a pending device-code sign-in as this user (no browser needed); the next poll gets tokens. */
  approveDeviceCode(userCode: string, userPrincipalName: string): void;
  /** Decline a pending device-code sign-in; polls answer `authorization_declined`. */
  declineDeviceCode(userCode: string): void;
  /** Make a device code expire now; polls answer `expired_token`. */
  expireDeviceCode(userCode: string): void;
  /** The most recently issued device code, if any. */
  lastDeviceCode(): DeviceCodeInfo | undefined;
  /** Stop listening and drop every connection. */
  close(): Promise<void>;
}
