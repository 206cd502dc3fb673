import {
  DEMO_BROKER_KEY,
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  DEMO_USER_ASSIGNED_CLIENT_ID,
  demoSeed,
  type EmulatorSeed,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CliRun, runCli, tempHome } from "./helpers.js";

const BROKER_REGISTRATION = "5d1c8e2a-7b3f-4c6d-9e0a-1f2b3c4d5e6f";

/** The demo seed plus a broker registration for Microsoft Graph User's app name. */
function seed(): EmulatorSeed {
  const copy = structuredClone(demoSeed);
  const vendor = demoSeed.brokerRegistrations?.[0];
  copy.brokerRegistrations = [
    ...(copy.brokerRegistrations ?? []),
    {
      id: BROKER_REGISTRATION,
      appName: "ms-graph-user",
      key: DEMO_BROKER_KEY,
      tenantId: DEMO_TENANT_ID,
      clientId: vendor?.clientId ?? DEMO_CLIENT_ID,
      kind: "application",
    },
  ];
  return copy;
}

let emulator: RunningEmulator;
let home: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, proxy: true, seed: seed() });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  ({ home, cleanup } = await tempHome());
  emulator.clearRequests();
  emulator.faults.clear();
});
afterEach(async () => {
  await cleanup();
});

/** Environment of a CLI process: its store, and the emulator's proxy trusted for the real cloud hosts. */
function env(extra: Record<string, string> = {}) {
  return {
    MSINT_HOME: home,
    HTTPS_PROXY: emulator.proxyUrl!,
    NO_PROXY: "127.0.0.1,localhost",
    NODE_EXTRA_CA_CERTS: emulator.caCertFile!,
    DEMO_SECRET: DEMO_CLIENT_SECRET,
    ...extra,
  };
}

async function cli(args: string[], extra: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, env(extra));
}

async function add(name: string, integration: string, params: Record<string, string>) {
  const args = ["instance", "add", name, "--integration", integration];
  for (const [key, value] of Object.entries(params)) args.push("--param", `${key}=${value}`);
  const result = await cli(args);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
}

function ok(result: CliRun): CliRun {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result;
}

const hostsOf = (predicate: (path: string) => boolean) =>
  emulator.requests.filter((request) => predicate(request.path)).map((request) => request.host);
const tokenScopes = () => emulator.tokenRequests().map((request) => request.scope);

describe("client credentials with a secret", () => {
  it.each([
    ["Worldwide", "login.microsoftonline.com", "graph.microsoft.com"],
    ["US GCC", "login.microsoftonline.com", "graph.microsoft.com"],
    ["US GCC-High", "login.microsoftonline.us", "graph.microsoft.us"],
    ["DoD", "login.microsoftonline.us", "dod-graph.microsoft.us"],
    ["China", "login.chinacloudapi.cn", "microsoftgraph.chinacloudapi.cn"],
  ])("%s: token from %s for %s, then the Graph call there", async (cloud, loginHost, graphHost) => {
    await add("graph", "msgraph-user", {
      self_deployed: "true",
      tenant_id: DEMO_TENANT_ID,
      auth_id: DEMO_CLIENT_ID,
      enc_key: "env:DEMO_SECRET",
      azure_cloud: cloud,
      proxy: "true",
    });
    ok(await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]));
    const list = ok(await cli(["run", "msgraph-user-list", "limit=2", "--instance", "graph"]));
    expect(list.stdout).toContain("### All Graph Users");
    expect(hostsOf((path) => path.endsWith("/oauth2/v2.0/token"))).toEqual([loginHost]);
    expect(tokenScopes()).toEqual([`https://${graphHost}/.default`]);
    expect(hostsOf((path) => path.startsWith("/v1.0/"))).toEqual([graphHost]);
  });
});

