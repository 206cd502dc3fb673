import type { BrokerApp } from "../config.js";
import { shortId } from "../context.js";
import type { PendingSignIn } from "../database.js";
import { type EntraTokens, isRefusal, requestToken } from "../entra.js";
import { type IdTokenProblem, validateIdToken } from "../oidc.js";
import { credentialsPage } from "../pages.js";
import type { RouteCall } from "../router.js";
import { clearFlowCookie, redirectUri, signInScopes } from "../sign-in.js";
import { type Fail, START_AGAIN } from "./callback-failure.js";

/** What the person signing in reads when the ID token is refused. */
const ID_TOKEN_REFUSALS: Record<IdTokenProblem, string> = {
  missing: "Microsoft Entra ID did not return an ID token for the sign-in.",
  malformed: "The ID token of the sign-in is not a well-formed JWT.",
  algorithm: "The ID token is not signed with RS256, the only algorithm the broker accepts.",
  unknown_key: "The ID token is signed with a key the tenant does not publish.",
  keys_unavailable:
    "The tenant's signing keys could not be fetched from Microsoft Entra ID; try again shortly.",
  signature: "The ID token's signature does not verify with the tenant's published key.",
  issuer: "The ID token was not issued by the tenant it names.",
  audience: "The ID token was issued to another application.",
  nonce: "The ID token does not answer the sign-in this browser started (nonce mismatch).",
  expired: "The ID token has expired; check the broker's clock if this repeats.",
  not_yet_valid: "The ID token is not valid yet; check the broker's clock.",
  tenant: "The sign-in happened in another tenant than the one that consented.",
};

/**
 * The callback of the sign-in: redeems the code (PKCE), validates the ID token, checks that the app can get
 * tokens for the customer, creates the registration and shows its ID, Token and Key.
 */
export async function completeSignIn(
  call: RouteCall,
  app: BrokerApp,
  pending: PendingSignIn,
  fail: Fail,
): Promise<void> {
  const redeemed = await redeemCode(call, app, pending, fail);
  if (redeemed === undefined) return;
  const tenantId = await signedInTenant(call, app, pending, redeemed, fail);
  if (tenantId === undefined) return;
  const token = await tokenToRegister(call, app, tenantId, redeemed, fail);
  if (token === undefined) return;
  const { context, response, client } = call;
  const created = await context.store.create(app.name, app.permissions, token);
  context.logger.info("registration created", {
    client: client.address,
    app: app.name,
    permissions: app.permissions,
    registration: shortId(created.id),
  });
  const id = `${created.id}@${context.publicUrl}/obtain-token`;
  context.http.page(response, 200, (nonce) => credentialsPage(app, { id, token, key: created.key }, nonce), {
    "Set-Cookie": clearFlowCookie(context),
  });
}

/** Redeems the authorization code of the callback, or fails. */
async function redeemCode(
  { context, url }: RouteCall,
  app: BrokerApp,
  pending: PendingSignIn,
  fail: Fail,
): Promise<EntraTokens | undefined> {
  const code = url.searchParams.get("code");
  if (!code) {
    fail(400, "Microsoft returned no authorization code", START_AGAIN, { app, reason: "no code" });
    return undefined;
  }
  const { config } = context;
  const redeemed = await requestToken(
    context.transport,
    config.loginHost,
    pending.tenantId ?? config.tenant,
    app,
    {
      grant_type: "authorization_code",
      code: code.slice(0, 4096),
      redirect_uri: redirectUri(context),
      code_verifier: pending.codeVerifier ?? "",
      scope: signInScopes(app),
    },
  );
  if (!isRefusal(redeemed)) return redeemed;
  fail(
    502,
    "The sign-in could not be completed",
    `Microsoft Entra ID refused to redeem the authorization code, so nothing was created. ${START_AGAIN}`,
    { app, detail: redeemed.message, reason: "code redemption refused" },
  );
  return undefined;
}

/** The tenant of the validated ID token (the one that proves who signed in), or fails. */
async function signedInTenant(
  { context }: RouteCall,
  app: BrokerApp,
  pending: PendingSignIn,
  redeemed: EntraTokens,
  fail: Fail,
): Promise<string | undefined> {
  const checked = await validateIdToken(
    redeemed.idToken,
    {
      loginHost: context.config.loginHost,
      clientId: app.clientId,
      nonce: pending.nonce ?? "",
      ...(pending.tenantId ? { tenantId: pending.tenantId } : {}),
      keysTenant: context.config.tenant,
      now: context.now(),
    },
    context.jwks,
  );
  if (checked.ok) return checked.token.tenantId;
  fail(
    400,
    "The sign-in could not be verified",
    `${ID_TOKEN_REFUSALS[checked.problem]} Nothing was created. ${START_AGAIN}`,
    { app, reason: `id token: ${checked.problem}` },
  );
  return undefined;
}

/**
 * What the registration keeps: the tenant ID once Microsoft confirms the app can get tokens there (application
 * permissions), or the refresh token (delegated). Fails otherwise.
 */
async function tokenToRegister(
  { context }: RouteCall,
  app: BrokerApp,
  tenantId: string,
  redeemed: EntraTokens,
  fail: Fail,
): Promise<string | undefined> {
  if (app.permissions === "application") {
    // A user of the tenant signed in; confirm with Microsoft that the app really can get tokens there.
    const check = await requestToken(context.transport, context.config.loginHost, tenantId, app, {
      grant_type: "client_credentials",
      scope: app.scopes[0]!,
    });
    if (!isRefusal(check)) return tenantId;
    fail(
      502,
      "The consent could not be confirmed",
      `Microsoft Entra ID refused a token for tenant ${tenantId}: check that an administrator consented in this tenant and cloud, then start again.`,
      { app, detail: check.message },
    );
    return undefined;
  }
  if (redeemed.refreshToken) return redeemed.refreshToken;
  fail(
    502,
    "Microsoft returned no refresh token",
    "The app must be allowed the offline_access permission. Ask the broker's operator to check the app registration.",
    { app },
  );
  return undefined;
}
