import type { BrokerApp } from "../config.js";
import type { BrokerContext } from "../context.js";
import type { Registration } from "../database.js";
import { type EntraRefusal, type EntraTokens, isRefusal, requestToken } from "../entra.js";
import { ProtocolError } from "../http.js";
import type { Penalize } from "./checks.js";

/** OAuth errors that mean the customer's grant is gone (expired, revoked, consent withdrawn). */
const CLIENT_SIDE_ERRORS = ["invalid_grant", "invalid_scope", "interaction_required", "consent_required"];

/**
 * Microsoft's refusal as the broker's answer: 400 with the OAuth error when the customer's grant is gone, which
 * tells the client to get new credentials; anything else is the broker's or Microsoft's problem: 502.
 */
export function entraFailure(refusal: EntraRefusal): ProtocolError {
  const clientSide = CLIENT_SIDE_ERRORS.includes(refusal.error);
  return new ProtocolError(clientSide ? 400 : 502, refusal.error, refusal.message, {
    codes: refusal.codes,
  });
}

/** What the client proved: the registration it named, the Token it sent, the scopes it gets. */
export interface TokenGrant {
  app: BrokerApp;
  registration: Registration;
  /** The tenant ID (application permissions) or the refresh token (delegated). */
  token: string;
  scope: string;
}

/**
 * Gets the access token from Microsoft Entra ID. Delegated registrations take turns (in this process and across
 * replicas): their refresh token rotates, and the broker keeps only the latest.
 */
export async function issueToken(
  context: BrokerContext,
  grant: TokenGrant,
  failedFor: Penalize,
): Promise<EntraTokens> {
  if (grant.app.permissions !== "delegated") return issueOnce(context, grant, grant.registration, failedFor);
  return context.locks.run(grant.registration.id, async () => {
    // Re-read under the lock: a request that waited may find the refresh token already rotated.
    const current = await context.store.find(grant.registration.id);
    return issueOnce(context, grant, current, failedFor);
  });
}

/** Checks the Token against `current`, asks Microsoft, and keeps the rotated refresh token (or the last use). */
async function issueOnce(
  context: BrokerContext,
  grant: TokenGrant,
  current: Registration | undefined,
  failedFor: Penalize,
): Promise<EntraTokens> {
  const { app, token, scope } = grant;
  const { store, transport, config } = context;
  if (!current || !store.verifyToken(current, token)) {
    throw await failedFor(
      new ProtocolError(
        401,
        "invalid_token",
        app.permissions === "application"
          ? "The Token does not match this registration: enter the Token the broker's page gave with this ID."
          : "The refresh token does not match this registration: it is not the latest one the broker issued (each one works once). Run the integration's auth-reset command and authorize again.",
      ),
    );
  }
  const result =
    app.permissions === "application"
      ? await requestToken(transport, config.loginHost, token, app, {
          grant_type: "client_credentials",
          scope,
        })
      : await requestToken(transport, config.loginHost, config.tenant, app, {
          grant_type: "refresh_token",
          refresh_token: token,
          scope,
        });
  if (isRefusal(result)) throw entraFailure(result);
  if (app.permissions === "delegated" && result.refreshToken) {
    if (!(await store.rotateToken(current, result.refreshToken))) {
      throw new ProtocolError(
        409,
        "conflict",
        "Another request rotated this registration's refresh token at the same time; retry.",
      );
    }
  } else {
    await store.touch(current.id);
  }
  return result;
}