describe("client credentials with a certificate", () => {
  it.each([
    ["SHA-1 thumbprint (RS256, x5t)", "Worldwide", "thumbprintSha1", "login.microsoftonline.com"],
    ["SHA-256 thumbprint (PS256, x5t#S256)", "US GCC-High", "thumbprintSha256", "login.microsoftonline.us"],
  ] as const)("%s on %s", async (_label, cloud, thumbprintField, loginHost) => {
    const certificate = emulator.demoCertificate!;
    // Thumbprints as people paste them: lower case, with colons.
    const thumbprint = certificate[thumbprintField].toLowerCase().match(/../g)!.join(":");
    await add("graph", "msgraph-user", {
      self_deployed: "true",
      tenant_id: DEMO_TENANT_ID,
      auth_id: DEMO_CERT_CLIENT_ID,
      certificate_thumbprint: thumbprint,
      // Pasted into a one-line field: the line breaks became spaces.
      private_key: certificate.privateKeyPem.replace(/\n/g, " "),
      azure_cloud: cloud,
      proxy: "true",
    });
    ok(await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]));
    ok(await cli(["run", "msgraph-user-get", "user=adelev@contoso.onmicrosoft.com", "--instance", "graph"]));
    expect(hostsOf((path) => path.endsWith("/oauth2/v2.0/token"))).toEqual([loginHost]);
    expect(emulator.tokenRequests()[0]?.clientId).toBe(DEMO_CERT_CLIENT_ID);
  });

  it("names the parameter when the thumbprint is not registered (AADSTS700027)", async () => {
    const certificate = emulator.demoCertificate!;
    await add("graph", "msgraph-user", {
      self_deployed: "true",
      tenant_id: DEMO_TENANT_ID,
      auth_id: DEMO_CERT_CLIENT_ID,
      certificate_thumbprint: "0".repeat(40),
      private_key: certificate.privateKeyPem,
      proxy: "true",
    });
    const run = await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("AADSTS700027");
    expect(run.stderr).not.toContain("BEGIN PRIVATE KEY");
  });

  it("refuses an encrypted private key before any request", async () => {
    // Refused when the instance is configured: nothing is stored (packages/cli/test/hardening covers the rest).
    const run = await cli([
      "instance",
      "add",
      "graph",
      "--integration",
      "msgraph-user",
      "--param",
      "self_deployed=true",
      "--param",
      `tenant_id=${DEMO_TENANT_ID}`,
      "--param",
      `auth_id=${DEMO_CERT_CLIENT_ID}`,
      "--param",
      `certificate_thumbprint=${emulator.demoCertificate!.thumbprintSha1}`,
      "--param",
      "private_key=-----BEGIN ENCRYPTED PRIVATE KEY----- MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI -----END ENCRYPTED PRIVATE KEY-----",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Private Key");
    expect(run.stderr).toContain("encrypted");
    expect(emulator.tokenRequests()).toHaveLength(0);
  });
});

