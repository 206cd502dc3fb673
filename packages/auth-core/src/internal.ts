/**
 * `@msint/auth-core/internal` — the plumbing the other msint packages build on: every export of the package, the
 * public ones included (parameter names, endpoint builders, error translation, token-cache helpers, store
 * sealing, PKCE, the MSAL network adapter…). Not covered by semver: it changes with the packages that use it,
 * which are released together. Library users import `@msint/auth-core`.
 *
 * The public entry point comes first, whole; below it only what it leaves out.
 * @module
 */

export * from "./certificates.js";
export * from "./clouds.js";
export * from "./command-names.js";
export * from "./errors.js";
export { AUTHORIZATION_CODE_PARAMETER } from "./flows/authorization-code.js";
export {
  CLIENT_ASSERTION_TYPE,
  type ClientAssertionOptions,
  createClientAssertion,
} from "./flows/client-assertion.js";
export { certificateFingerprint } from "./flows/client-certificate.js";
export { DEVICE_CODE_GRANT_TYPE } from "./flows/device-code.js";
export { MANAGED_IDENTITY_CLIENT_ID_PARAMETER, scopeToResource } from "./flows/managed-identity.js";
export { BROKER_DEFAULT_EXPIRES_IN_SECONDS, tokenAnswerProblem } from "./flows/oauth-http.js";
export {
  contextToPersist,
  isStrategyFailure,
  type StrategyFailure,
  withContextToPersist,
} from "./flows/strategy-failure.js";
export { FEDERATED_TOKEN_FILE_PARAMETER, readFederatedToken } from "./flows/workload-identity.js";
export {
  BROKER_ID_PARAMETER,
  BROKER_KEY_PARAMETER,
  BROKER_TOKEN_PARAMETER,
  decryptBrokerToken,
  encryptBrokerToken,
  nextBrokerBackoff,
  parseBrokerId,
  parseBrokerKey,
} from "./flows/xsoar-app.js";
export * from "./index.js";
export * from "./log.js";
export { ownEntry, ownRecord } from "./own.js";
export * from "./pkce.js";
export * from "./redact.js";
export * from "./store/index.js";
export { FLOW_DISPLAY_NAMES } from "./strategy.js";
export { withSpan } from "./telemetry.js";
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
