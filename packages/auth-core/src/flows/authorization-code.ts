import { createHash } from "node:crypto";
import type { CertificateCredential } from "../certificates.js";
import { authorizeEndpoint, tokenEndpoint } from "../clouds.js";
import type { FetchedToken, IntegrationContext } from "../context.js";
import {
  AuthenticationError,
  cleanAadstsDescription,
  MsintError,
  ParameterError,
  TOKEN_EXPIRED_AADSTS_CODES,
} from "../errors.js";
import { createPkcePair, createState } from "../pkce.js";
import { getRedactor, type Redactor } from "../redact.js";
import type { FlowStrategy } from "../strategy.js";
import type { HttpResponse, Transport } from "../transport/index.js";
import { type ClientCredential, clientAuthenticationFields } from "./client-assertion.js";
import { certificateFingerprint } from "./client-certificate.js";
import { fingerprint } from "./msal-support.js";
import {
  commandName,
  type FormFields,
  mergeScopes,
  oauthErrorOf,
  postForm,
  readTokenResponse,
  withAdvice,
} from "./oauth-http.js";

// Design choice: the code and refresh-token grants are our own HTTP through the transport, not MSAL. MSAL never
// hands out the refresh token (it would have to be dug out of `getTokenCache().serialize()`), adds `client_info`,
// telemetry and (from msal-node 7) a fail-closed nonce check we have no use for, and would be loaded just to send
// one form. Our own request is exactly the protocol: one POST per grant, no discovery, the refresh token read
// from the response and rotated in the integration context, the PKCE verifier and redirect URI from the pending
// login. A certificate is used through our own client assertion (client-assertion.ts), built like MSAL's.

/** Display name of the parameter holding the code (`auth_code`). */
export const AUTHORIZATION_CODE_PARAMETER = "Authorization code";

/** Scopes every user sign-in asks for: a refresh token (`offline_access`) and the user's identity. */
const SIGN_IN_SCOPES = ["offline_access", "openid", "profile"] as const;

/** XSOAR's testing hook: an Authorization code of `refresh_token:<rt>` is used as a refresh token. */
const REFRESH_TOKEN_PREFIX = "refresh_token:";

/** Inputs of {@link createLoginUrl}. */
export interface LoginUrlOptions {
  /** Login host of the cloud, e.g. `https://login.microsoftonline.com`. */
  loginHost: string;
  tenantId: string;
  clientId: string;
  /** Exactly as registered on the app (Authentication > Redirect URIs). */
  redirectUri: string;
  /** Delegated scopes of the integration; `offline_access openid profile` are added. */
  scopes: readonly string[];
  /** Add `prompt=consent` (asks for consent again; for delegated permissions added later). */
  consent?: boolean;
  /** A given `state`; default 32 random bytes. */
  state?: string;
  /** Clock, epoch ms (for `createdAt`). */
  now?: number;
}

/** What has to be stored between the login URL and the code redemption. */
export type PendingLogin = NonNullable<IntegrationContext["pendingLogin"]>;

/**
 * Builds the sign-in URL of the authorization-code flow with PKCE (S256) and `state`, and the pending login to
 * store in the integration context until the code is redeemed:
 * `<loginHost>/<tenant>/oauth2/v2.0/authorize?response_type=code&client_id&redirect_uri&scope&state&code_challenge&code_challenge_method=S256&response_mode=query[&prompt=consent]`.
 */
export function createLoginUrl(options: LoginUrlOptions): { url: string; pendingLogin: PendingLogin } {
  const state = options.state ?? createState();
  const pkce = createPkcePair();
  const scope = mergeScopes(options.scopes, SIGN_IN_SCOPES).join(" ");
  const query: Array<[string, string]> = [
    ["response_type", "code"],
    ["client_id", options.clientId],
    ["redirect_uri", options.redirectUri],
    ["scope", scope],
    ["state", state],
    ["code_challenge", pkce.codeChallenge],
    ["code_challenge_method", pkce.codeChallengeMethod],
    ["response_mode", "query"],
  ];
  if (options.consent) query.push(["prompt", "consent"]);
  // encodeURIComponent rather than URLSearchParams: spaces become %20, which survives being pasted into chats
  // and tickets better than '+'.
  const search = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&");
  getRedactor().add(pkce.codeVerifier);
  return {
    url: `${authorizeEndpoint(options.loginHost, options.tenantId)}?${search}`,
    pendingLogin: {
      state,
      codeVerifier: pkce.codeVerifier,
      redirectUri: options.redirectUri,
      createdAt: options.now ?? Date.now(),
    },
  };
}