describe("Azure managed identities", () => {
  it.each([
    ["system-assigned through IMDS on Worldwide", "Worldwide", undefined, "imds", "graph.microsoft.com"],
    [
      "user-assigned through IMDS on DoD",
      "DoD",
      DEMO_USER_ASSIGNED_CLIENT_ID,
      "imds",
      "dod-graph.microsoft.us",
    ],
    [
      "system-assigned through App Service on US GCC-High",
      "US GCC-High",
      undefined,
      "appservice",
      "graph.microsoft.us",
    ],
  ] as const)("%s", async (_label, cloud, clientId, endpoint, graphHost) => {
    await add("graph", "msgraph-user", {
      use_managed_identities: "true",
      ...(clientId ? { managed_identities_client_id: clientId } : {}),
      azure_cloud: cloud,
      proxy: "true",
    });
    const identityEnv: Record<string, string> =
      endpoint === "imds"
        ? { AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.url }
        : { IDENTITY_ENDPOINT: `${emulator.url}/msi/token`, IDENTITY_HEADER: emulator.identityHeader };
    ok(await cli(["run", "msgraph-user-auth-test", "--instance", "graph"], identityEnv));
    const list = ok(await cli(["run", "msgraph-user-list", "limit=1", "--instance", "graph"], identityEnv));
    expect(list.stdout).toContain("### All Graph Users");
    const identityRequests = emulator.requests.filter((request) =>
      /\/(metadata\/identity\/oauth2\/token|msi\/token)/.test(request.path),
    );
    expect(identityRequests).toHaveLength(1);
    expect(identityRequests[0]!.query["resource"]).toBe(`https://${graphHost}`);
    if (endpoint === "imds") {
      expect(identityRequests[0]!.query["client_id"]).toBe(clientId);
    }
    expect(hostsOf((path) => path.startsWith("/v1.0/"))).toEqual([graphHost]);
  });

  it("says where managed identities run when no endpoint answers", async () => {
    await add("graph", "msgraph-user", { use_managed_identities: "true" });
    const run = await cli(["run", "msgraph-user-auth-test", "--instance", "graph"], {
      AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://127.0.0.1:9",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Azure Managed Identities are not available here");
    expect(run.stderr).toContain("Azure VMs");
  });
});

describe("Cortex XSOAR application (broker)", () => {
  it.each([
    ["Worldwide", "graph.microsoft.com"],
    ["DoD", "dod-graph.microsoft.us"],
  ])("%s: the broker returns the token, the Graph call goes to %s", async (cloud, graphHost) => {
    await add("graph", "msgraph-user", {
      auth_id: `${BROKER_REGISTRATION}@${emulator.url}/obtain-token`,
      tenant_id: DEMO_TENANT_ID,
      enc_key: DEMO_BROKER_KEY,
      azure_cloud: cloud,
      proxy: "true",
    });
    ok(await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]));
    ok(await cli(["run", "msgraph-user-list", "limit=1", "--instance", "graph"]));
    const brokerCalls = emulator.requests.filter((request) => request.path === "/obtain-token");
    expect(brokerCalls).toHaveLength(1);
    expect(hostsOf((path) => path.startsWith("/v1.0/"))).toEqual([graphHost]);
  });

  it("backs off after a broker failure, persisted across processes", async () => {
    await add("graph", "msgraph-user", {
      auth_id: `${BROKER_REGISTRATION}@${emulator.url}/obtain-token`,
      tenant_id: DEMO_TENANT_ID,
      enc_key: DEMO_BROKER_KEY,
      proxy: "true",
    });
    emulator.faults.inject({ match: "/obtain-token", status: 500, count: 10 });
    const first = await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]);
    expect(first.code).toBe(1);
    const second = await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("backing off");
    // The second process refused without calling the broker.
    expect(
      emulator.requests.filter((request) => request.path === "/obtain-token").length,
    ).toBeLessThanOrEqual(4);
  });
});

describe("flow selection", () => {
  it("lists every missing parameter of the flow by display name, and refuses undeclared flows", async () => {
    // Refused when the instance is added (issue 15), naming every parameter the flow lacks and how to give them.
    const missing = await cli([
      "instance",
      "add",
      "graph",
      "--integration",
      "msgraph-user",
      "--param",
      "self_deployed=true",
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "The Client Credentials flow of Microsoft Graph User needs Tenant ID, App/Client ID, Client Secret (or Certificate Thumbprint and Private Key). Give them: msint instance add graph --integration msgraph-user … --param tenant_id=… --param auth_id=… --param enc_key=…",
    );
    expect(ok(await cli(["instance", "list", "--json"])).stdout.trim()).toBe("[]");

    await add("graph", "msgraph-user", {
      self_deployed: "true",
      tenant_id: DEMO_TENANT_ID,
      auth_id: DEMO_CLIENT_ID,
      enc_key: "env:DEMO_SECRET",
    });
    const device = await cli(["instance", "set", "graph", "--param", "auth_type=Device Code"]);
    expect(device.code).toBe(1);
    expect(device.stderr).toContain("Microsoft Graph User does not support the Device Code flow.");
    expect(JSON.parse(ok(await cli(["instance", "show", "graph", "--json"])).stdout).flow).toBe(
      "Client Credentials",
    );
  });

  it("explains a Custom cloud without Server URL", async () => {
    const args = ["instance", "add", "graph", "--integration", "msgraph-user"];
    for (const pair of [
      "self_deployed=true",
      `tenant_id=${DEMO_TENANT_ID}`,
      `auth_id=${DEMO_CLIENT_ID}`,
      "enc_key=env:DEMO_SECRET",
      "azure_cloud=Custom",
      `azure_ad_endpoint=${emulator.url}`,
    ])
      args.push("--param", pair);
    const refused = await cli(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Azure Cloud is Custom, so Server URL must be set: ");
  });
});
