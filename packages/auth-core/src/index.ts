/**
 * @msint/auth-core — the authentication layer of msint: cloud catalog, transport, encrypted context store,
 * token cache, one strategy per flow, AADSTS translation and a `TokenCredential` adapter.
 *
 * This entry point is what a library user needs: the clouds, a strategy per flow with its options, the
 * `TokenProvider` and `toTokenCredential`, the transport, the context stores, the errors, logging and redaction.
 * The plumbing the other msint packages share is in `@msint/auth-core/internal` (not covered by semver).
 * @module
 */

export {
  type CertificateCredential,
  type CertificateCredentialInput,
  parseCertificateCredential,
} from "./certificates.js";
export {
  AZURE_CLOUD_OPTIONS,
  type AzureCloudName,
  CLOUD_APPS_ENDPOINT_TYPES,
  CLOUD_APPS_ENDPOINTS,
  CLOUDS,
  type CloudAppsEndpoint,
  type CloudAppsEndpointType,
  type CloudEndpoints,
  type CloudId,
  type CloudServiceKey,
  type CustomCloudOptions,
  cloudIdFromGraphUrl,
  customCloud,
  DEFENDER_ENDPOINT_TYPES,
  DEFENDER_ENDPOINTS,
  type DefenderEndpoint,
  type DefenderEndpointKey,
  type DefenderEndpointType,
  getCloud,
  getCloudAppsEndpoint,
  getDefenderEndpoint,
  type NamedCloudId,
  resolveCloudId,
} from "./clouds.js";
export type { AccessTokenResult, CachedToken, FetchedToken, IntegrationContext } from "./context.js";
export { toTokenCredential } from "./credential.js";
export {
  ApiError,
  type ApiErrorDetails,
  AuthenticationError,
  type AuthenticationErrorDetails,
  MsintError,
  type MsintErrorOptions,
  ParameterError,
  TransportError,
  type TransportErrorDetails,
  type TransportErrorKind,
} from "./errors.js";
export {
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
  type ClientCertificateOptions,
  createClientCertificateStrategy,
} from "./flows/client-certificate.js";
export { type ClientSecretOptions, createClientSecretStrategy } from "./flows/client-credentials.js";
export {
  createDeviceCodeStrategy,
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
  type ManagedIdentityOptions,
  SYSTEM_ASSIGNED,
} from "./flows/managed-identity.js";
export { createWorkloadIdentityStrategy, type WorkloadIdentityOptions } from "./flows/workload-identity.js";
export {
  createXsoarAppStrategy,
  DEFAULT_BROKER_URL,
  type XsoarAppContext,
  type XsoarAppOptions,
} from "./flows/xsoar-app.js";
export {
  createLogger,
  getLogger,
  type LogFields,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  type LogSink,
} from "./log.js";
export { createRedactor, getRedactor, REDACTED, type Redactor } from "./redact.js";
export {
  type ContextStore,
  FileStore,
  type FileStoreOptions,
  MemoryStore,
  type OpenFileStoreOptions,
  openFileStore,
  StoreError,
  type StoreErrorCode,
  storeKeyFromEnv,
} from "./store/index.js";
export {
  type ContextAccess,
  type FetchOptions,
  type FlowId,
  type FlowStrategy,
  type GetTokenOptions,
  TokenProvider,
  type TokenProviderOptions,
  TokenRequestAbortedError,
} from "./strategy.js";
export { TRACER_NAME } from "./telemetry.js";
export {
  createTransport,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type NodeTransport,
  type ResponseLimit,
  TRANSPORT_DEFAULTS,
  type Transport,
  type TransportOptions,
} from "./transport/index.js";
