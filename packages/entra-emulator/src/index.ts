/**
 * @msint/entra-emulator: a local Microsoft identity platform (Entra ID v2) and Microsoft Graph emulator, on
 * loopback, for tests, demos and benchmarks.
 */

export type { ClientAssertionParameters } from "./assertions.js";
export { createClientAssertion } from "./assertions.js";
export { type BannerOptions, formatEmulatorBanner, formatRequestLine } from "./banner.js";
export { decryptBrokerToken } from "./broker.js";
export type { TestCertificateOptions } from "./certificates.js";
export { createTestCertificate } from "./certificates.js";
export { DEMO_INSTANCE_PARAMETERS } from "./demo-parameters.js";
export { BUILT_IN_RESOURCES } from "./resources.js";
export {
  BOT_FRAMEWORK_TENANT_DOMAIN,
  BOT_FRAMEWORK_TENANT_ID,
  DEMO_ADMIN_UPN,
  DEMO_BROKER_APP_NAME,
  DEMO_BROKER_APP_REGISTRATION_ID,
  DEMO_BROKER_DELEGATED_REGISTRATION_ID,
  DEMO_BROKER_KEY,
  DEMO_BROKER_REFRESH_TOKEN,
  DEMO_BROKER_VENDOR_CLIENT_ID,
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_EXPIRED_CLIENT_ID,
  DEMO_EXPIRED_CLIENT_SECRET,
  DEMO_FEDERATED_ISSUER,
  DEMO_FEDERATED_SUBJECT,
  DEMO_MANAGED_IDENTITY_CLIENT_ID,
  DEMO_MANAGED_IDENTITY_PRINCIPAL_ID,
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  DEMO_USER_ASSIGNED_CLIENT_ID,
  DEMO_USER_ASSIGNED_PRINCIPAL_ID,
  DEMO_USER_ASSIGNED_RESOURCE_ID,
  DEMO_USER_PASSWORD,
  DEMO_WORKLOAD_CLIENT_ID,
  demoSeed,
  FEDERATED_AUDIENCE,
  loadSeed,
  XSOAR_MICROSOFT_365_DEFENDER_CLIENT_ID,
} from "./seed.js";
export { startEmulator } from "./server.js";
export { DEMO_KUSTO_CLUSTER, DEMO_KUSTO_CLUSTER_US_GOV } from "./services/kusto.js";
export {
  type AccountSasFields,
  accountSasSignature,
  DEMO_STORAGE_ACCOUNT,
  DEMO_STORAGE_ACCOUNT_KEY,
  demoAccountSas,
} from "./services/storage.js";
export { type FederatedTokenOptions, issueFederatedToken } from "./token/federated.js";
export type {
  AccessTokenClaims,
  DeviceCodeInfo,
  EmulatorOptions,
  EmulatorSeed,
  ErrorDialect,
  FaultInjector,
  FaultKind,
  FaultSpec,
  GrantConsentParameters,
  IssueRefreshTokenParameters,
  IssueTokenParameters,
  ProtectedRouteSpec,
  RecordedRequest,
  ResourceOptions,
  RevokeFilter,
  RouteContext,
  RouteHandler,
  RouteResponse,
  RunningEmulator,
  SeedApp,
  SeedBrokerRegistration,
  SeedCertificate,
  SeedFederatedCredential,
  SeedFederatedIssuer,
  SeedManagedIdentity,
  SeedSecret,
  SeedTenant,
  SeedUser,
  TestCertificate,
} from "./types.js";
