import { createHash, randomBytes } from "node:crypto";
import { graphAudienceFor, v1IssuerFor } from "../clouds.js";
import { effectivePermissions, parseDelegatedScopes, type ResourceScopes } from "../flows/scopes.js";
import type { Reply } from "../http.js";
import { signJwtAsync } from "../jwt.js";
import { type EmulatorState, tenantName } from "../state.js";
import { mintAccessTokenAsync, type TokenClaimsInput } from "../tokens.js";
import type { SeedApp, SeedTenant, SeedUser } from "../types.js";
import type { ClientCredentialKind } from "./client-auth.js";
import { EntraFailure, failWith, type TokenRequestContext, tokenResponse } from "./grant.js";

/** Role template ID of Global Administrator (the `wids` claim of admins). */
const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
const ID_TOKEN_LIFETIME_SECONDS = 3600;

/** A delegated grant that checked out: what to issue tokens for. */
export interface UserGrant {
  tenant: SeedTenant;
  app: SeedApp;
  user: SeedUser;
  /** Scopes of this token request (OIDC scopes plus one resource's permissions). */
  scopes: string[];
  credential: ClientCredentialKind;
  /** Echoed in the ID token (`nonce` of the /authorize request). */
  nonce?: string;
  /** Issue an ID token even when this request's scopes omit `openid` (the /authorize request asked for it). */
  openid?: boolean;
  /** Issue a refresh token (the grant included `offline_access`). */
  refresh: boolean;
  /** Scopes the new refresh token remembers (used when a refresh request sends none). */
  refreshScopes: string[];
}

/** The token's resource: the first one named, else Graph with the app's configured permissions. */
function tokenResource(
  state: EmulatorState,
  resources: ResourceScopes[],
  graphAudience: string,
): ResourceScopes {
  return (
    resources[0] ?? {
      resource: state.resources.byKey("graph")!,
      audience: graphAudience,
      permissions: [],
      isDefault: true,
    }
  );
}

function acr(credential: ClientCredentialKind): string {
  return credential === "none" ? "0" : credential === "secret" ? "1" : "2";
}

/** Claims of a delegated (user) access token, in Entra's v1 shape. */
export function userTokenClaims(
  grant: Pick<UserGrant, "tenant" | "app" | "user" | "credential">,
  audience: string,
  scp: string,
  hostname: string | undefined,
): TokenClaimsInput {
  const { tenant, app, user } = grant;
  return {
    aud: audience,
    iss: v1IssuerFor(hostname, tenant.id),
    acr: "1",
    amr: ["pwd"],
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: acr(grant.credential),
    ...(user.surname ? { family_name: user.surname } : {}),
    ...(user.givenName ? { given_name: user.givenName } : {}),
    idtyp: "user",
    ipaddr: "127.0.0.1",
    name: user.displayName,
    oid: user.id,
    scp,
    sub: user.id,
    tid: tenant.id,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    ...(user.isAdmin ? { wids: [GLOBAL_ADMINISTRATOR] } : {}),
  };
}

/** A v2 ID token for the client (`aud` = client ID), signed with the emulator key. */
async function idToken(
  context: TokenRequestContext,
  grant: UserGrant,
  includeEmail: boolean,
): Promise<string> {
  const { tenant, app, user } = grant;
  const issuedAt = Math.floor(context.state.now() / 1000);
  const pairwise = createHash("sha256").update(`${user.id}|${app.clientId}`).digest("base64url").slice(0, 43);
  const claims: Record<string, unknown> = {
    aud: app.clientId,
    iss: `${context.request.origin}/${tenant.id}/v2.0`,
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + ID_TOKEN_LIFETIME_SECONDS,
    name: user.displayName,
    ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
    oid: user.id,
    preferred_username: user.userPrincipalName,
    ...(includeEmail && user.mail ? { email: user.mail } : {}),
    sub: pairwise,
    tid: tenant.id,
    uti: randomBytes(16).toString("base64url").slice(0, 22),
    ver: "2.0",
  };
  return signJwtAsync(context.state.key, claims);
}

/** `client_info` as MSAL reads it: base64url of `{"uid","utid"}`. */
export function clientInfo(user: SeedUser, tenant: SeedTenant): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString("base64url");
}

/** Token-response fields of a delegated grant. */
export type UserTokenFields = Record<string, unknown> & { access_token: string; expires_in: number };

/** Build the access token, and the ID and refresh tokens the grant calls for (unknown resources fail). */
export async function userTokenFields(
  context: TokenRequestContext,
  grant: UserGrant,
): Promise<UserTokenFields | EntraFailure> {
  const { state } = context;
  const graphAudience = graphAudienceFor(context.request.hostname);
  const parsed = parseDelegatedScopes(state, grant.scopes, graphAudience, tenantName(grant.tenant));
  if (parsed instanceof EntraFailure) return parsed;
  const target = tokenResource(state, parsed.resources, graphAudience);
  const permissions = effectivePermissions(grant.app, target);
  const oidc = parsed.oidc.filter((scope) => scope !== "offline_access");
  const scp = [...permissions, ...(target.resource.key === "graph" ? oidc : [])];
  const lifetime = state.tokenLifetimeSeconds;
  const claims = userTokenClaims(grant, target.audience, scp.join(" "), context.request.hostname);
  const { token } = await mintAccessTokenAsync(state, claims, lifetime);
  const scope = [
    ...permissions.map((permission) =>
      target.resource.key === "graph" ? permission : `${target.audience}/${permission}`,
    ),
    ...oidc,
  ];
  const fields: UserTokenFields = {
    scope: scope.join(" "),
    access_token: token,
    expires_in: lifetime,
  };
  if (grant.refresh) {
    const record = state.store.addRefreshToken(
      {
        tenantId: grant.tenant.id,
        clientId: grant.app.clientId,
        userId: grant.user.id,
        scopes: grant.refreshScopes,
      },
      state.settings.refreshTokenLifetimeSeconds,
    );
    fields["refresh_token"] = record.token;
  }
  if (parsed.oidc.includes("openid") || grant.openid)
    fields["id_token"] = await idToken(context, grant, parsed.oidc.includes("email"));
  fields["client_info"] = clientInfo(grant.user, grant.tenant);
  return fields;
}

/** The token response of a delegated grant (authorization code, refresh token, device code). */
export async function userTokenResponse(context: TokenRequestContext, grant: UserGrant): Promise<Reply> {
  const fields = await userTokenFields(context, grant);
  if (fields instanceof EntraFailure) return failWith(context, fields.spec);
  return tokenResponse(context, fields);
}
