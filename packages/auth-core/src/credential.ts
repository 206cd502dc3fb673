import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { TokenProvider } from "./strategy.js";

/**
 * Exposes a msint token provider as an `@azure/core-auth` TokenCredential, so any Azure SDK client can use
 * an instance's authentication (with msint's persisted cache, refresh ahead and single-flight).
 *
 * - `claims` (a Continuous Access Evaluation challenge, which the SDK's bearer policy decodes from the API's
 *   `WWW-Authenticate: … error="insufficient_claims", claims="…"`) skips every cache and is sent with the token
 *   request.
 * - `tenantId` (Key Vault's challenge names the vault's tenant) is honoured by the flows that can choose one
 *   (client credentials, workload identity, environment: that tenant's token endpoint); the other flows accept
 *   it when it is their token's tenant and refuse it with a clear error otherwise.
 * - `abortSignal` cancels the wait, and the token request on the wire when this call started it; the promise
 *   rejects with an error named `AbortError`.
 */
export function toTokenCredential(provider: TokenProvider): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
      const list = Array.isArray(scopes) ? scopes : [scopes];
      const result = await provider.getToken(list, {
        claims: options?.claims || undefined,
        tenantId: options?.tenantId || undefined,
        abortSignal: toAbortSignal(options?.abortSignal),
      });
      return {
        token: result.token,
        expiresOnTimestamp: result.expiresOn,
        refreshAfterTimestamp: result.refreshOn,
        tokenType: "Bearer",
      };
    },
  };
}

/** The SDK's `AbortSignalLike` as a real AbortSignal (the transport needs one to cancel a request). */
function toAbortSignal(signal: GetTokenOptions["abortSignal"]): AbortSignal | undefined {
  if (!signal) return undefined;
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.addEventListener("abort", () => controller.abort(), { once: true });
  return controller.signal;
}
