import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClientSecretStrategy } from "@msint/auth-core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AUTH_PARAMETERS,
  connect,
  createStrategy,
  defineIntegration,
  type FlowDefinition,
  flowDefinitions,
  graph,
  type IntegrationManifest,
  type ParameterDefinition,
  registerFlow,
  requireParameters,
  resolveEndpoints,
  selectFlow,
  storage,
  supportedFlowNames,
  textParameter,
} from "../src/index.js";

/**
 * The acceptance of the flow registry: a flow defined in one place (here, a fixture) is selected, creates its
 * strategy, and brings its parameters and Authentication Type, with no other edit. The CLI's plans and the docs
 * pick it up too (packages/cli/src/flow-plans.test.ts, packages/repo-tools/test/flows.test.ts).
 */
const secretFile: ParameterDefinition = {
  key: "client_secret_file",
  displayName: "Client secret file",
  type: "string",
  help: "Fixture flow: the file holding the client secret.",
};

const fixtureFlow: FlowDefinition = {
  id: "secret-file",
  flow: "secret-file",
  displayName: "Secret File",
  column: "msint extension",
  registration: "self-deployed",
  authType: "Secret File",
  delegated: false,
  supports: (manifest) => manifest.flows.extensions?.includes("secret-file") ?? false,
  parameters: [AUTH_PARAMETERS.tenant_id, AUTH_PARAMETERS.auth_id, secretFile],
  select: { chosen: (context) => context.authType === "secret file" },
  createStrategy({ manifest, params, endpoints, transport }) {
    requireParameters(
      "secret-file",
      params,
      [AUTH_PARAMETERS.tenant_id, AUTH_PARAMETERS.auth_id, secretFile],
      true,
    );
    return createClientSecretStrategy({
      tenantId: textParameter(params, "tenant_id"),
      clientId: textParameter(params, "auth_id"),
      clientSecret: readFileSync(textParameter(params, "client_secret_file"), "utf8").trim(),
      loginHost: endpoints.loginHost,
      transport,
      commandPrefix: manifest.commandPrefix,
    });
  },
  plan: {
    settings: () => ({ auth_type: "Secret File" }),
    required: [AUTH_PARAMETERS.tenant_id, AUTH_PARAMETERS.auth_id, secretFile],
    credential: false,
    optional: [],
  },
  docs: {
    reference: (manifest) =>
      fixtureFlow.supports(manifest)
        ? '- msint extension, Secret File: `auth_type="Secret File"`.'
        : undefined,
    extension: {
      summary: "a fixture: the client-credentials grant with a secret read from a file",
      parameters: '`auth_type="Secret File"`; `tenant_id`, `auth_id`, `client_secret_file`',
      credential: "`client_secret`, read from the file",
    },
  },
};

const manifest = (extensions?: readonly string[]): IntegrationManifest => ({
  id: "fixture-users",
  displayName: "Fixture Users",
  commandPrefix: "fixture-users",
  flows: {
    xsoarApp: false,
    clientCredentials: false,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
    ...(extensions ? { extensions } : {}),
  },
  resource: graph({ application: [".default"], delegated: [] }),
  commands: {
    "fixture-users-count": {
      description: "Counts a page of users.",
      async run({ api }) {
        const page = await api.get<{ value: unknown[] }>("/v1.0/users", { $top: 2 });
        return { readable: `${page.value.length} users` };
      },
    },
  },
});

let unregister: (() => void) | undefined;
let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), "msint-flow-registry-"));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

