import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  createClientSecretStrategy,
  createManagedIdentityStrategy,
  createTransport,
  type FlowStrategy,
  type IntegrationContext,
  MemoryStore,
  TokenProvider,
  toTokenCredential,
} from "@msint/auth-core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const CLIENT = join(here, "fixtures", "azure-sdk-client.mjs");

let emulator: RunningEmulator;

// The shapes below follow Microsoft's REST references (search corpus "docs"):
// - Key Vault "Get Secret": GET {vaultBaseUrl}/secrets/{secret-name}/{secret-version}?api-version=7.4 → SecretBundle
//   { value, id, attributes }; a request without a token gets 401 with `WWW-Authenticate: Bearer
//   authorization="https://login.microsoftonline.com/<tenant>", resource="https://vault.azure.net"`.
// - Blob "List Containers": GET https://<account>.blob.core.windows.net/?comp=list → EnumerationResults XML;
//   OAuth with the scope https://storage.azure.com/.default and `x-ms-version` ≥ 2017-11-09.
// - Graph "List users": GET /v1.0/users (served by the emulator's Graph double).
// - CAE: a 401 with `WWW-Authenticate: Bearer … error="insufficient_claims", claims="<base64 JSON>"`; the client
//   asks for a new token with that `claims` (learn.microsoft.com/entra/identity-platform/claims-challenge).
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, proxy: true });
  emulator.registerResource("keyvault", ["https://vault.azure.net"], {
    challenge: { resource: "https://vault.azure.net" },
  });
  emulator.registerResource("storage", ["https://storage.azure.com"]);
  // The SDK asks for the latest version as /secrets/<name>/ (an empty version segment).
  const getSecret: Parameters<RunningEmulator["addRoute"]>[3] = (context) => {
    // Key Vault data-plane versions are 7.x (7.4 is the one the REST reference documents; newer SDKs send 7.6).
    if (!/^7\.\d+$/.test(context.query["api-version"] ?? ""))
      return context.error(400, "BadParameter", "api-version is missing or unsupported");
    const name = context.params["name"]!;
    return context.json(200, {
      value: `value-of-${name}`,
      id: `https://msint-demo.vault.azure.net/secrets/${name}/0123456789abcdef0123456789abcdef`,
      attributes: {
        enabled: true,
        created: 1_700_000_000,
        updated: 1_700_000_000,
        recoveryLevel: "Recoverable",
      },
    });
  };
  emulator.addRoute("GET", "/secrets/:name", { resource: "keyvault" }, getSecret);
  emulator.addRoute("GET", "/secrets/:name/*", { resource: "keyvault" }, getSecret);
  emulator.addRoute("GET", "/", { resource: "storage" }, (context) => {
    if (context.query["comp"] !== "list") return context.error(400, "InvalidQueryParameterValue", "comp");
    return {
      status: 200,
      headers: { "content-type": "application/xml", "x-ms-version": context.headers["x-ms-version"] ?? "" },
      body:
        '<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://msintdemo.blob.core.windows.net/">' +
        "<Containers><Container><Name>evidence</Name><Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified>" +
        '<Etag>"0x8DC0000000000001"</Etag></Properties></Container><Container><Name>logs</Name><Properties>' +
        '<Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>"0x8DC0000000000002"</Etag></Properties></Container>' +
        "</Containers><NextMarker /></EnumerationResults>",
    };
  });
}, 60_000);
afterAll(async () => {
  await emulator?.close();
});

