import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { clientCredentialsToken } from "./helpers.js";

// The built-in doubles of Resource Manager's security providers, the Log Analytics query API and the Key Vault data
// plane, called as a forwarding client does (x-forwarded-host names the Microsoft host) with real tokens.

const SUB = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const SENTINEL = `${SUB}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-ws/providers/Microsoft.SecurityInsights`;
const WORKSPACE_ID = "b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f";

// biome-ignore lint/suspicious/noExplicitAny: a test reads the services' JSON bodies field by field.
type Json = any;

let emulator: RunningEmulator;
const tokens: Record<string, string> = {};

async function call(
  host: string,
  path: string,
  options: { token?: string | undefined; method?: string; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: options.method ?? "GET",
    headers: {
      "x-forwarded-host": host,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  const noGrant = { client_id: DEMO_NO_GRANT_CLIENT_ID, client_secret: DEMO_NO_GRANT_CLIENT_SECRET };
  for (const [name, scope] of [
    ["arm", "https://management.azure.com/.default"],
    ["la", "https://api.loganalytics.io/.default"],
    ["kv", "https://vault.azure.net/.default"],
  ] as const) {
    tokens[name] = await clientCredentialsToken(emulator, { scope });
    tokens[`${name}-none`] = await clientCredentialsToken(emulator, { scope, ...noGrant });
  }
});
afterAll(() => emulator.close());

describe("Resource Manager: Sentinel, workspaces, Defender for Cloud, key vaults", () => {
  const arm = (path: string, options: { token?: string; method?: string; body?: unknown } = {}) =>
    call("management.azure.com", path, { token: tokens["arm"], ...options });

  it("checks api-version as Resource Manager does", async () => {
    const missing = await arm(`${SENTINEL}/incidents`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("MissingApiVersionParameter");
    const wrong = await arm(`${SENTINEL}/incidents?api-version=2099-01-01`);
    expect(wrong.body.error).toMatchObject({ code: "InvalidApiVersionParameter" });
    expect(wrong.body.error.message).toContain("'2099-01-01' is invalid");
    expect(wrong.body.error.message).toContain("2022-11-01");
  });

  it("serves incidents, 404s an unknown resource group or workspace, and 403s a caller without a role", async () => {
    const list = await arm(`${SENTINEL}/incidents?api-version=2022-11-01&$top=1`);
    expect(list.status).toBe(200);
    expect(list.body.value).toHaveLength(1);
    expect(list.body.nextLink).toMatch(/^https:\/\/management\.azure\.com\/.*\$skipToken=1/);
    const group = await arm(`${SENTINEL.replace("soc-rg", "other-rg")}/incidents?api-version=2022-11-01`);
    expect([group.status, group.body.error.code]).toEqual([404, "ResourceGroupNotFound"]);
    const workspace = await arm(
      `${SENTINEL.replace("soc-ws", "other-ws")}/watchlists?api-version=2022-11-01`,
    );
    expect([workspace.status, workspace.body.error.code]).toEqual([404, "ResourceNotFound"]);
    const denied = await arm(`${SENTINEL}/incidents?api-version=2022-11-01`, { token: tokens["arm-none"] });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("AuthorizationFailed");
    expect(denied.body.error.message).toContain("'Microsoft.SecurityInsights/incidents/read'");
  });

  it("a dismissed alert reads Dismissed afterwards; another emulator keeps its own seed", async () => {
    const alerts = await arm(`${SUB}/providers/Microsoft.Security/alerts?api-version=2022-01-01`);
    const name = alerts.body.value[0].name as string;
    const alert = `${SUB}/providers/Microsoft.Security/locations/centralus/alerts/${name}`;
    expect((await arm(`${alert}/dismiss?api-version=2022-01-01`, { method: "POST" })).status).toBe(204);
    expect((await arm(`${alert}?api-version=2022-01-01`)).body.properties.status).toBe("Dismissed");
    const other = await startEmulator({ port: 0 });
    try {
      const token = await clientCredentialsToken(other, { scope: "https://management.azure.com/.default" });
      const fresh = await fetch(`${other.url}${alert}?api-version=2022-01-01`, {
        headers: { authorization: `Bearer ${token}`, "x-forwarded-host": "management.azure.com" },
      });
      expect(((await fresh.json()) as Json).properties.status).toBe("Active");
    } finally {
      await other.close();
    }
  });

  it("adds an access policy that the vault then lists", async () => {
    const vault = `${SUB}/resourceGroups/soc-rg/providers/Microsoft.KeyVault/vaults/soc-vault`;
    const policy = {
      tenantId: DEMO_TENANT_ID,
      objectId: "11111111-2222-3333-4444-555555555555",
      permissions: { secrets: ["get"] },
    };
    const added = await arm(`${vault}/accessPolicies/add?api-version=2022-07-01`, {
      method: "PUT",
      body: { properties: { accessPolicies: [policy] } },
    });
    expect(added.status).toBe(200);
    const read = await arm(`${vault}?api-version=2022-07-01`);
    expect(read.body.properties.accessPolicies).toContainEqual(policy);
  });
});

describe("Log Analytics query API", () => {
  const la = (path: string, options: { token?: string; method?: string; body?: unknown } = {}) =>
    call("api.loganalytics.io", path, { token: tokens["la"], ...options });

  it("runs the KQL subset, with timespan", async () => {
    const result = await la(`/v1/workspaces/${WORKSPACE_ID}/query`, {
      method: "POST",
      body: { query: "SecurityEvent | where Computer == 'WIN-SRV-02' | project EventID", timespan: "PT2H" },
    });
    expect(result.status).toBe(200);
    expect(result.body.tables[0]).toEqual({
      name: "PrimaryResult",
      columns: [{ name: "EventID", type: "int" }],
      rows: [[4688]],
    });
  });

  it("answers a semantic error, an unknown workspace and a caller without access as the service does", async () => {
    const bad = await la(`/v1/workspaces/${WORKSPACE_ID}/query?query=Nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "BadArgumentError", innererror: { code: "SemanticError" } });
    const unknown = await la("/v1/workspaces/00000000-0000-0000-0000-000000000000/metadata");
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "WorkspaceNotFoundError"]);
    const denied = await la(`/v1/workspaces/${WORKSPACE_ID}/metadata`, { token: tokens["la-none"] });
    expect([denied.status, denied.body.error.code]).toEqual([403, "InsufficientAccessError"]);
    const user = emulator.issueAccessToken({
      tenantId: DEMO_TENANT_ID,
      resource: "log-analytics",
      scp: "openid",
    });
    expect((await la(`/v1/workspaces/${WORKSPACE_ID}/metadata`, { token: user })).status).toBe(403);
  });
});

describe("Key Vault data plane", () => {
  const kv = (path: string, options: { token?: string | undefined; method?: string; body?: unknown } = {}) =>
    call("soc-vault.vault.azure.net", path, { token: tokens["kv"], ...options });

  it("challenges a request without a token, checks api-version and the vault", async () => {
    const anonymous = await kv("/secrets?api-version=7.4", { token: undefined });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe(
      `Bearer authorization="${emulator.url}/${DEMO_TENANT_ID}", resource="https://vault.azure.net"`,
    );
    const noVersion = await kv("/secrets");
    expect([noVersion.status, noVersion.body.error.code]).toEqual([400, "BadParameter"]);
    const otherVault = await call("other.vault.azure.net", "/secrets?api-version=7.4", {
      token: tokens["kv"],
    });
    expect(otherVault.status).toBe(404);
  });

  it("pages secrets on the vault's host, stores a new version, and refuses a caller without an access policy", async () => {
    const first = await kv("/secrets?api-version=7.4&maxresults=1");
    expect(first.body.value).toHaveLength(1);
    expect(first.body.nextLink).toMatch(/^https:\/\/soc-vault\.vault\.azure\.net\/secrets\?.*\$skiptoken=1/);
    const set = await kv("/secrets/new-secret?api-version=7.4", { method: "PUT", body: { value: "v1" } });
    expect(set.body.id).toMatch(
      /^https:\/\/soc-vault\.vault\.azure\.net\/secrets\/new-secret\/[0-9a-f]{32}$/,
    );
    expect((await kv("/secrets/new-secret?api-version=7.4")).body.value).toBe("v1");
    const denied = await kv("/secrets?api-version=7.4", { token: tokens["kv-none"] });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: "Forbidden", innererror: { code: "AccessDenied" } });
    expect(denied.body.error.message).toContain(
      "does not have secrets list permission on key vault 'soc-vault",
    );
  });

  it("serves keys and certificates", async () => {
    const keys = await kv("/keys?api-version=7.4");
    expect(keys.body.value.map((key: { kid: string }) => key.kid.split("/").at(-1))).toEqual([
      "cmk",
      "signing-key",
      "web-tls",
    ]);
    const certificate = await kv("/certificates/web-tls?api-version=7.4");
    expect(certificate.body.policy.x509_props.subject).toBe("CN=portal.contoso.com");
  });
});
