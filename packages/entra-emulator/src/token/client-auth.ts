import { createHash, timingSafeEqual } from "node:crypto";
import { aadsts } from "../errors.js";
import { parseBasicAuth } from "../http.js";
import { findApp, tenantName } from "../state.js";
import type { SeedApp, SeedTenant } from "../types.js";
import { CLIENT_ASSERTION_TYPE, verifyClientAssertion } from "./client-assertion.js";
import { isFederatedAssertion, verifyFederatedAssertion } from "./federated.js";
import { EntraFailure, type TokenRequestContext } from "./grant.js";

/** How the client proved its identity. */
export type ClientCredentialKind = "secret" | "certificate" | "none";

export interface AuthenticatedClient {
  app: SeedApp;
  credential: ClientCredentialKind;
}

function sameSecret(a: string, b: string): boolean {
  // Compare digests so the comparison is constant-time whatever the lengths.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** The client ID of a token request: the body's `client_id`, else the HTTP Basic user name. */
export function requestClientId(
  params: URLSearchParams,
  authorization: string | undefined,
): string | undefined {
  return params.get("client_id") || parseBasicAuth(authorization)?.id || undefined;
}

function checkSecret(
  context: TokenRequestContext,
  app: SeedApp,
  secret: string,
): AuthenticatedClient | EntraFailure {
  const now = context.state.now();
  let matchedExpired = false;
  for (const candidate of app.secrets ?? []) {
    if (!sameSecret(candidate.value, secret)) continue;
    const expiresAt =
      candidate.expiresOn === undefined ? Number.POSITIVE_INFINITY : Date.parse(candidate.expiresOn);
    if (expiresAt > now) return { app, credential: "secret" };
    matchedExpired = true;
  }
  return new EntraFailure(
    matchedExpired ? aadsts.expiredClientSecret(app.clientId) : aadsts.invalidClientSecret(app.clientId),
  );
}

/**
 * Identify and authenticate the client, in Entra's order: `client_id` present (AADSTS900144), app registered in
 * the tenant (700016), a credential sent when one is required (7000218; public clients must send none, 700025, and
 * may use user flows — `publicClientFlow` — without one),
 * then the credential itself: a secret (7000215 wrong, 7000222 expired) or a certificate assertion (see
 * `client-assertion.ts`). Returns the app or an {@link EntraFailure}.
 */
export function authenticateClient(
  context: TokenRequestContext,
  tenant: SeedTenant,
  options: { requireCredential: boolean; publicClientFlow?: boolean },
): AuthenticatedClient | EntraFailure {
  const { params } = context;
  const basic = parseBasicAuth(context.request.headers["authorization"]);
  const clientId = params.get("client_id") || basic?.id;
  if (!clientId) return new EntraFailure(aadsts.missingParameter("client_id"));
  const app = findApp(tenant, clientId);
  if (!app) return new EntraFailure(aadsts.appNotFound(clientId, tenantName(tenant)));

  const basicSecret = basic && basic.id.toLowerCase() === clientId.toLowerCase() ? basic.secret : undefined;
  const secret = params.get("client_secret") || basicSecret;
  const assertion = params.get("client_assertion");
  if (app.publicClient) {
    if (secret || assertion) return new EntraFailure(aadsts.publicClientCredential());
    if (options.requireCredential && !options.publicClientFlow) {
      return new EntraFailure(aadsts.missingClientCredential());
    }
    return { app, credential: "none" };
  }
  if (assertion) {
    if (params.get("client_assertion_type") !== CLIENT_ASSERTION_TYPE) {
      return new EntraFailure(aadsts.missingParameter("client_assertion_type"));
    }
    // A federated token (workload identity) or the app's own certificate assertion.
    const verified = isFederatedAssertion(app, assertion)
      ? verifyFederatedAssertion(context, app, assertion)
      : verifyClientAssertion(context, tenant, app, assertion);
    return verified instanceof EntraFailure ? verified : { app, credential: "certificate" };
  }
  if (secret) return checkSecret(context, app, secret);
  if (options.requireCredential) return new EntraFailure(aadsts.missingClientCredential());
  return { app, credential: "none" };
}
