/**
 * The integration context: everything msint persists about one instance's authentication.
 * It is plain JSON so any {@link ContextStore} can hold it.
 */
export interface IntegrationContext {
  /** Cached access tokens, keyed by {@link tokenCacheKey} of their scopes. */
  tokens?: Record<string, CachedToken>;
  /** The latest refresh token (authorization code, device code, broker flows); replaced on every rotation. */
  refreshToken?: string;
  /** PKCE verifier and state of a pending authorization-code login. */
  pendingLogin?: { state: string; codeVerifier: string; redirectUri: string; createdAt: number };
  /** A started device-code sign-in waiting for `-auth-complete`. */
  deviceCode?: {
    deviceCode: string;
    expiresAt: number;
    interval: number;
    verificationUri?: string;
    userCode?: string;
    scopes?: string[];
  };
  /** SHA-256 of the last redeemed Authorization code parameter: a different code means a new sign-in. */
  redeemedCodeHash?: string;
  /** SHA-256 of the broker Token parameter the stored refresh token came from (Cortex XSOAR application). */
  brokerTokenHash?: string;
  /** Backoff of the Cortex XSOAR application broker after failures. */
  backoff?: { nextRequestAt: number; counter: number };
  /** Fingerprint of the credentials the tokens were issued for; a change invalidates them. */
  credentialFingerprint?: string;
}

/** One cached access token. Times are epoch milliseconds. */
export interface CachedToken {
  accessToken: string;
  expiresOn: number;
  /** When to fetch a new token even though this one is still valid (refresh ahead of expiry). */
  refreshOn: number;
  tokenType?: string;
}

/** The token a flow obtained from the network. */
export interface FetchedToken {
  accessToken: string;
  /** Lifetime in seconds as the server said it. */
  expiresInSeconds: number;
  /** The server's `refresh_in`, when it sent one. */
  refreshInSeconds?: number;
  tokenType?: string;
  /** A rotated refresh token, for flows that have one. */
  refreshToken?: string;
}

/** What callers of a flow get back. */
export interface AccessTokenResult {
  token: string;
  /** Epoch milliseconds. */
  expiresOn: number;
  /** Epoch milliseconds after which a new token is fetched ahead of expiry. */
  refreshOn: number;
  /** True when no network request was needed. */
  fromCache: boolean;
}
