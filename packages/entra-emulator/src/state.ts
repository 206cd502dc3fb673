import { createHash } from "node:crypto";
import type { Correlation } from "./errors.js";
import type { FlowStore } from "./flows/store.js";
import type { SigningKey } from "./jwt.js";
import type { ResourceTable } from "./resources.js";
import type {
  EmulatorSeed,
  RecordedRequest,
  SeedApp,
  SeedTenant,
  SeedUser,
  TestCertificate,
} from "./types.js";

/** Lifetimes and switches of the user flows, managed identities and client assertions. */
export interface FlowSettings {
  refreshTokenReuse: "allow" | "reject";
  refreshTokenLifetimeSeconds: number;
  authorizationCodeLifetimeSeconds: number;
  deviceCodeLifetimeSeconds: number;
  deviceCodeIntervalSeconds: number;
  deviceCodeSlowDown: boolean;
  strictAssertionReplay: boolean;
  managedIdentity: boolean | "unreachable";
  managedIdentityTokenLifetimeSeconds: number;
  identityHeader: string;
}

/** Everything a handler may need, shared by one emulator instance. */
export interface EmulatorState {
  seed: EmulatorSeed;
  key: SigningKey;
  /** Keys signed with before a {@link RunningEmulator.rotateSigningKey}: still published and accepted. */
  previousKeys: SigningKey[];
  resources: ResourceTable;
  now: () => number;
  tokenLifetimeSeconds: number;
  clockSkewSeconds: number;
  /** `http://127.0.0.1:PORT`, set once listening. */
  origin: string;
  settings: FlowSettings;
  /** Codes, refresh tokens, device codes, consents, sign-in flows. */
  store: FlowStore;
  /** Generates the demo certificate app's certificate on first use (when the seed has that app without one). */
  demoCertificate: () => TestCertificate | undefined;
}

/** One incoming request, with its body already read. Internal: holds unredacted headers. */
export interface EmulatorRequest {
  method: string;
  url: URL;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  record: RecordedRequest;
  correlation: Correlation;
  /** The origin the client addressed (`http://127.0.0.1:PORT`, `https://login.microsoftonline.us`). */
  origin: string;
  /** Host name the client addressed, lower-case, without port. */
  hostname: string;
  /** True when the request came through the proxy's TLS tunnel. */
  secure: boolean;
}

/** Find a tenant by ID or verified domain (case-insensitive). */
export function findTenant(seed: EmulatorSeed, idOrDomain: string): SeedTenant | undefined {
  const wanted = idOrDomain.toLowerCase();
  return seed.tenants.find(
    (tenant) =>
      tenant.id.toLowerCase() === wanted ||
      (tenant.domains ?? []).some((domain) => domain.toLowerCase() === wanted),
  );
}

/** The name Entra shows for a tenant in messages. */
export function tenantName(tenant: SeedTenant): string {
  return tenant.displayName ?? tenant.domains?.[0] ?? tenant.id;
}

export function findApp(tenant: SeedTenant, clientId: string): SeedApp | undefined {
  const wanted = clientId.toLowerCase();
  return tenant.apps.find((app) => app.clientId.toLowerCase() === wanted);
}

/** A GUID derived from a string, stable across runs (used for service principal object IDs). */
export function stableGuid(input: string): string {
  const hex = createHash("sha1").update(input).digest("hex");
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Object ID of an app's service principal in a tenant (the `oid` of its app-only tokens). */
export function servicePrincipalId(tenant: SeedTenant, app: SeedApp): string {
  return (
    app.servicePrincipalId ??
    stableGuid(`service-principal:${tenant.id.toLowerCase()}:${app.clientId.toLowerCase()}`)
  );
}

/** A user of a tenant by object ID or user principal name (case-insensitive). */
export function findUser(tenant: SeedTenant, idOrUpn: string): SeedUser | undefined {
  const wanted = idOrUpn.toLowerCase();
  return (tenant.users ?? []).find(
    (user) => user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted,
  );
}

/** The tenant whose users include this UPN or object ID. */
export function findUserAnywhere(
  seed: EmulatorSeed,
  idOrUpn: string,
): { tenant: SeedTenant; user: SeedUser } | undefined {
  for (const tenant of seed.tenants) {
    const user = findUser(tenant, idOrUpn);
    if (user) return { tenant, user };
  }
  return undefined;
}

/** Tenant segments that name no tenant: the user's (or app's) tenant is found later. */
export const MULTI_TENANT_SEGMENTS = new Set(["common", "organizations", "consumers"]);

export function isMultiTenantSegment(segment: string): boolean {
  return MULTI_TENANT_SEGMENTS.has(segment.toLowerCase());
}