/** Options of {@link extractAuthorizationCode}. */
export interface ExtractCodeOptions {
  /** For the "run !<prefix>-generate-login-url" advice. */
  commandPrefix?: string | undefined;
}

function paramsOf(input: string): URLSearchParams | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return undefined;
    }
    const merged = new URLSearchParams(url.search);
    // response_mode=fragment puts the answer after '#'.
    for (const [name, value] of new URLSearchParams(url.hash.replace(/^#/, ""))) merged.append(name, value);
    return merged;
  }
  const stripped = input.replace(/^[?#&]/, "");
  // A pasted query string: at least one of the redirect's parameters as a `name=` pair.
  if (/(^|&)(code|state|session_state|error|error_description)=/.test(stripped)) {
    return new URLSearchParams(stripped);
  }
  return undefined;
}

/**
 * Reads the authorization code out of what the user pasted: the bare code, the whole redirected URL (query or
 * fragment), or its query string. `session_state` and other parameters are ignored; an `error` in the URL
 * (consent declined…) becomes an AuthenticationError with Microsoft's description; a `state` other than the
 * expected one means the code belongs to another login.
 * @throws ParameterError naming "Authorization code" when there is no code or it is from another login.
 */
export function extractAuthorizationCode(
  input: string,
  expectedState?: string,
  options: ExtractCodeOptions = {},
): { code: string; state?: string } {
  const generate = commandName(options.commandPrefix, "generate-login-url");
  const raw = String(input ?? "")
    .trim()
    .replace(/^["'<]+|["'>]+$/g, "")
    .trim();
  if (raw === "") {
    throw new ParameterError(
      `${AUTHORIZATION_CODE_PARAMETER} is empty: run ${generate}, sign in, and paste the code (or the whole redirected URL) into ${AUTHORIZATION_CODE_PARAMETER}.`,
      AUTHORIZATION_CODE_PARAMETER,
    );
  }
  const params = paramsOf(raw);
  if (!params) {
    if (/\s/.test(raw)) {
      throw new ParameterError(
        `${AUTHORIZATION_CODE_PARAMETER} is not an authorization code (it contains spaces): paste the value of code= from the redirected URL, or the whole URL.`,
        AUTHORIZATION_CODE_PARAMETER,
      );
    }
    return { code: raw };
  }
  const error = params.get("error");
  if (error) {
    const { code, description } = cleanAadstsDescription(params.get("error_description") ?? "");
    const what = description ? `${code === undefined ? "" : `AADSTS${code}: `}${description}` : error;
    const fix = `Run ${generate} again and sign in; accept the requested permissions (an administrator may have to grant consent for the organisation).`;
    throw new AuthenticationError(
      getRedactor().redact(`The sign-in returned an error instead of a code: ${what}\nHow to fix: ${fix}`),
      { error, description, hint: fix, ...(code === undefined ? {} : { aadsts: [code] }) },
    );
  }
  const code = params.get("code")?.trim();
  const state = params.get("state") ?? undefined;
  if (!code) {
    throw new ParameterError(
      `${AUTHORIZATION_CODE_PARAMETER} holds no code: paste the value of code= from the redirected URL, or the whole URL (it contains ?code=…).`,
      AUTHORIZATION_CODE_PARAMETER,
    );
  }
  if (expectedState !== undefined && state !== undefined && state !== expectedState) {
    throw new ParameterError(
      `${AUTHORIZATION_CODE_PARAMETER} comes from a different login: run ${generate} again and use the newest URL.`,
      AUTHORIZATION_CODE_PARAMETER,
    );
  }
  return state === undefined ? { code } : { code, state };
}

/** The context of the authorization-code flow: the shared one plus what only this flow keeps. */
export interface AuthorizationCodeContext extends IntegrationContext {
  /**
   * SHA-256 of the Authorization code parameter that was last redeemed. A code works once: this tells a new
   * code (redeem it) from the already used one (keep using the refresh token).
   */
  redeemedCodeHash?: string;
}

/** Inputs of {@link createAuthorizationCodeStrategy}. */
export interface AuthorizationCodeOptions {
  tenantId: string;
  clientId: string;
  /** "Client Secret"; or give `certificate`; with neither the app is treated as a public client. */
  clientSecret?: string | undefined;
  /** The validated certificate ({@link parseCertificateCredential}); its assertion replaces the secret. */
  certificate?: CertificateCredential | undefined;
  /** "Application redirect URI", used when no pending login says otherwise. */
  redirectUri: string;
  /** The raw "Authorization code" parameter: a code, the redirected URL, or its query string. */
  authCode?: string | undefined;
  loginHost: string;
  transport: Transport;
  commandPrefix?: string | undefined;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Creates the authorization-code strategy. With a refresh token in the context it refreshes (rotating the
 * refresh token); otherwise it redeems the Authorization code with the pending login's PKCE verifier (or
 * without PKCE for a code obtained elsewhere), stores the refresh token, clears the pending login and remembers
 * a hash of the code. A code other than the one redeemed last is a new sign-in and is redeemed even while a
 * refresh token exists.
 */
export function createAuthorizationCodeStrategy(options: AuthorizationCodeOptions): FlowStrategy {
  const { tenantId, clientId, loginHost, transport, commandPrefix } = options;
  const authCode = options.authCode?.trim() ?? "";
  const url = tokenEndpoint(loginHost, tenantId);
  const credential: ClientCredential = options.certificate
    ? { kind: "certificate", certificate: options.certificate }
    : options.clientSecret
      ? { kind: "secret", clientSecret: options.clientSecret }
      : { kind: "none" };
  const redactor = getRedactor();
  redactor.add(options.clientSecret);
  redactor.add(authCode);
  if (options.certificate) redactor.add(options.certificate.privateKeyPkcs8Pem);
  const codeHash = authCode === "" ? undefined : sha256(authCode);

  const credentialPrint =
    credential.kind === "certificate"
      ? certificateFingerprint(credential.certificate)
      : credential.kind === "secret"
        ? fingerprint(credential.clientSecret)
        : "public";

  const client: AuthCodeClient = {
    authCode,
    codeHash,
    redirectUri: options.redirectUri,
    commandPrefix,
    cmd: (name: string) => commandName(commandPrefix, name),
    redactor,
    request: (fields) =>
      postForm(transport, url, [
        ["client_id", clientId],
        ...fields,
        ...clientAuthenticationFields(credential, clientId, url),
      ]),
  };

  return {
    flow: "authorization-code",
    fingerprint: fingerprint(
      "authorization-code",
      loginHost,
      tenantId,
      clientId,
      options.redirectUri,
      credentialPrint,
      // A new code is a new sign-in (maybe another user): tokens of the previous one are not reused.
      codeHash,
    ),
    fetchToken: (scopes, current) => fetchAuthCodeToken(client, scopes, current),
  };
}

/** What the steps of the authorization-code strategy share. */
interface AuthCodeClient {
  /** The trimmed "Authorization code" parameter ("" when empty). */
  authCode: string;
  /** Its SHA-256, remembered once redeemed; undefined when there is no code. */
  codeHash: string | undefined;
  redirectUri: string;
  commandPrefix: string | undefined;
  /** The full name of one of the integration's commands, for messages. */
  cmd: (name: string) => string;
  redactor: Redactor;
  /** POSTs to the token endpoint with the client id and the client's authentication. */
  request: (fields: FormFields) => Promise<HttpResponse>;
}

async function fetchAuthCodeToken(
  client: AuthCodeClient,
  scopes: readonly string[],
  current: AuthorizationCodeContext | undefined,
): Promise<{ token: FetchedToken; context: AuthorizationCodeContext }> {
  const { authCode, codeHash, cmd } = client;
  const context: AuthorizationCodeContext = { ...(current ?? {}) };
  const pending = context.pendingLogin;
  const isHook = authCode.toLowerCase().startsWith(REFRESH_TOKEN_PREFIX);
  const freshCode = codeHash !== undefined && !isHook && codeHash !== context.redeemedCodeHash;
  // A code other than the one redeemed last is a new sign-in and wins over the stored refresh token. A refresh
  // token of unknown origin (migrated, or from the refresh_token: hook) is kept: the code next to it may be the
  // used one, and redeeming it would break a working instance (auth-reset starts over).
  const newSignIn = freshCode && context.redeemedCodeHash !== undefined;

  if (context.refreshToken && !newSignIn) {
    const token = await refresh(client, context.refreshToken, scopes);
    // Rotation: the new refresh token replaces the old one, which is discarded (Microsoft does not revoke it,
    // but only the newest is kept).
    if (token.refreshToken) context.refreshToken = token.refreshToken;
    return { token, context };
  }
  if (isHook && !context.refreshToken) {
    const hooked = authCode.slice(REFRESH_TOKEN_PREFIX.length).trim();
    client.redactor.add(hooked);
    const token = await refresh(client, hooked, scopes);
    context.refreshToken = token.refreshToken ?? hooked;
    return { token, context };
  }
  if (authCode === "") {
    throw new ParameterError(
      `${AUTHORIZATION_CODE_PARAMETER} is empty: run ${cmd("generate-login-url")}, sign in, and paste the code (or the whole redirected URL) into ${AUTHORIZATION_CODE_PARAMETER}.`,
      AUTHORIZATION_CODE_PARAMETER,
    );
  }
  if (!freshCode) {
    throw new MsintError(
      `The ${AUTHORIZATION_CODE_PARAMETER} was already redeemed and no refresh token is stored (the sign-in did not return one: is offline_access among the delegated permissions?). Run ${cmd("generate-login-url")}, sign in, and paste the new code into ${AUTHORIZATION_CODE_PARAMETER}.`,
      { code: "authorization_code_used" },
    );
  }
  const { code } = extractAuthorizationCode(authCode, pending?.state, {
    commandPrefix: client.commandPrefix,
  });
  client.redactor.add(code);
  const token = await redeem(client, code, pending, scopes);
  delete context.pendingLogin;
  // The tokens of an earlier sign-in are dropped along with it.
  delete context.tokens;
  context.redeemedCodeHash = codeHash;
  if (token.refreshToken) context.refreshToken = token.refreshToken;
  else delete context.refreshToken;
  return { token, context };
}

async function refresh(
  client: AuthCodeClient,
  refreshToken: string,
  scopes: readonly string[],
): Promise<FetchedToken> {
  const { cmd } = client;
  const response = await client.request([
    ["grant_type", "refresh_token"],
    ["refresh_token", refreshToken],
    ["scope", mergeScopes(scopes, ["offline_access"]).join(" ")],
  ]);
  try {
    return readTokenResponse(response, client.commandPrefix);
  } catch (error) {
    if (!AuthenticationError.isInstance(error)) throw error;
    const { error: oauthError, codes } = oauthErrorOf(response);
    if (oauthError === "invalid_grant" || codes.some((code) => TOKEN_EXPIRED_AADSTS_CODES.has(code))) {
      throw withAdvice(
        error,
        `The stored sign-in can no longer be used: run ${cmd("auth-reset")}, then ${cmd("generate-login-url")}, sign in again and paste the new code into ${AUTHORIZATION_CODE_PARAMETER}.`,
      );
    }
    throw error;
  }
}

async function redeem(
  client: AuthCodeClient,
  code: string,
  pending: PendingLogin | undefined,
  scopes: readonly string[],
): Promise<FetchedToken> {
  const { cmd } = client;
  const response = await client.request([
    ["grant_type", "authorization_code"],
    ["code", code],
    ["redirect_uri", pending?.redirectUri ?? client.redirectUri],
    ["scope", mergeScopes(scopes, ["offline_access"]).join(" ")],
    ["code_verifier", pending?.codeVerifier],
  ]);
  try {
    return readTokenResponse(response, client.commandPrefix);
  } catch (error) {
    if (!AuthenticationError.isInstance(error)) throw error;
    const { error: oauthError, codes } = oauthErrorOf(response);
    // 54005 already redeemed, 70008 expired (codes last about 10 minutes), 501481 verifier of another login.
    if (oauthError === "invalid_grant" || codes.some((c) => c === 54005 || c === 70008 || c === 501481)) {
      throw withAdvice(
        error,
        `An authorization code works once and only for about 10 minutes: run ${cmd("generate-login-url")} again, sign in, and paste the new code into ${AUTHORIZATION_CODE_PARAMETER}.`,
      );
    }
    throw error;
  }
}