describe("a flow added to the registry", () => {
  it("is selected by its Authentication Type, brings its parameters, and signs in with its strategy", async () => {
    unregister = registerFlow(fixtureFlow);
    const integration = defineIntegration(manifest(["secret-file"]));
    const keys = integration.parameters.map((parameter) => parameter.key);
    // Its own parameter, the app registration's, and Authentication Type (it is a self-deployed flow).
    expect(keys).toEqual(expect.arrayContaining(["client_secret_file", "tenant_id", "auth_id", "auth_type"]));
    expect(integration.parameter("auth_type")?.options).toContain("Secret File");
    expect(supportedFlowNames(integration.manifest)).toEqual(["Azure Managed Identities", "Secret File"]);
    expect(selectFlow(integration.manifest, { auth_type: "Secret File" })).toEqual({
      flow: "secret-file",
      selfDeployed: true,
    });

    const file = join(dir, "secret");
    writeFileSync(file, `${DEMO_CLIENT_SECRET}\n`, { mode: 0o600 });
    const connection = connect(integration, {
      params: {
        auth_type: "secret file",
        tenant_id: DEMO_TENANT_ID,
        auth_id: DEMO_CLIENT_ID,
        client_secret_file: file,
        azure_cloud: "Custom",
        azure_ad_endpoint: emulator.url,
        server_url: emulator.url,
      },
      env: {},
    });
    expect((await connection.run("fixture-users-count")).readable).toBe("2 users");
    // On the wire: the client-credentials grant with the secret from the file (Microsoft identity platform,
    // "OAuth 2.0 client credentials flow": grant_type=client_credentials, client_id, client_secret, scope).
    const [request] = emulator.tokenRequests();
    expect(request?.grantType).toBe("client_credentials");
    expect(request?.clientId).toBe(DEMO_CLIENT_ID);
    expect(request?.tenant).toBe(DEMO_TENANT_ID);
  });

  it("is an error to choose on an integration that does not declare it, naming the flows it has", () => {
    unregister = registerFlow(fixtureFlow);
    const plain = manifest();
    expect(() => selectFlow(plain, { auth_type: "Secret File", use_managed_identities: false })).toThrow(
      "Fixture Users cannot use a self-deployed Azure application. It supports: Azure Managed Identities.",
    );
    const withClientCredentials = { ...plain, flows: { ...plain.flows, clientCredentials: true } };
    expect(() => selectFlow(withClientCredentials, { auth_type: "Secret File" })).toThrow(
      "Fixture Users does not support the Secret File flow. It supports: Client Credentials, Azure Managed Identities, Workload Identity, Environment.",
    );
  });

  it("takes its place in the registry's order: registered before Client Credentials, it becomes the default", () => {
    const fallback: FlowDefinition = {
      ...fixtureFlow,
      select: { ...fixtureFlow.select, fallback: () => true },
    };
    const withBoth = {
      ...manifest(["secret-file"]),
      flows: { ...manifest(["secret-file"]).flows, clientCredentials: true },
    };
    unregister = registerFlow(fallback);
    expect(selectFlow(withBoth, {}).flow).toBe("client-credentials");
    unregister();
    unregister = registerFlow(fallback, { before: "client-credentials" });
    expect(flowDefinitions().map((definition) => definition.id)).toEqual([
      "shared-access-signature",
      "xsoar-app",
      "xsoar-app-device",
      "secret-file",
      "client-credentials",
      "authorization-code",
      "device-code",
      "managed-identity",
      "workload-identity",
      "environment",
    ]);
    expect(selectFlow(withBoth, {}).flow).toBe("secret-file");
    // A ticked managed identity still overrides it: the phases come before the order.
    expect(selectFlow(withBoth, { use_managed_identities: true }).flow).toBe("managed-identity");
  });

  it("checks its parameters before anything is sent", () => {
    unregister = registerFlow(fixtureFlow);
    const fixture = manifest(["secret-file"]);
    const params = { auth_type: "Secret File", tenant_id: DEMO_TENANT_ID };
    expect(() =>
      createStrategy({
        manifest: fixture,
        params,
        endpoints: resolveEndpoints(fixture, params),
        transport: {
          request: async () => {
            throw new Error("nothing may be sent");
          },
        },
      }),
    ).toThrow(
      "The Secret File flow needs App/Client ID, Client secret file. Set them with msint instance set <name> --param auth_id=… --param client_secret_file=….",
    );
  });
});

describe("the built-in flows' parameters", () => {
  // The order integrations declared them in before the registry (docs/integrations/*.md list them so).
  it("are declared once each, in the order of AUTH_PARAMETERS, with the app registration's for every flow that has one", () => {
    const full = defineIntegration({
      ...manifest(),
      flows: { ...manifest().flows, xsoarApp: "yes", clientCredentials: true, authorizationCode: true },
    });
    expect(full.parameters.map((parameter) => parameter.key)).toEqual([
      "auth_id",
      "tenant_id",
      "enc_key",
      "self_deployed",
      "auth_type",
      "certificate_thumbprint",
      "private_key",
      "federated_token_file",
      "redirect_uri",
      "auth_code",
      "use_managed_identities",
      "managed_identities_client_id",
      "azure_cloud",
      "azure_ad_endpoint",
      "server_url",
      "insecure",
      "proxy",
    ]);
    expect(full.parameter("auth_type")?.options).toEqual([
      "Client Credentials",
      "Authorization Code",
      "Device Code",
      "Azure Managed Identities",
      "Workload Identity",
      "Environment",
    ]);
    const queue = defineIntegration({ ...manifest(), resource: storage("queue") });
    expect(queue.parameters.map((parameter) => parameter.key)).toEqual([
      "account_name",
      "sas_token",
      "use_managed_identities",
      "managed_identities_client_id",
      "azure_cloud",
      "azure_ad_endpoint",
      "server_url",
      "insecure",
      "proxy",
    ]);
    expect(selectFlow(queue.manifest, {})).toEqual({ flow: "shared-access-signature", selfDeployed: true });
  });
});

describe("the registry's guards", () => {
  it("refuses a second flow with the same id, and a position that does not exist", () => {
    expect(() => registerFlow({ ...fixtureFlow, id: "client-credentials" })).toThrow(
      'A flow with the id "client-credentials" is registered.',
    );
    expect(() => registerFlow(fixtureFlow, { before: "no-such-flow" })).toThrow(
      'No flow "no-such-flow" to register "secret-file" before.',
    );
    expect(flowDefinitions().some((definition) => definition.id === "secret-file")).toBe(false);
  });

  it("rejects a manifest listing an extension the registry lacks, naming the known ones", () => {
    expect(() => defineIntegration(manifest(["secret-file"]))).toThrow(
      'Integration "fixture-users": flows.extensions lists "secret-file", which is not an msint extension flow of the registry (workload-identity, environment).',
    );
  });

  it("gone again after unregistering: not a choice of Authentication Type, not selected", () => {
    registerFlow(fixtureFlow)();
    expect(AUTH_PARAMETERS.auth_type.options).not.toContain("Secret File");
    const withClientCredentials = { ...manifest(), flows: { ...manifest().flows, clientCredentials: true } };
    expect(selectFlow(withClientCredentials, { auth_type: "Secret File" }).flow).toBe("client-credentials");
  });
});
