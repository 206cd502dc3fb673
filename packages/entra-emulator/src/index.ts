/**
 * @msint/entra-emulator: a local Microsoft identity platform (Entra ID v2) and Microsoft Graph emulator, on
 * loopback, for tests, demos and benchmarks.
 */
export { formatEmulatorBanner } from "./banner.js";
export { BUILT_IN_RESOURCES } from "./resources.js";
export {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_EXPIRED_CLIENT_ID,
  DEMO_EXPIRED_CLIENT_SECRET,
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  demoSeed,
  loadSeed,
} from "./seed.js";
export { startEmulator } from "./server.js";
export type {
  AccessTokenClaims,
  EmulatorOptions,
  EmulatorSeed,
  ErrorDialect,
  FaultInjector,
  FaultSpec,
  IssueTokenParameters,
  ProtectedRouteSpec,
  RecordedRequest,
  ResourceOptions,
  RouteContext,
  RouteHandler,
  RouteResponse,
  RunningEmulator,
  SeedApp,
  SeedCertificate,
  SeedSecret,
  SeedTenant,
  SeedUser,
} from "./types.js";
