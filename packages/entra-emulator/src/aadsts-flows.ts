import type { EntraErrorSpec } from "./errors.js";

function invalidGrant(code: number, message: string): EntraErrorSpec {
  return { status: 400, error: "invalid_grant", code, message };
}

function deviceError(error: string, code: number, message: string): EntraErrorSpec {
  return { status: 400, error, code, message };
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "0000Z");
}

/** `d.hh:mm:ss` as Entra prints durations. */
function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  const pad = (value: number) => String(value).padStart(2, "0");
  const rest = seconds % 86_400;
  return `${days}.${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
}

/** AADSTS errors of the user flows: authorization code, refresh token, device code, sign-in and consent. */
export const flowErrors = {
  malformedGrant: (): EntraErrorSpec =>
    invalidGrant(9002313, "Invalid request. Request is malformed or invalid."),
  codeRedeemed: (): EntraErrorSpec =>
    invalidGrant(
      54005,
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing " +
        "refresh token.",
    ),
  grantExpired: (): EntraErrorSpec =>
    invalidGrant(
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive " +
        "authorization request for this user and resource.",
    ),
  refreshTokenReused: (): EntraErrorSpec =>
    invalidGrant(
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive " +
        "authorization request for this user and resource. (The refresh token was already exchanged for a newer " +
        "one, and this tenant rejects reuse of rotated refresh tokens.)",
    ),
  refreshTokenExpired: (issuedAt: number, inactiveMs: number): EntraErrorSpec =>
    invalidGrant(
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${iso(issuedAt)} and was ` +
        `inactive for ${duration(inactiveMs)}.`,
    ),
  grantRevoked: (issuedAt: number, revokedAt: number): EntraErrorSpec =>
    invalidGrant(
      50173,
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have " +
        `changed or reset their password. The grant was issued on '${iso(issuedAt)}' and the TokensValidFrom ` +
        `date (before which tokens are not valid) for this user is '${iso(revokedAt)}'.`,
    ),
  grantOtherClient: (): EntraErrorSpec => invalidGrant(70000, "Provided grant is invalid or malformed."),
  grantOtherTenant: (what: "Authorization Code" | "refresh token"): EntraErrorSpec =>
    invalidGrant(700005, `Provided ${what} is intended to use against other tenant, thus rejected.`),
  redirectMismatch: (sent: string, original: string): EntraErrorSpec =>
    invalidGrant(
      500112,
      `The reply address '${sent}' does not match the reply address '${original}' provided when requesting ` +
        "Authorization code.",
    ),
  pkceMismatch: (): EntraErrorSpec =>
    invalidGrant(
      501481,
      "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    ),
  consentRequired: (clientId: string, appName: string): EntraErrorSpec =>
    invalidGrant(
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named ` +
        `'${appName}'. Send an interactive authorization request for this user and resource.`,
    ),
  userDisabled: (): EntraErrorSpec => invalidGrant(50057, "The user account is disabled."),
  authorizationPending: (): EntraErrorSpec =>
    deviceError(
      "authorization_pending",
      70016,
      "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
    ),
  slowDown: (interval: number): EntraErrorSpec =>
    deviceError(
      "slow_down",
      70016,
      `OAuth 2.0 device flow error. Polling too fast: wait at least ${interval} seconds between requests.`,
    ),
  deviceCodeExpired: (): EntraErrorSpec => deviceError("expired_token", 70019, "Verification code expired."),
  deviceCodeDeclined: (): EntraErrorSpec =>
    deviceError("authorization_declined", 70000, "The end user denied the authorization request."),
  badVerificationCode: (): EntraErrorSpec =>
    deviceError("bad_verification_code", 70018, "Invalid verification code entered."),
  deviceCodeRedeemed: (): EntraErrorSpec =>
    invalidGrant(90120, "The device code was already authorized or declined, and its tokens were issued."),
  /* Sign-in and authorize errors (shown on pages or sent to the redirect URI). */
  redirectUriMismatch: (redirectUri: string, clientId: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    code: 50011,
    message:
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for ` +
      `the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your ` +
      "application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about " +
      "how to fix this.",
  }),
  invalidCredentials: (): EntraErrorSpec => ({
    status: 400,
    error: "invalid_grant",
    code: 50126,
    message: "Error validating credentials due to invalid username or password.",
  }),
  userNotInTenant: (tenantName: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_grant",
    code: 50034,
    message:
      `The user account {EmailHidden} does not exist in the '${tenantName}' directory. To sign into this ` +
      "application, the account must be added to the directory.",
  }),
  userDeclinedConsent: (): EntraErrorSpec => ({
    status: 400,
    error: "access_denied",
    code: 65004,
    message: "User declined to consent to access the app.",
  }),
  loginRequired: (): EntraErrorSpec => ({
    status: 400,
    error: "login_required",
    code: 50058,
    message: "A silent sign-in request was sent but no user is signed in.",
  }),
  interactionConsentRequired: (clientId: string, appName: string): EntraErrorSpec => ({
    status: 400,
    error: "consent_required",
    code: 65001,
    message:
      `The user or administrator has not consented to use the application with ID '${clientId}' named ` +
      `'${appName}'. Send an interactive authorization request for this user and resource.`,
  }),
  unsupportedResponseType: (responseType: string): EntraErrorSpec => ({
    status: 400,
    error: "unsupported_response_type",
    code: 70005,
    message: `response_type '${responseType}' is not enabled for the application.`,
  }),
  invalidCodeChallenge: (): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    code: 501491,
    message: "Invalid size of Code_Challenge parameter.",
  }),
  adminRequired: (): EntraErrorSpec => ({
    status: 403,
    error: "access_denied",
    code: 90094,
    message: "The grant requires admin permission.",
  }),
  flowExpired: (): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    code: 90056,
    message:
      "This sign-in session is no longer valid (it expired or was completed). Start the sign-in again.",
  }),
} as const;
