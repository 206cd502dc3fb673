import { appTokenClaims, mintAccessTokenAsync } from "../tokens.js";
import { authenticateClient } from "./client-auth.js";
import { EntraFailure, failWith, type GrantHandler, tokenResponse } from "./grant.js";
import { resolveDefaultScope } from "./scope.js";

/** `grant_type=client_credentials`: an app-only token carrying the app's admin-consented roles. */
export const clientCredentialsGrant: GrantHandler = async (context) => {
  const client = authenticateClient(context, context.tenant, { requireCredential: true });
  if (client instanceof EntraFailure) return failWith(context, client.spec);
  const target = resolveDefaultScope(context);
  if (target instanceof EntraFailure) return failWith(context, target.spec);

  const roles = client.app.grants?.[target.resource.key] ?? [];
  const credential = client.credential === "certificate" ? "certificate" : "secret";
  const lifetime = context.state.tokenLifetimeSeconds;
  const claims = appTokenClaims(
    context.tenant,
    client.app,
    target.audience,
    roles,
    credential,
    context.request.hostname,
  );
  const { token } = await mintAccessTokenAsync(context.state, claims, lifetime);
  return tokenResponse(context, { access_token: token, expires_in: lifetime });
};
