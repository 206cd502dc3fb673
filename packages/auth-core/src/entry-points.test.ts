/**
 * The two entry points: "." is the public API a library user imports, "./internal" the plumbing the other msint
 * packages share. A name added to "." is a decision (semver covers it): this list changes with it.
 */
import { describe, expect, it } from "vitest";
import * as publicApi from "./index.js";
import * as internalApi from "./internal.js";

const PUBLIC_VALUES = [
  "AZURE_CLOUD_OPTIONS",
  "ApiError",
  "AuthenticationError",
  "CLOUDS",
  "CLOUD_APPS_ENDPOINTS",
  "CLOUD_APPS_ENDPOINT_TYPES",
  "DEFAULT_BROKER_URL",
  "DEFENDER_ENDPOINTS",
  "DEFENDER_ENDPOINT_TYPES",
  "ENVIRONMENT_VARIABLES",
  "FileStore",
  "MemoryStore",
  "MsintError",
  "ParameterError",
  "REDACTED",
  "SYSTEM_ASSIGNED",
  "StoreError",
  "TRACER_NAME",
  "TRANSPORT_DEFAULTS",
  "TokenProvider",
  "TokenRequestAbortedError",
  "TransportError",
  "cloudIdFromGraphUrl",
  "createAuthorizationCodeStrategy",
  "createClientCertificateStrategy",
  "createClientSecretStrategy",
  "createDeviceCodeStrategy",
  "createEnvironmentStrategy",
  "createLogger",
  "createLoginUrl",
  "createManagedIdentityStrategy",
  "createRedactor",
  "createTransport",
  "createWorkloadIdentityStrategy",
  "createXsoarAppStrategy",
  "customCloud",
  "extractAuthorizationCode",
  "getCloud",
  "getCloudAppsEndpoint",
  "getDefenderEndpoint",
  "getLogger",
  "getRedactor",
  "openFileStore",
  "parseCertificateCredential",
  "resolveCloudId",
  "startDeviceCode",
  "storeKeyFromEnv",
  "toPendingDeviceCode",
  "toTokenCredential",
];

describe("entry points", () => {
  it('"." exports the public API and nothing else', () => {
    expect(Object.keys(publicApi).sort()).toEqual([...PUBLIC_VALUES].sort());
  });

  it('"./internal" exports every public value, the same objects, and the plumbing', () => {
    const internals: Record<string, unknown> = { ...internalApi };
    const publics: Record<string, unknown> = { ...publicApi };
    for (const name of PUBLIC_VALUES) expect(internals[name], name).toBe(publics[name]);
    for (const plumbing of [
      "translateEntraError",
      "seal",
      "unseal",
      "KeyedMutex",
      "brandErrorClass",
      "withSpan",
    ]) {
      expect(plumbing in internalApi, plumbing).toBe(true);
      expect(plumbing in publicApi, plumbing).toBe(false);
    }
  });
});
