import { describe, expect, it } from "vitest";
import {
  createStrategy,
  defineIntegration,
  flowTableWords,
  graph,
  resolveEndpoints,
  selectFlow,
} from "../src/index.js";
import type { IntegrationManifest } from "../src/manifest.js";
import { resolveParameterValues } from "../src/parameters.js";

const base: IntegrationManifest = {
  id: "sample",
  displayName: "Sample Integration",
  commandPrefix: "sample",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: graph(),
  commands: {},
};

const TENANT = "6b1c7a5e-2f4d-4c1b-9a53-0d2f7e8c9b10";
const CLIENT = "0f3e9c1a-7d2b-4e5f-8a6c-1b2d3e4f5a6b";

describe("defineIntegration", () => {
  it("names the integration in manifest errors", () => {
    expect(() => defineIntegration({ ...base, commandPrefix: "Bad Prefix" })).toThrow(
      'Integration "sample": commandPrefix',
    );
    expect(() =>
      defineIntegration({
        ...base,
        commands: { "Other List": { description: "", run: async () => ({ readable: "" }) } },
      }),
    ).toThrow('command "Other List" must be a lower-case slug');
    expect(() =>
      defineIntegration({ ...base, flows: { ...base.flows, xsoarApp: "maybe" as never } }),
    ).toThrow("flows.xsoarApp");
  });

  it("derives the parameters from the flows", () => {
    const keys = defineIntegration(base).parameters.map((parameter) => parameter.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "auth_id",
        "tenant_id",
        "enc_key",
        "self_deployed",
        "auth_type",
        "redirect_uri",
        "auth_code",
        "use_managed_identities",
        "azure_cloud",
        "server_url",
      ]),
    );
    const noUserFlows = defineIntegration({
      ...base,
      flows: { ...base.flows, authorizationCode: false, managedIdentities: false },
    });
    expect(noUserFlows.parameters.map((parameter) => parameter.key)).not.toContain("redirect_uri");
    expect(noUserFlows.parameters.map((parameter) => parameter.key)).not.toContain("use_managed_identities");
  });

  it("generates the auth commands", () => {
    expect(defineIntegration(base).commandNames()).toEqual([
      "sample-auth-test",
      "sample-auth-reset",
      "sample-test",
      "sample-generate-login-url",
    ]);
    const device = defineIntegration({
      ...base,
      flows: { ...base.flows, authorizationCode: false, xsoarApp: "device" },
    });
    expect(device.commandNames()).toEqual([
      "sample-auth-test",
      "sample-auth-reset",
      "sample-test",
      "sample-auth-start",
      "sample-auth-complete",
    ]);
  });
});

describe("selectFlow", () => {
  it("follows the seed: managed identities, then the XSOAR application unless self-deployed, then Authentication Type", () => {
    expect(selectFlow(base, { use_managed_identities: true })).toEqual({
      flow: "managed-identity",
      selfDeployed: true,
    });
    expect(selectFlow(base, { auth_type: "Azure Managed Identities" }).flow).toBe("managed-identity");
    expect(selectFlow(base, {}).flow).toBe("xsoar-app");
    expect(selectFlow(base, { self_deployed: true }).flow).toBe("client-credentials");
    expect(selectFlow(base, { self_deployed: true, auth_type: "Authorization Code" }).flow).toBe(
      "authorization-code",
    );
    expect(
      selectFlow(base, { self_deployed: true, redirect_uri: "https://localhost", auth_code: "x" }).flow,
    ).toBe("authorization-code");
  });

  it("refuses a flow the manifest does not declare, naming the supported ones", () => {
    expect(() => selectFlow(base, { self_deployed: true, auth_type: "Device Code" })).toThrow(
      "Sample Integration does not support the Device Code flow. It supports: Cortex XSOAR application, Client Credentials, Authorization Code, Azure Managed Identities, Workload Identity, Environment.",
    );
    const noMi = { ...base, flows: { ...base.flows, managedIdentities: "saas" as const } };
    expect(() => selectFlow(noMi, { use_managed_identities: true })).toThrow(
      "does not support the Azure Managed Identities flow",
    );
  });

  it("lists every missing parameter of client credentials by display name", () => {
    const integration = defineIntegration(base);
    const params = resolveParameterValues(integration.parameters, { self_deployed: true }, {});
    const endpoints = resolveEndpoints(base, params);
    expect(() =>
      createStrategy({
        manifest: base,
        params,
        endpoints,
        transport: {
          request: async () => {
            throw new Error("no");
          },
        },
      }),
    ).toThrow("The Client Credentials flow needs Tenant ID, App/Client ID, Client Secret.");
  });

  it("rejects a client id that is not a GUID and a tenant that is neither GUID nor domain", () => {
    const params = { self_deployed: true, tenant_id: TENANT, auth_id: "my-app", enc_key: "s3cret-value" };
    const endpoints = resolveEndpoints(base, params);
    const transport = {
      request: async () => {
        throw new Error("no");
      },
    };
    expect(() => createStrategy({ manifest: base, params, endpoints, transport })).toThrow(
      "App/Client ID: is not a GUID.",
    );
    expect(() =>
      createStrategy({
        manifest: base,
        params: { ...params, auth_id: CLIENT, tenant_id: "not a tenant" },
        endpoints,
        transport,
      }),
    ).toThrow("Tenant ID: is neither a tenant GUID nor a domain name.");
  });
});

