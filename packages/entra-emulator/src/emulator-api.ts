import { randomUUID } from "node:crypto";
import { createTestCertificate } from "./certificates.js";
import { consentKeys, parseDelegatedScopes } from "./flows/scopes.js";
import type { DeviceCodeRecord } from "./flows/store.js";
import { DEMO_CERT_CLIENT_ID } from "./seed.js";
import { type EmulatorState, findApp, findTenant, findUser, findUserAnywhere, tenantName } from "./state.js";
import { EntraFailure } from "./token/grant.js";
import { appTokenClaims, mintAccessToken, type TokenClaimsInput } from "./tokens.js";
import type {
  DeviceCodeInfo,
  EmulatorSeed,
  GrantConsentParameters,
  IssueRefreshTokenParameters,
  IssueTokenParameters,
  RevokeFilter,
  RunningEmulator,
  SeedApp,
  SeedTenant,
  SeedUser,
  TestCertificate,
} from "./types.js";

/** Default scopes of refresh tokens minted by tests (and of seeded broker refresh tokens). */
export const DEFAULT_REFRESH_SCOPES = [
  "openid",
  "profile",
  "offline_access",
  "https://graph.microsoft.com/.default",
];

function tenantOrThrow(state: EmulatorState, id: string, caller: string): SeedTenant {
  const tenant = findTenant(state.seed, id);
  if (!tenant) throw new Error(`${caller}: unknown tenant '${id}'`);
  return tenant;
}

function appOrThrow(tenant: SeedTenant, clientId: string, caller: string): SeedApp {
  const app = findApp(tenant, clientId);
  if (!app) throw new Error(`${caller}: no app '${clientId}' in tenant '${tenant.id}'`);
  return app;
}

function userOrThrow(tenant: SeedTenant, idOrUpn: string, caller: string): SeedUser {
  const user = findUser(tenant, idOrUpn);
  if (!user) throw new Error(`${caller}: no user '${idOrUpn}' in tenant '${tenant.id}'`);
  return user;
}

