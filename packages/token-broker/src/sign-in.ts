/**
 * The pending steps of the browser flow (admin consent, OpenID Connect sign-in): stored in the database, bound to
 * the browser that started them by a cookie, answered on `/callback`.
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { authorizeEndpoint, createPkcePair } from "@msint/auth-core/internal";
import type { BrokerApp } from "./config.js";
import type { BrokerContext } from "./context.js";
import type { PendingSignIn } from "./database.js";

/** How long a started authorization process may take. */
export const STATE_LIFETIME_MS = 15 * 60_000;
/** The cookie binding a pending step to its browser. */
export const FLOW_COOKIE = "msint_broker_flow";

/** The scopes of the broker's sign-in: OpenID Connect's, plus the delegated scopes and offline_access. */
export function signInScopes(app: BrokerApp): string {
  const scopes = ["openid", "profile"];
  if (app.permissions === "delegated") scopes.push(...app.scopes, "offline_access");
  return scopes.join(" ");
}

/** The redirect URI of every app: `<publicUrl>/callback`. */
export function redirectUri(context: BrokerContext): string {
  return `${context.publicUrl}/callback`;
}

/** The `Set-Cookie` value of the flow cookie (HttpOnly, Lax, expiring); no binding clears it. */
function flowCookieHeader(context: BrokerContext, binding: string | undefined): string {
  return [
    `${FLOW_COOKIE}=${binding ?? ""}`,
    "Path=/callback",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${binding === undefined ? 0 : STATE_LIFETIME_MS / 1000}`,
    ...(context.http.secure ? ["Secure"] : []),
  ].join("; ");
}

/** The `Set-Cookie` value that removes the flow cookie once its step is answered. */
export function clearFlowCookie(context: BrokerContext): string {
  return flowCookieHeader(context, undefined);
}

/**
 * Stores a pending step and answers the browser with a redirect to Microsoft, setting the cookie that binds the
 * step to this browser.
 */
export async function redirectTo(
  context: BrokerContext,
  response: ServerResponse,
  app: BrokerApp,
  step: PendingSignIn["step"],
  build: (state: string) => URL,
  extra: Pick<PendingSignIn, "codeVerifier" | "nonce" | "tenantId"> = {},
): Promise<void> {
  const state = randomBytes(32).toString("base64url");
  const binding = randomBytes(32).toString("base64url");
  await context.store.savePendingSignIn({
    state,
    appName: app.name,
    step,
    binding,
    ...extra,
    expiresAt: context.now() + STATE_LIFETIME_MS,
  });
  context.http.redirect(response, build(state).toString(), {
    "Set-Cookie": flowCookieHeader(context, binding),
  });
}

/**
 * The OpenID Connect sign-in that proves who consents: authorization code with PKCE (S256) and a nonce, scope
 * `openid profile` plus what the app needs. For an application app it happens in the tenant the admin consent
 * named (`tenantId`), and only the ID token's `tid` counts.
 */
export async function startSignIn(
  context: BrokerContext,
  response: ServerResponse,
  app: BrokerApp,
  tenantId?: string,
): Promise<void> {
  const { config } = context;
  const pkce = createPkcePair();
  const nonce = randomBytes(24).toString("base64url");
  const scopes = signInScopes(app);
  await redirectTo(
    context,
    response,
    app,
    "signin",
    (state) => {
      const location = new URL(authorizeEndpoint(config.loginHost, tenantId ?? config.tenant));
      location.searchParams.set("client_id", app.clientId);
      location.searchParams.set("response_type", "code");
      location.searchParams.set("redirect_uri", redirectUri(context));
      location.searchParams.set("response_mode", "query");
      location.searchParams.set("scope", scopes);
      location.searchParams.set("nonce", nonce);
      location.searchParams.set("code_challenge", pkce.codeChallenge);
      location.searchParams.set("code_challenge_method", "S256");
      location.searchParams.set("state", state);
      return location;
    },
    { codeVerifier: pkce.codeVerifier, nonce, ...(tenantId ? { tenantId } : {}) },
  );
  context.logger.info("sign-in started", { app: app.name, permissions: app.permissions });
}
