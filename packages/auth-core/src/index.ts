/**
 * @msint/auth-core — the authentication layer of msint: cloud catalog, transport, encrypted context store,
 * token cache, one strategy per flow, AADSTS translation and a TokenCredential adapter.
 * @module
 */
export * from "./clouds.js";
export type { AccessTokenResult, CachedToken, FetchedToken, IntegrationContext } from "./context.js";
export { toTokenCredential } from "./credential.js";
export * from "./errors.js";
export { type ClientSecretOptions, createClientSecretStrategy } from "./flows/client-credentials.js";
export * from "./log.js";
export * from "./redact.js";
export * from "./store/index.js";
export {
  type ContextAccess,
  type FlowId,
  type FlowStrategy,
  type GetTokenOptions,
  TokenProvider,
  type TokenProviderOptions,
} from "./strategy.js";
export {
  EXPIRY_SKEW_MS,
  isDueForRefresh,
  toCachedToken,
  tokenCacheKey,
  usableToken,
  withToken,
} from "./token-cache.js";
export * from "./transport/index.js";
