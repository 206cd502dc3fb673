/**
 * `@msint/auth-core/internal` — the plumbing the other msint packages build on: every export of the package, the
 * public ones included (parameter names, endpoint builders, error translation, token-cache helpers, store
 * sealing, PKCE, the MSAL network adapter…). Not covered by semver: it changes with the packages that use it,
 * which are released together. Library users import `@msint/auth-core`.
 * @module
 */

export * from "./certificates.js";
export * from "./clouds.js";
export * from "./command-names.js";
export type { AccessTokenResult, CachedToken, FetchedToken, IntegrationContext } from "./context.js";
export { toTokenCredential } from "./credential.js";
export * from "./errors.js";
export {
  AUTHORIZATION_CODE_PARAMETER,
  type AuthorizationCodeContext,
  type AuthorizationCodeOptions,
  createAuthorizationCodeStrategy,
  createLoginUrl,
  type ExtractCodeOptions,
  extractAuthorizationCode,
  type LoginUrlOptions,
  type PendingLogin,
} from "./flows/authorization-code.js";
export {
  CLIENT_ASSERTION_TYPE,
  type ClientAssertionOptions,
  createClientAssertion,
} from "./flows/client-assertion.js";
export {
  type ClientCertificateOptions,
  certificateFingerprint,
  createClientCertificateStrategy,
} from "./flows/client-certificate.js";
export { type ClientSecretOptions, createClientSecretStrategy } from "./flows/client-credentials.js";
export {
  createDeviceCodeStrategy,
  DEVICE_CODE_GRANT_TYPE,
  type DeviceCodeContext,
  type DeviceCodeOptions,
  type DeviceCodeWait,
  type PendingDeviceCode,
  type StartDeviceCodeOptions,
  type StartedDeviceCode,
  startDeviceCode,
  toPendingDeviceCode,
} from "./flows/device-code.js";
export {
  createEnvironmentStrategy,
  ENVIRONMENT_VARIABLES,
  type EnvironmentOptions,
} from "./flows/environment.js";
export {
  createManagedIdentityStrategy,
  MANAGED_IDENTITY_CLIENT_ID_PARAMETER,
  type ManagedIdentityOptions,
  SYSTEM_ASSIGNED,
  scopeToResource,
} from "./flows/managed-identity.js";
export { BROKER_DEFAULT_EXPIRES_IN_SECONDS, tokenAnswerProblem } from "./flows/oauth-http.js";
export {
  contextToPersist,
  isStrategyFailure,
  type StrategyFailure,
  withContextToPersist,
} from "./flows/strategy-failure.js";
export {
  createWorkloadIdentityStrategy,
  FEDERATED_TOKEN_FILE_PARAMETER,
  readFederatedToken,
  type WorkloadIdentityOptions,
} from "./flows/workload-identity.js";
export {
  BROKER_ID_PARAMETER,
  BROKER_KEY_PARAMETER,
  BROKER_TOKEN_PARAMETER,
  createXsoarAppStrategy,
  DEFAULT_BROKER_URL,
  decryptBrokerToken,
  encryptBrokerToken,
  nextBrokerBackoff,
  parseBrokerId,
  parseBrokerKey,
  type XsoarAppContext,
  type XsoarAppOptions,
} from "./flows/xsoar-app.js";
export * from "./log.js";
export { ownEntry, ownRecord } from "./own.js";
export * from "./pkce.js";
export * from "./redact.js";
export * from "./store/index.js";
export {
  type ContextAccess,
  type FetchOptions,
  FLOW_DISPLAY_NAMES,
  type FlowId,
  type FlowStrategy,
  type GetTokenOptions,
  TokenProvider,
  type TokenProviderOptions,
  TokenRequestAbortedError,
} from "./strategy.js";
export { TRACER_NAME, withSpan } from "./telemetry.js";
export * from "./text-safety.js";
export {
  EXPIRY_SKEW_MS,
  isDueForRefresh,
  toCachedToken,
  tokenCacheKey,
  usableToken,
  withToken,
} from "./token-cache.js";
export * from "./transport/index.js";
