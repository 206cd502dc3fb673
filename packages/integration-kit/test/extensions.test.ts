import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_FEDERATED_SUBJECT,
  DEMO_TENANT_ID,
  DEMO_WORKLOAD_CLIENT_ID,
  issueFederatedToken,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connect } from "../src/connect.js";
import { defineIntegration } from "../src/define.js";
import { AUTH_PARAMETERS, resolveParameterValues } from "../src/parameters.js";
import { graph } from "../src/resources/index.js";

const users = defineIntegration({
  id: "extension-users",
  displayName: "Extension Users",
  commandPrefix: "extension-users",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: false,
    nationalClouds: true,
  },
  resource: graph({ application: [".default"], delegated: ["User.Read.All"] }),
  commands: {
    "extension-users-count": {
      description: "Counts a page of users.",
      async run({ api }) {
        const page = await api.get<{ value: unknown[] }>("/v1.0/users", { $top: 3 });
        return { readable: `${page.value.length} users` };
      },
    },
  },
});

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
let emulator: RunningEmulator;
let dir: string;
const cloud = () => ({ azure_cloud: "Custom", azure_ad_endpoint: emulator.url, server_url: emulator.url });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), "msint-ext-"));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.clearRequests();
  emulator.faults.clear();
});

describe("Workload Identity (msint extension)", () => {
  it("sends the federated token file's JWT as client_assertion, reading the file for every token request", async () => {
    const tokenFile = join(dir, "azure-identity-token");
    writeFileSync(tokenFile, issueFederatedToken());
    // AKS workload identity injects these variables into the pod.
    const env = {
      AZURE_TENANT_ID: DEMO_TENANT_ID,
      AZURE_CLIENT_ID: DEMO_WORKLOAD_CLIENT_ID,
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    };
    const connection = connect(users, { params: { auth_type: "Workload Identity", ...cloud() }, env });
    expect((await connection.run("extension-users-count")).readable).toBe("3 users");
    const [request] = emulator.tokenRequests();
    expect(request?.grantType).toBe("client_credentials");
    expect(request?.clientId).toBe(DEMO_WORKLOAD_CLIENT_ID);
    expect(request?.clientAssertionType).toBe(JWT_BEARER);
    expect(request?.tenant).toBe(DEMO_TENANT_ID);

    // The platform rotates the file; a token for another service account is refused by Entra (AADSTS700213),
    // which proves the next acquisition read the file again.
    writeFileSync(tokenFile, issueFederatedToken({ subject: "system:serviceaccount:default:intruder" }));
    await expect(
      connection.credential.getToken(`${emulator.url}/.default`, { claims: '{"access_token":{}}' }),
    ).rejects.toThrow(/AADSTS700213/);
    writeFileSync(tokenFile, issueFederatedToken({ subject: DEMO_FEDERATED_SUBJECT }));
    const token = await connection.credential.getToken(`${emulator.url}/.default`, {
      claims: '{"access_token":{}}',
    });
    expect(token?.token).toBeTruthy();
  });

  it("takes tenant, client and file from the instance's parameters before the environment", async () => {
    const tokenFile = join(dir, "federated-param");
    writeFileSync(tokenFile, issueFederatedToken());
    const connection = connect(users, {
      params: {
        auth_type: "Workload Identity",
        tenant_id: DEMO_TENANT_ID,
        auth_id: DEMO_WORKLOAD_CLIENT_ID,
        federated_token_file: tokenFile,
        ...cloud(),
      },
      env: { AZURE_CLIENT_ID: DEMO_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE: "/nonexistent" },
    });
    await connection.run("extension-users-auth-test");
    expect(emulator.tokenRequests()[0]?.clientId).toBe(DEMO_WORKLOAD_CLIENT_ID);
  });

  it("names what is missing, and a token file that cannot be read", async () => {
    const missing = connect(users, { params: { auth_type: "Workload Identity", ...cloud() }, env: {} });
    await expect(missing.run("extension-users-auth-test")).rejects.toThrow(
      "The Workload Identity flow needs Tenant ID, App/Client ID, Federated token file.",
    );
    const unreadable = connect(users, {
      params: { auth_type: "Workload Identity", ...cloud() },
      env: {
        AZURE_TENANT_ID: DEMO_TENANT_ID,
        AZURE_CLIENT_ID: DEMO_WORKLOAD_CLIENT_ID,
        AZURE_FEDERATED_TOKEN_FILE: join(dir, "absent"),
      },
    });
    await expect(unreadable.run("extension-users-auth-test")).rejects.toThrow(
      /Federated token file: .*absent cannot be read \(ENOENT\)/,
    );
    expect(emulator.tokenRequests()).toHaveLength(0);
  });
});

