import { flowErrors } from "../aadsts-flows.js";
import { graphAudienceFor } from "../clouds.js";
import { aadsts, type EntraErrorSpec } from "../errors.js";
import { consentKeys, parseDelegatedScopes, scopeList } from "../flows/scopes.js";
import type { RefreshTokenRecord } from "../flows/store.js";
import { tenantName } from "../state.js";
import type { SeedApp, SeedTenant } from "../types.js";
import { authenticateClient } from "./client-auth.js";
import { EntraFailure, failWith, type TokenGrant, type TokenRequestContext } from "./grant.js";
import { activeUser, recordTenant } from "./user-grant.js";
import { userTokenResponse } from "./user-tokens.js";

/** Revoked (AADSTS50173), expired (700082), or a reused rotated token where the tenant rejects reuse (70008). */
export function lifecycleProblem(
  context: TokenRequestContext,
  tenant: SeedTenant,
  record: RefreshTokenRecord,
): EntraErrorSpec | undefined {
  const now = context.state.now();
  if (record.revokedAt !== undefined) return flowErrors.grantRevoked(record.issuedAt, record.revokedAt);
  if (now > record.expiresAt) return flowErrors.refreshTokenExpired(record.issuedAt, now - record.issuedAt);
  const reuse = tenant.refreshTokenReuse ?? context.state.settings.refreshTokenReuse;
  if (record.rotated && reuse === "reject") return flowErrors.refreshTokenReused();
  return undefined;
}

/**
 * A refresh token works for any resource the user consented the app to: scopes of its own grant pass, others need
 * a recorded consent (AADSTS65001 otherwise).
 */
function consentProblem(
  context: TokenRequestContext,
  tenant: SeedTenant,
  app: SeedApp,
  record: RefreshTokenRecord,
  scopes: string[],
): EntraErrorSpec | undefined {
  const graph = graphAudienceFor(context.request.hostname);
  const requested = parseDelegatedScopes(context.state, scopes, graph, tenantName(tenant));
  if (requested instanceof EntraFailure) return requested.spec;
  const original = parseDelegatedScopes(context.state, record.scopes, graph, tenantName(tenant));
  const granted = new Set(original instanceof EntraFailure ? [] : consentKeys(app, original));
  const missing = consentKeys(app, requested).filter((key) => !granted.has(key));
  if (missing.length === 0) return undefined;
  if (context.state.store.hasConsent(tenant.id, app.clientId, record.userId, missing)) return undefined;
  return flowErrors.consentRequired(app.clientId, app.displayName);
}

/**
 * `grant_type=refresh_token`: a new access token and a new refresh token (rotation). The old refresh token stays
 * valid, as in Entra, unless the tenant (or the emulator option) sets `refreshTokenReuse: "reject"`.
 */
export const refreshTokenGrant: TokenGrant = async (context) => {
  const { params, state } = context;
  if (!params.get("client_id") && !context.request.headers["authorization"]) {
    return failWith(context, aadsts.missingParameter("client_id"));
  }
  const token = params.get("refresh_token");
  if (!token) return failWith(context, aadsts.missingParameter("refresh_token"));
  if (params.has("resource")) return failWith(context, aadsts.resourceParameter());
  const record = state.store.refreshTokens.get(token);
  if (!record) return failWith(context, flowErrors.malformedGrant());
  const tenant = recordTenant(context, record.tenantId, "refresh token");
  if (tenant instanceof EntraFailure) return failWith(context, tenant.spec);
  const client = authenticateClient(context, tenant, { requireCredential: true, publicClientFlow: true });
  if (client instanceof EntraFailure) return failWith(context, client.spec);
  if (record.clientId.toLowerCase() !== client.app.clientId.toLowerCase()) {
    return failWith(context, flowErrors.grantOtherClient());
  }
  const lifecycle = lifecycleProblem(context, tenant, record);
  if (lifecycle) return failWith(context, lifecycle);
  const user = activeUser(tenant, record.userId);
  if (user instanceof EntraFailure) return failWith(context, user.spec);
  const requested = scopeList(params.get("scope"));
  const scopes = requested.length > 0 ? requested : record.scopes;
  const consent = consentProblem(context, tenant, client.app, record, scopes);
  if (consent) return failWith(context, consent);
  record.rotated = true;
  return userTokenResponse(context, {
    tenant,
    app: client.app,
    user,
    scopes,
    credential: client.credential,
    refresh: true,
    refreshScopes: record.scopes,
  });
};
