import { createHash } from "node:crypto";
import { flowErrors } from "../aadsts-flows.js";
import { aadsts } from "../errors.js";
import { scopeList } from "../flows/scopes.js";
import type { AuthorizationCodeRecord } from "../flows/store.js";
import { authenticateClient } from "./client-auth.js";
import { EntraFailure, failWith, type TokenGrant, type TokenRequestContext } from "./grant.js";
import { activeUser, hasOfflineAccess, recordTenant } from "./user-grant.js";
import { userTokenResponse } from "./user-tokens.js";

/** RFC 7636 §4.6: `S256` compares base64url(SHA-256(verifier)); `plain` compares the verifier itself. */
function pkceMatches(record: AuthorizationCodeRecord, verifier: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed =
    record.codeChallengeMethod === "S256"
      ? createHash("sha256").update(verifier).digest("base64url")
      : verifier;
  return computed === record.codeChallenge;
}

/** The checks on the code itself, after the client is known: owner, single use, age, redirect URI, PKCE. */
function codeProblem(context: TokenRequestContext, record: AuthorizationCodeRecord, clientId: string) {
  const { params, state } = context;
  if (record.clientId.toLowerCase() !== clientId.toLowerCase()) return flowErrors.grantOtherClient();
  if (record.redeemed) return flowErrors.codeRedeemed();
  if (state.now() > record.issuedAt + state.settings.authorizationCodeLifetimeSeconds * 1000) {
    return flowErrors.grantExpired();
  }
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri) return aadsts.missingParameter("redirect_uri");
  if (redirectUri !== record.redirectUri) return flowErrors.redirectMismatch(redirectUri, record.redirectUri);
  if (record.codeChallenge !== undefined) {
    const verifier = params.get("code_verifier");
    if (!verifier) return aadsts.missingParameter("code_verifier");
    if (!pkceMatches(record, verifier)) return flowErrors.pkceMismatch();
  }
  return undefined;
}

/**
 * `grant_type=authorization_code`: redeem a code from /authorize, once, within its lifetime, by the client it was
 * issued to (authenticated if confidential), with the same redirect URI and the PKCE verifier.
 */
export const authorizationCodeGrant: TokenGrant = async (context) => {
  const { params, state } = context;
  if (!params.get("client_id") && !context.request.headers["authorization"]) {
    return failWith(context, aadsts.missingParameter("client_id"));
  }
  const code = params.get("code");
  if (!code) return failWith(context, aadsts.missingParameter("code"));
  if (params.has("resource")) return failWith(context, aadsts.resourceParameter());
  const record = state.store.codes.get(code);
  if (!record) return failWith(context, flowErrors.malformedGrant());
  const tenant = recordTenant(context, record.tenantId, "Authorization Code");
  if (tenant instanceof EntraFailure) return failWith(context, tenant.spec);
  const client = authenticateClient(context, tenant, { requireCredential: true, publicClientFlow: true });
  if (client instanceof EntraFailure) return failWith(context, client.spec);
  const problem = codeProblem(context, record, client.app.clientId);
  if (problem) return failWith(context, problem);
  const user = activeUser(tenant, record.userId);
  if (user instanceof EntraFailure) return failWith(context, user.spec);
  record.redeemed = true;
  const requested = scopeList(params.get("scope"));
  return userTokenResponse(context, {
    tenant,
    app: client.app,
    user,
    scopes: requested.length > 0 ? requested : record.scopes,
    credential: client.credential,
    ...(record.nonce !== undefined ? { nonce: record.nonce } : {}),
    // The ID token answers the sign-in: `openid` in the /authorize request is enough.
    openid: record.scopes.some((scope) => scope.toLowerCase() === "openid"),
    refresh: hasOfflineAccess(record.scopes),
    refreshScopes: record.scopes,
  });
};
