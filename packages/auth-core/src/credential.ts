import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { TokenProvider } from "./strategy.js";

/**
 * Exposes a msint token provider as an `@azure/core-auth` TokenCredential, so any Azure SDK client can use
 * an instance's authentication (with msint's persisted cache, refresh ahead and single-flight).
 */
export function toTokenCredential(provider: TokenProvider): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
      if (options?.abortSignal?.aborted) throw new Error("getToken was aborted");
      const list = Array.isArray(scopes) ? scopes : [scopes];
      const result = await provider.getToken(list, { forceRefresh: Boolean(options?.claims) });
      return {
        token: result.token,
        expiresOnTimestamp: result.expiresOn,
        refreshAfterTimestamp: result.refreshOn,
        tokenType: "Bearer",
      };
    },
  };
}