async function sdkClient(scenario: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [CLIENT, scenario], {
    cwd: here,
    timeout: 90_000,
    env: {
      PATH: process.env["PATH"],
      HTTPS_PROXY: emulator.proxyUrl,
      NODE_EXTRA_CA_CERTS: emulator.caCertFile,
      SDK_TENANT_ID: DEMO_TENANT_ID,
      SDK_CLIENT_ID: DEMO_CLIENT_ID,
      SDK_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

describe("Azure SDK clients with an msint TokenCredential", () => {
  it("SecretClient: the Key Vault challenge, then a CAE claims challenge whose claims reach the token request", async () => {
    emulator.clearRequests();
    const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" } } });
    emulator.faults.inject({
      match: "/secrets/cae-secret",
      status: 401,
      body: JSON.stringify({ error: { code: "Unauthorized", message: "Token revoked by CAE." } }),
      headers: {
        "www-authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from(claims).toString("base64")}"`,
      },
    });
    const result = await sdkClient("keyvault");
    expect(result).toEqual({ first: "value-of-warm-up", second: "value-of-cae-secret" });
    const secretRequests = emulator.requests.filter((entry) => entry.path.startsWith("/secrets/"));
    // The SDK's first request has no token and gets the challenge; the next ones carry the vault token.
    expect(secretRequests[0]!.status).toBe(401);
    expect(secretRequests[0]!.headers["authorization"]).toBeUndefined();
    expect(secretRequests.at(-1)!.status).toBe(200);
    expect(secretRequests.every((entry) => entry.host === "msint-demo.vault.azure.net")).toBe(true);
    expect(secretRequests.every((entry) => /^7\.\d+$/.test(entry.query["api-version"] ?? ""))).toBe(true);
    const tokens = emulator.tokenRequests();
    expect(tokens.map((entry) => entry.scope)).toEqual([
      "https://vault.azure.net/.default",
      "https://vault.azure.net/.default",
    ]);
    expect(tokens[0]!.tenant).toBe(DEMO_TENANT_ID);
    expect(tokens[0]!.claims).toBeUndefined();
    // The second token request carries the challenge's claims (MSAL may merge client capabilities in).
    expect(JSON.parse(tokens[1]!.claims!)).toMatchObject(JSON.parse(claims));
  }, 120_000);

  it("BlobServiceClient: lists containers with a bearer token for storage", async () => {
    emulator.clearRequests();
    const result = await sdkClient("blob");
    expect(result).toEqual({ containers: ["evidence", "logs"] });
    const listing = emulator.requests.find((entry) => entry.host === "msintdemo.blob.core.windows.net");
    expect(listing?.query["comp"]).toBe("list");
    expect(listing?.headers["x-ms-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(emulator.tokenRequests().map((entry) => entry.scope)).toEqual([
      "https://storage.azure.com/.default",
    ]);
  }, 120_000);

  it("Microsoft Graph client with TokenCredentialAuthenticationProvider: lists users", async () => {
    emulator.clearRequests();
    const result = await sdkClient("graph");
    expect((result["users"] as string[]).length).toBe(2);
    const users = emulator.requests.find((entry) => entry.path === "/v1.0/users");
    expect(users?.host).toBe("graph.microsoft.com");
    expect(users?.status).toBe(200);
    expect(emulator.tokenRequests().map((entry) => entry.scope)).toEqual([
      "https://graph.microsoft.com/.default",
    ]);
  }, 120_000);
});

function memoryProvider(strategy: FlowStrategy) {
  const store = new MemoryStore<{ context?: IntegrationContext }>();
  return new TokenProvider(strategy, {
    read: async () => (await store.read("i"))?.context,
    update: async (fn) => {
      let next: IntegrationContext | undefined;
      await store.update("i", async (current) => {
        next = await fn(current?.context);
        return { context: next ?? {} };
      });
      return next;
    },
  });
}

describe("toTokenCredential options", () => {
  const scope = () => `${emulator.url}/.default`;
  const clientCredentials = () =>
    createClientSecretStrategy({
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      loginHost: emulator.url,
      transport: createTransport({ maxRetries: 0 }),
    });

  it("tenantId: client credentials ask the other tenant's token endpoint and cache that token apart", async () => {
    const other = "5b7c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";
    // The demo app as a multi-tenant app with a service principal in a second tenant.
    const home = emulator.seed.tenants[0]!;
    const app = home.apps.find((candidate) => candidate.clientId === DEMO_CLIENT_ID)!;
    if (!emulator.seed.tenants.some((tenant) => tenant.id === other)) {
      emulator.seed.tenants.push({
        id: other,
        displayName: "Fabrikam",
        domains: ["fabrikam.onmicrosoft.com"],
        apps: [{ ...app, servicePrincipalId: "6c8d0e2f-3a4b-4c5d-9e6f-7a8b9c0d1e2f" }],
        users: [],
      });
    }
    emulator.clearRequests();
    const credential = toTokenCredential(memoryProvider(clientCredentials()));
    const own = await credential.getToken(scope());
    const foreign = await credential.getToken(scope(), { tenantId: other });
    const claimsOf = (token: string) =>
      JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { tid: string };
    expect(claimsOf(own!.token).tid).toBe(DEMO_TENANT_ID);
    expect(claimsOf(foreign!.token).tid).toBe(other);
    expect(emulator.tokenRequests().map((entry) => entry.tenant)).toEqual([DEMO_TENANT_ID, other]);
    // Asking again for either tenant is served from the cache.
    await credential.getToken(scope(), { tenantId: other });
    await credential.getToken(scope(), { tenantId: DEMO_TENANT_ID });
    expect(emulator.tokenRequests()).toHaveLength(2);
  });

  it("tenantId: a managed identity refuses another tenant clearly, and accepts its own", async () => {
    // IMDS redirected to the emulator by @azure/identity's own variable.
    process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = emulator.url;
    const managed = createManagedIdentityStrategy({
      resource: emulator.url,
      transport: createTransport({ maxRetries: 0 }),
    });
    const credential = toTokenCredential(memoryProvider(managed));
    await expect(
      credential.getToken(scope(), { tenantId: "5b7c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f" }),
    ).rejects.toThrow(
      /The Azure Managed Identities flow cannot get a token from tenant 5b7c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f: its tokens come from tenant 84ed19dd-c7b0-4f61-8aa4-45d0ce7e6970 only/,
    );
    const own = await credential.getToken(scope(), { tenantId: DEMO_TENANT_ID });
    expect(own?.token).toBeTruthy();
  });

  it("abortSignal: cancels an in-flight token request", async () => {
    emulator.clearRequests();
    emulator.faults.inject({ match: "/oauth2/v2.0/token", delayMs: 20_000 });
    const credential = toTokenCredential(memoryProvider(clientCredentials()));
    const controller = new AbortController();
    const pending = credential.getToken(scope(), { abortSignal: controller.signal });
    // Abort once the token request is on the wire (the emulator has it, and holds its answer back).
    while (!emulator.tokenRequests().some((entry) => entry.status === 0)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    const error = (await pending.then(
      () => undefined,
      (caught: unknown) => caught,
    )) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AbortError");
    expect(error.message).toBe("The token request was cancelled.");
    emulator.faults.clear();
  });

  it("abortSignal: an already aborted signal fails at once, without a request", async () => {
    emulator.clearRequests();
    const credential = toTokenCredential(memoryProvider(clientCredentials()));
    await expect(credential.getToken(scope(), { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(emulator.tokenRequests()).toHaveLength(0);
  });
});