describe("parameters", () => {
  const integration = defineIntegration(base);
  it("reads env: references at run time and says which variable is missing", () => {
    expect(
      resolveParameterValues(integration.parameters, { enc_key: "env:MY_SECRET" }, { MY_SECRET: "abc" })[
        "enc_key"
      ],
    ).toBe("abc");
    expect(() => resolveParameterValues(integration.parameters, { enc_key: "env:MY_SECRET" }, {})).toThrow(
      "Client Secret: refers to the environment variable MY_SECRET, which is not set.",
    );
  });
  it("rejects a secret with stray white space and an unknown Azure Cloud", () => {
    expect(() => resolveParameterValues(integration.parameters, { enc_key: " abc " }, {})).toThrow(
      "Client Secret: starts or ends with white space.",
    );
    expect(() => resolveParameterValues(integration.parameters, { azure_cloud: "Mars" }, {})).toThrow(
      'Azure Cloud: "Mars" is not one of the choices.',
    );
  });
  it("requires Azure AD endpoint and Server URL with a Custom cloud, and https except on loopback", () => {
    expect(() => resolveEndpoints(base, { azure_cloud: "Custom" })).toThrow(
      "Azure Cloud is Custom, so Azure AD endpoint and Server URL must be set.",
    );
    expect(() =>
      resolveEndpoints(base, {
        azure_cloud: "Custom",
        azure_ad_endpoint: "http://login.example.com",
        server_url: "https://graph.example.com",
      }),
    ).toThrow("Azure AD endpoint");
    const loopback = resolveEndpoints(base, {
      azure_cloud: "Custom",
      azure_ad_endpoint: "http://127.0.0.1:9999/",
      server_url: "http://127.0.0.1:9999/",
    });
    expect(loopback).toMatchObject({
      loginHost: "http://127.0.0.1:9999",
      apiBase: "http://127.0.0.1:9999",
      audience: "http://127.0.0.1:9999",
    });
  });
  it("maps named clouds to their Graph endpoints", () => {
    expect(resolveEndpoints(base, {}).apiBase).toBe("https://graph.microsoft.com");
    expect(resolveEndpoints(base, { azure_cloud: "DoD" })).toMatchObject({
      loginHost: "https://login.microsoftonline.us",
      apiBase: "https://dod-graph.microsoft.us",
    });
    expect(resolveEndpoints(base, { azure_cloud: "China" }).apiBase).toBe(
      "https://microsoftgraph.chinacloudapi.cn",
    );
  });
});

describe("flowTableWords", () => {
  it("uses the seed table's words", () => {
    expect(flowTableWords({ ...base.flows, xsoarApp: "device", managedIdentities: "saas" })).toEqual({
      xsoarApp: "yes - device",
      clientCredentials: "yes",
      deviceCode: "no",
      authorizationCode: "yes",
      managedIdentities: "no - saas",
      nationalClouds: "no",
    });
  });
});
