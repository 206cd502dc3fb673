import { randomBytes } from "node:crypto";
import { allV1Issuers, audienceFitsHost, v1IssuerFor } from "./clouds.js";
import { decodeAndVerifyJwt, type SigningKey, signJwt, signJwtAsync } from "./jwt.js";
import type { Resource } from "./resources.js";
import { type EmulatorState, findTenant, servicePrincipalId } from "./state.js";
import type { AccessTokenClaims, SeedApp, SeedTenant } from "./types.js";

/** Entra's v1 access-token issuer (what Graph and ARM tokens carry). */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** A unique token identifier like Entra's `uti` (22 base64url characters). */
function uti(): string {
  return randomBytes(16).toString("base64url").slice(0, 22);
}

/** Claims a caller supplies; `iss`, `iat`, `nbf`, `exp`, `ver` and `uti` are filled in when missing. */
export type TokenClaimsInput = { aud: string; tid: string; oid: string; sub: string } & Record<
  string,
  unknown
>;

/** Sign an access token with the emulator key; fills the time claims when missing. */
export function mintAccessToken(
  state: EmulatorState,
  claims: TokenClaimsInput,
  lifetimeSeconds = state.tokenLifetimeSeconds,
): { token: string; claims: AccessTokenClaims } {
  const full = completeClaims(state, claims, lifetimeSeconds);
  return { token: signJwt(state.key, full), claims: full };
}

function completeClaims(
  state: EmulatorState,
  claims: TokenClaimsInput,
  lifetimeSeconds: number,
): AccessTokenClaims {
  const issuedAt = Math.floor(state.now() / 1000);
  return {
    iss: v1Issuer(claims.tid),
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + lifetimeSeconds,
    ver: "1.0",
    uti: uti(),
    ...claims,
  } as AccessTokenClaims;
}

/** {@link mintAccessToken} with the signature computed off the event loop (for the token endpoint). */
export async function mintAccessTokenAsync(
  state: EmulatorState,
  claims: TokenClaimsInput,
  lifetimeSeconds = state.tokenLifetimeSeconds,
): Promise<{ token: string; claims: AccessTokenClaims }> {
  const full = completeClaims(state, claims, lifetimeSeconds);
  return { token: await signJwtAsync(state.key, full), claims: full };
}

/** Claims of an app-only (client credentials) token, in Entra's v1 shape. */
export function appTokenClaims(
  tenant: SeedTenant,
  app: SeedApp,
  audience: string,
  roles: readonly string[],
  credential: "secret" | "certificate",
  hostname?: string,
): TokenClaimsInput {
  const oid = servicePrincipalId(tenant, app);
  const acr = credential === "secret" ? "1" : "2";
  const issuer = v1IssuerFor(hostname, tenant.id);
  return {
    aud: audience,
    iss: issuer,
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: acr,
    azp: app.clientId,
    azpacr: acr,
    idp: issuer,
    idtyp: "app",
    oid,
    ...(roles.length > 0 ? { roles: [...roles] } : {}),
    sub: oid,
    tid: tenant.id,
  };
}

/** Outcome of validating a bearer token for a resource. */
export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | {
      ok: false;
      reason: "empty" | "malformed" | "signature" | "expired" | "not-yet-valid" | "audience" | "issuer";
      message: string;
    };

const MESSAGES = {
  empty: "Access token is empty.",
  malformed: "CompactToken parsing failed with error code: 80049217",
  signature: "Access token validation failure. Invalid signature.",
  expired: "Lifetime validation failed, the token is expired.",
  "not-yet-valid": "Lifetime validation failed, the token is not yet valid.",
  audience: "Access token validation failure. Invalid audience.",
  issuer: "Access token validation failure. Invalid issuer.",
} as const;

function fail(reason: keyof typeof MESSAGES): TokenCheck {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/** Where a resource API was addressed (narrows the accepted audiences and issuers to that cloud). */
export interface ApiAddress {
  hostname: string;
  origin: string;
}

/** The key whose `kid` the token's header names (the current one, or one a rollover kept), else the current one. */
function keyOfToken(state: EmulatorState, token: string): SigningKey {
  if (state.previousKeys.length === 0) return state.key;
  let kid: unknown;
  try {
    kid = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8"))?.kid;
  } catch {
    return state.key;
  }
  return [state.key, ...state.previousKeys].find((key) => key.kid === kid) ?? state.key;
}

/**
 * Validate a bearer token the way Microsoft's resource APIs do: signature, lifetime (with skew), audience (of the
 * cloud the API was addressed in, when it is a cloud host), issuer.
 */
export function checkAccessToken(
  state: EmulatorState,
  token: string,
  resource: Resource,
  address?: ApiAddress,
): TokenCheck {
  if (token.length === 0) return fail("empty");
  const decoded = decodeAndVerifyJwt(keyOfToken(state, token), token);
  if (!decoded.ok) return fail(decoded.problem);
  const claims = decoded.claims;
  const now = state.now() / 1000;
  const skew = state.clockSkewSeconds;
  if (typeof claims["exp"] !== "number" || now > claims["exp"] + skew) return fail("expired");
  if (typeof claims["nbf"] === "number" && now + skew < claims["nbf"]) return fail("not-yet-valid");
  const aud = claims["aud"];
  if (typeof aud !== "string" || !resource.audiences.has(aud.replace(/\/+$/, "").toLowerCase())) {
    return fail("audience");
  }
  if (address && !audienceFitsHost(aud, address.hostname)) return fail("audience");
  const tid = claims["tid"];
  const iss = claims["iss"];
  const tenant = typeof tid === "string" ? findTenant(state.seed, tid) : undefined;
  const issuers = tenant
    ? [
        ...allV1Issuers(tenant.id),
        `https://login.microsoftonline.com/${tenant.id}/v2.0`,
        `${state.origin}/${tenant.id}/v2.0`,
        ...(address ? [`${address.origin}/${tenant.id}/v2.0`] : []),
      ]
    : [];
  if (
    typeof iss !== "string" ||
    !issuers.some((candidate) => candidate.toLowerCase() === iss.toLowerCase())
  ) {
    return fail("issuer");
  }
  return { ok: true, claims: claims as AccessTokenClaims };
}

/** Whether the token was issued to an application (no signed-in user). */
export function isAppOnly(claims: AccessTokenClaims): boolean {
  return claims.idtyp === "app" || (claims.idtyp === undefined && claims.scp === undefined);
}
