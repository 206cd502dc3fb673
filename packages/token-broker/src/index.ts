/**
 * @msint/token-broker — a self-hostable token broker for the "Cortex XSOAR application" flow: customers consent
 * to a vendor's multi-tenant app on its pages and receive an ID, Token and Key; integrations then POST
 * `/obtain-token` for access tokens and never hold the app's secret.
 * @module
 */

export {
  type AppCredential,
  type BrokerApp,
  type BrokerAppConfigInput,
  type BrokerConfig,
  BrokerConfigError,
  type BrokerConfigInput,
  loadBrokerConfigFile,
  type PermissionKind,
  parseBrokerConfig,
} from "./config.js";
export { MASTER_KEY_VARIABLE } from "./database.js";
export { type BrokerOptions, type RunningBroker, startBroker } from "./server.js";