describe("Environment (msint extension)", () => {
  it("signs in with AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET", async () => {
    const env = {
      AZURE_TENANT_ID: DEMO_TENANT_ID,
      AZURE_CLIENT_ID: DEMO_CLIENT_ID,
      AZURE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    };
    const connection = connect(users, { params: { auth_type: "Environment", ...cloud() }, env });
    expect((await connection.run("extension-users-count")).readable).toBe("3 users");
    expect(emulator.tokenRequests()[0]?.clientId).toBe(DEMO_CLIENT_ID);
  });

  it("signs in with a PEM file at AZURE_CLIENT_CERTIFICATE_PATH (key and certificate)", async () => {
    const certificate = emulator.demoCertificate!;
    const pem = join(dir, "client.pem");
    writeFileSync(pem, `${certificate.privateKeyPem}\n${certificate.certificatePem}`, { mode: 0o600 });
    const env = {
      AZURE_TENANT_ID: DEMO_TENANT_ID,
      AZURE_CLIENT_ID: DEMO_CERT_CLIENT_ID,
      AZURE_CLIENT_CERTIFICATE_PATH: pem,
    };
    const connection = connect(users, { params: { auth_type: "Environment", ...cloud() }, env });
    await connection.run("extension-users-auth-test");
    const [request] = emulator.tokenRequests();
    expect(request?.clientId).toBe(DEMO_CERT_CLIENT_ID);
    expect(request?.clientAssertionType).toBe(JWT_BEARER);
  });

  it("names the missing variables", async () => {
    const connection = connect(users, {
      params: { auth_type: "Environment", ...cloud() },
      env: { AZURE_TENANT_ID: DEMO_TENANT_ID },
    });
    await expect(connection.run("extension-users-auth-test")).rejects.toThrow(
      "The Environment flow needs AZURE_CLIENT_ID (the app registration's Directory and Application IDs).",
    );
    const noSecret = connect(users, {
      params: { auth_type: "Environment", ...cloud() },
      env: { AZURE_TENANT_ID: DEMO_TENANT_ID, AZURE_CLIENT_ID: DEMO_CLIENT_ID },
    });
    await expect(noSecret.run("extension-users-auth-test")).rejects.toThrow(/needs AZURE_CLIENT_SECRET/);
  });

  it("is refused by an integration without client credentials, naming the flows it has", () => {
    const delegatedOnly = defineIntegration({
      ...users.manifest,
      id: "delegated-only",
      flows: { ...users.manifest.flows, clientCredentials: false, deviceCode: true },
      commands: {},
    });
    expect(() => connect(delegatedOnly, { params: { auth_type: "Environment", ...cloud() } })).toThrow(
      "Extension Users does not support the Environment flow. It supports: Device Code.",
    );
  });
});

describe("file: references", () => {
  const definition = AUTH_PARAMETERS.enc_key;
  const resolve = (value: string) => resolveParameterValues([definition], { enc_key: value }, {});

  it("reads the file at run time, trims the trailing newline, and the store keeps the reference only", async () => {
    const path = join(dir, "client-secret");
    writeFileSync(path, `${DEMO_CLIENT_SECRET}\n`, { mode: 0o600 });
    expect(resolve(`file:${path}`)["enc_key"]).toBe(DEMO_CLIENT_SECRET);
    const connection = connect(users, {
      params: { tenant_id: DEMO_TENANT_ID, auth_id: DEMO_CLIENT_ID, enc_key: `file:${path}`, ...cloud() },
    });
    await connection.run("extension-users-auth-test");
    expect(emulator.tokenRequests()).toHaveLength(1);
  });

  it("refuses a file others can read, naming the parameter and the fix", () => {
    const path = join(dir, "open-secret");
    writeFileSync(path, "value");
    chmodSync(path, 0o644);
    expect(() => resolve(`file:${path}`)).toThrow(
      `Client Secret: refers to ${path}, which other users can read or write (mode 0644). Run chmod 600 ${path}`,
    );
  });

  it("refuses a directory, a missing file, a large file and a relative path", () => {
    const folder = join(dir, "folder");
    mkdirSync(folder, { mode: 0o700 });
    expect(() => resolve(`file:${folder}`)).toThrow(
      `Client Secret: refers to ${folder}, which is not a regular file.`,
    );
    expect(() => resolve(`file:${join(dir, "nope")}`)).toThrow(/which does not exist/);
    const big = join(dir, "big");
    writeFileSync(big, "x".repeat(70 * 1024), { mode: 0o600 });
    expect(() => resolve(`file:${big}`)).toThrow(/larger than 64 KiB/);
    expect(() => resolve("file:secrets/client")).toThrow(/is not an absolute path/);
  });
});

describe("OpenTelemetry", () => {
  it("records a span per token acquisition and per API call, without secrets in attributes", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    try {
      const connection = connect(users, {
        params: {
          tenant_id: DEMO_TENANT_ID,
          auth_id: DEMO_CLIENT_ID,
          enc_key: DEMO_CLIENT_SECRET,
          ...cloud(),
        },
      });
      await connection.run("extension-users-count");
      const spans = exporter.getFinishedSpans();
      const token = spans.find((span) => span.name === "msint.token");
      const api = spans.find((span) => span.name === "msint.api GET");
      expect(token?.attributes["msint.flow"]).toBe("client-credentials");
      expect(token?.attributes["msint.scopes"]).toEqual([`${emulator.url}/.default`]);
      expect(token?.attributes["msint.token.from_cache"]).toBe(false);
      expect(api?.attributes["http.request.method"]).toBe("GET");
      expect(api?.attributes["url.path"]).toBe("/v1.0/users");
      expect(api?.attributes["http.response.status_code"]).toBe(200);
      const sent = emulator.requests.find((entry) => entry.path === "/v1.0/users");
      expect(api?.attributes["msint.client_request_id"]).toBe(sent?.headers["x-ms-client-request-id"]);
      const everything = JSON.stringify(
        spans.map((span) => ({ name: span.name, attributes: span.attributes })),
      );
      expect(everything).not.toContain(DEMO_CLIENT_SECRET);
      expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT
      expect(everything).not.toContain("$top");
    } finally {
      trace.disable();
      await provider.shutdown();
    }
  });
});
