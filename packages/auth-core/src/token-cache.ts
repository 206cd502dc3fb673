import type { CachedToken, FetchedToken, IntegrationContext } from "./context.js";

/**
 * A token is not handed out during its last two minutes: a command that starts with it must still be able to
 * finish its API calls before the token expires (the same window the Azure SDK's token cycler uses).
 */
export const EXPIRY_SKEW_MS = 120_000;

/** Cache key for a set of scopes: order and case do not matter. */
export function tokenCacheKey(scopes: readonly string[]): string {
  return [...scopes]
    .map((scope) => scope.trim().toLowerCase())
    .filter(Boolean)
    .sort()
    .join(" ");
}

/** The cached token for these scopes if it can still be used at `now`, else undefined. */
export function usableToken(
  context: IntegrationContext | undefined,
  key: string,
  now: number,
): CachedToken | undefined {
  const token = context?.tokens?.[key];
  if (!token || typeof token.accessToken !== "string") return undefined;
  return now < token.expiresOn - EXPIRY_SKEW_MS ? token : undefined;
}

/** True when the token is usable but past its refresh-ahead point. */
export function isDueForRefresh(token: CachedToken, now: number): boolean {
  return now >= token.refreshOn;
}

/**
 * Turns a fetched token into a cache entry. The refresh-ahead point is the server's `refresh_in` when given,
 * half the lifetime for long-lived tokens (managed identity gives 24 h), else five minutes before expiry.
 */
export function toCachedToken(fetched: FetchedToken, now: number): CachedToken {
  const lifetimeMs = Math.max(0, fetched.expiresInSeconds) * 1000;
  const expiresOn = now + lifetimeMs;
  let refreshOn: number;
  if (fetched.refreshInSeconds && fetched.refreshInSeconds > 0) {
    refreshOn = now + fetched.refreshInSeconds * 1000;
  } else if (lifetimeMs > 2 * 3600_000) {
    refreshOn = now + lifetimeMs / 2;
  } else {
    refreshOn = Math.max(now, expiresOn - 300_000);
  }
  return {
    accessToken: fetched.accessToken,
    expiresOn,
    refreshOn: Math.min(refreshOn, expiresOn - EXPIRY_SKEW_MS),
    tokenType: fetched.tokenType ?? "Bearer",
  };
}

/** Returns a new context with the token stored under `key` (and expired entries dropped). */
export function withToken(
  context: IntegrationContext | undefined,
  key: string,
  token: CachedToken,
  now: number,
): IntegrationContext {
  const tokens: Record<string, CachedToken> = {};
  for (const [existingKey, existing] of Object.entries(context?.tokens ?? {})) {
    if (existing.expiresOn > now) tokens[existingKey] = existing;
  }
  tokens[key] = token;
  return { ...context, tokens };
}