/** `issueAccessToken`: an app-only token, or a delegated one when `scp` is given. */
export function issueAccessToken(state: EmulatorState, parameters: IssueTokenParameters): string {
  const tenant = tenantOrThrow(state, parameters.tenantId, "issueAccessToken");
  const audience = state.resources.byKey(parameters.resource)
    ? state.resources.primaryAudience(parameters.resource)!
    : parameters.resource;
  const app =
    tenant.apps.find(
      (candidate) => candidate.clientId.toLowerCase() === parameters.clientId?.toLowerCase(),
    ) ?? ({ clientId: parameters.clientId ?? randomUUID(), displayName: "emulator test client" } as const);
  const claims: Record<string, unknown> = {
    ...appTokenClaims(tenant, app, audience, parameters.roles ?? [], "secret"),
  };
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

function deviceOrThrow(state: EmulatorState, userCode: string, caller: string): DeviceCodeRecord {
  const record = state.store.deviceByUserCode(userCode);
  if (!record) throw new Error(`${caller}: no device code with user code '${userCode}'`);
  return record;
}

function pendingOrThrow(state: EmulatorState, userCode: string, caller: string): DeviceCodeRecord {
  const record = deviceOrThrow(state, userCode, caller);
  if (record.status !== "pending")
    throw new Error(`${caller}: device code '${userCode}' is ${record.status}`);
  return record;
}

function approveDeviceCode(state: EmulatorState, userCode: string, upn: string): void {
  const caller = "approveDeviceCode";
  const record = pendingOrThrow(state, userCode, caller);
  const fixed = record.tenantId ? tenantOrThrow(state, record.tenantId, caller) : undefined;
  const found = fixed
    ? { tenant: fixed, user: userOrThrow(fixed, upn, caller) }
    : findUserAnywhere(state.seed, upn);
  if (!found) throw new Error(`${caller}: no user '${upn}'`);
  appOrThrow(found.tenant, record.clientId, caller);
  Object.assign(record, { status: "approved", userId: found.user.id, userTenantId: found.tenant.id });
}

function deviceInfo(record: DeviceCodeRecord): DeviceCodeInfo {
  return {
    userCode: record.userCode,
    deviceCode: record.deviceCode,
    clientId: record.clientId,
    tenant: record.tenantSegment,
    scope: record.scopes.join(" "),
    status: record.status,
    expiresAt: record.expiresAt,
  };
}

/** User object IDs a revocation filter's `userId` (an ID or a UPN) stands for. */
function userIds(seed: EmulatorSeed, idOrUpn: string): Set<string> {
  const ids = new Set([idOrUpn.toLowerCase()]);
  for (const tenant of seed.tenants) {
    const user = findUser(tenant, idOrUpn);
    if (user) ids.add(user.id.toLowerCase());
  }
  return ids;
}

function revokeRefreshTokens(state: EmulatorState, filter: RevokeFilter = {}): number {
  const users = filter.userId ? userIds(state.seed, filter.userId) : undefined;
  let count = 0;
  for (const record of state.store.refreshTokens.values()) {
    if (record.revokedAt !== undefined) continue;
    if (filter.tenantId && findTenant(state.seed, filter.tenantId)?.id !== record.tenantId) continue;
    if (filter.clientId && filter.clientId.toLowerCase() !== record.clientId.toLowerCase()) continue;
    if (users && !users.has(record.userId.toLowerCase())) continue;
    record.revokedAt = state.now();
    count++;
  }
  return count;
}

/** Mint a refresh token for a user of an app (as if they had signed in). */
export function issueRefreshToken(
  state: EmulatorState,
  parameters: IssueRefreshTokenParameters,
  token?: string,
): string {
  const caller = "issueRefreshToken";
  const tenant = tenantOrThrow(state, parameters.tenantId, caller);
  const app = appOrThrow(tenant, parameters.clientId, caller);
  const user = userOrThrow(tenant, parameters.userId, caller);
  const record = state.store.addRefreshToken(
    {
      tenantId: tenant.id,
      clientId: app.clientId,
      userId: user.id,
      scopes: parameters.scopes ?? DEFAULT_REFRESH_SCOPES,
    },
    parameters.lifetimeSeconds ?? state.settings.refreshTokenLifetimeSeconds,
    token,
  );
  return record.token;
}

function grantConsent(state: EmulatorState, parameters: GrantConsentParameters): void {
  const caller = "grantConsent";
  const tenant = tenantOrThrow(state, parameters.tenantId, caller);
  const app = appOrThrow(tenant, parameters.clientId, caller);
  if (parameters.userId === undefined) {
    state.store.consent(tenant.id, app.clientId, undefined, []);
    return;
  }
  const user = userOrThrow(tenant, parameters.userId, caller);
  const parsed = parseDelegatedScopes(
    state,
    parameters.scopes ?? [],
    "https://graph.microsoft.com",
    tenantName(tenant),
  );
  if (parsed instanceof EntraFailure) throw new Error(`${caller}: ${parsed.spec.message}`);
  state.store.consent(tenant.id, app.clientId, user.id, consentKeys(app, parsed));
}

/** The test helpers of {@link RunningEmulator} that act on the flow store. */
export function flowHelpers(
  state: EmulatorState,
): Pick<
  RunningEmulator,
  | "revokeRefreshTokens"
  | "issueRefreshToken"
  | "grantConsent"
  | "approveDeviceCode"
  | "declineDeviceCode"
  | "expireDeviceCode"
  | "lastDeviceCode"
> {
  return {
    revokeRefreshTokens: (filter) => revokeRefreshTokens(state, filter),
    issueRefreshToken: (parameters) => issueRefreshToken(state, parameters),
    grantConsent: (parameters) => grantConsent(state, parameters),
    approveDeviceCode: (userCode, upn) => approveDeviceCode(state, userCode, upn),
    declineDeviceCode: (userCode) => {
      pendingOrThrow(state, userCode, "declineDeviceCode").status = "declined";
    },
    expireDeviceCode: (userCode) => {
      deviceOrThrow(state, userCode, "expireDeviceCode").expiresAt = state.now() - 1;
    },
    lastDeviceCode: () => (state.store.lastDeviceCode ? deviceInfo(state.store.lastDeviceCode) : undefined),
  };
}

/** The demo certificate app of a seed, if any. */
function demoCertApp(seed: EmulatorSeed): SeedApp | undefined {
  for (const tenant of seed.tenants) {
    const app = findApp(tenant, DEMO_CERT_CLIENT_ID);
    if (app) return app;
  }
  return undefined;
}

/**
 * A lazy generator of the demo certificate: the first call creates a key and certificate and registers the
 * certificate on the demo certificate app (only when the seed gives that app none).
 */
export function demoCertificateProvider(seed: EmulatorSeed): () => TestCertificate | undefined {
  let generated: TestCertificate | undefined;
  return () => {
    if (generated) return generated;
    const app = demoCertApp(seed);
    if (!app || (app.certificates?.length ?? 0) > 0) return undefined;
    generated = createTestCertificate({ commonName: "msint demo (certificate)" });
    app.certificates = [{ pem: generated.certificatePem }];
    return generated;
  };
}

/** Register the refresh tokens of delegated broker registrations, so the broker double accepts them. */
export function seedBrokerRefreshTokens(state: EmulatorState): void {
  for (const registration of state.seed.brokerRegistrations ?? []) {
    if (registration.kind !== "delegated" || !registration.refreshToken) continue;
    const tenant = findTenant(state.seed, registration.tenantId);
    const user = registration.userPrincipalName
      ? tenant && findUser(tenant, registration.userPrincipalName)
      : tenant?.users?.find((candidate) => candidate.accountEnabled !== false);
    if (!tenant || !user) continue;
    issueRefreshToken(
      state,
      { tenantId: tenant.id, clientId: registration.clientId, userId: user.id },
      registration.refreshToken,
    );
  }
}
