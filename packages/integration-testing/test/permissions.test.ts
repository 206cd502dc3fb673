import { DEMO_NO_GRANT_CLIENT_ID, DEMO_NO_GRANT_CLIENT_SECRET } from "@msint/entra-emulator";
import { azureResourceManager, defineIntegration, graph, permissionReport } from "@msint/integration-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../src/index.js";

// What `-auth-test` and `-test` say about permissions, through a real client-credentials or authorization-code
// sign-in against the emulator: the token's `roles`/`scp` against what the test and each command declare.
// Permissions as Microsoft's Graph reference lists them: user-list (User.Read.All), user-update
// (User.ReadWrite.All), security-list-alerts_v2 (SecurityAlert.Read.All).

const sample = defineIntegration({
  id: "perm-sample",
  displayName: "Permission Sample",
  commandPrefix: "perm",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: false,
    nationalClouds: false,
  },
  resource: graph({ delegated: ["User.Read"] }),
  additionalResources: { arm: azureResourceManager() },
  async test({ api }) {
    await api.get("/v1.0/users", { $top: 1 });
  },
  testPermissions: [
    { application: ["User.Read.All", "Directory.Read.All"], delegated: ["User.ReadBasic.All"] },
    { resource: "arm", rbac: ["Reader"] },
  ],
  commands: {
    "perm-list-users": {
      description: "Lists users.",
      permissions: { application: ["User.Read.All"], delegated: ["User.ReadBasic.All"] },
      run: async ({ api }) => ({ readable: "", raw: await api.get("/v1.0/users", { $top: 1 }) }),
    },
    "perm-update-user": {
      description: "Updates a user.",
      permissions: { application: ["User.ReadWrite.All"], delegated: ["User.ReadWrite.All"] },
      run: async () => ({ readable: "updated" }),
    },
    "perm-list-alerts": {
      description: "Lists alerts.",
      permissions: { application: ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"] },
      run: async ({ api }) => ({ readable: "", raw: await api.get("/v1.0/security/alerts_v2") }),
    },
  },
});

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness(sample, { grants: { graph: ["User.Read.All"] } });
  harness.emulator.addRoute(
    "GET",
    "/v1.0/security/alerts_v2",
    { resource: "graph", roles: ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"] },
    (context) => context.json(200, { value: [] }),
  );
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("-auth-test", () => {
  it("prints the token's roles, what the test needs, and the commands that lack theirs", async () => {
    const result = await harness.run("perm-auth-test");
    expect(result.readable).toBe(
      [
        "✅ Success!",
        "Granted in the token, Application (roles): User.Read.All.",
        "Needed by perm-test: User.Read.All (or Directory.Read.All) (granted).",
        "⚠️ Missing for 2 commands (they will answer 403 until granted):",
        "- perm-update-user: User.ReadWrite.All",
        "- perm-list-alerts: SecurityAlert.Read.All (or SecurityAlert.ReadWrite.All)",
        "Azure RBAC (checked by the service, not in the token): the identity needs Reader on the resource.",
      ].join("\n"),
    );
    // No API request: only the token.
    expect(harness.calls).toEqual([]);
  });

  it("fails with the missing role named, where to add it and what to run, for an app without it", async () => {
    const failure = harness.run(
      "perm-auth-test",
      {},
      {
        auth_id: DEMO_NO_GRANT_CLIENT_ID,
        enc_key: DEMO_NO_GRANT_CLIENT_SECRET,
      },
    );
    await expect(failure).rejects.toMatchObject({ name: "MissingPermissionError", exitCode: 1 });
    const message = (await failure.catch((error: Error) => error.message)) as string;
    expect(message).toContain(
      "The access token lacks the application permission User.Read.All (or Directory.Read.All), which perm-test needs to call Microsoft Graph.",
    );
    expect(message).toContain(
      "App registrations → your app → API permissions → Add a permission → Microsoft Graph → Application permissions, then Grant admin consent.",
    );
    expect(message).toContain("Then run !perm-auth-reset and !perm-auth-test.");
    expect(message).toContain("Granted in the token, Application (roles): none.");
    expect(harness.calls).toEqual([]);
  });
});

describe("-test", () => {
  it("calls every resource once at least, counted at the emulator, and names each request it made", async () => {
    const result = await harness.run("perm-test");
    const served = harness.emulator.requests.filter((request) => request.service !== undefined);
    expect(served.map((request) => request.service)).toEqual(["graph", "arm"]);
    // The manifest's test reached Graph; the Resource Manager probe lists subscriptions (api-version 2022-12-01,
    // learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.calls.map((call) => `${call.method} ${call.host}${call.path}`)).toEqual([
      "GET graph.microsoft.com/v1.0/users",
      "GET management.azure.com/subscriptions",
    ]);
    expect(harness.calls[1]!.query).toEqual({ "api-version": "2022-12-01" });
    expect(result.readable).toContain(
      [
        "✅ Success! Permission Sample authenticated with Client Credentials and reached:",
        "- Microsoft Graph: GET graph.microsoft.com/v1.0/users → 200",
        "- Azure Resource Manager: GET management.azure.com/subscriptions → 200",
      ].join("\n"),
    );
    expect(result.readable).toContain(
      "Azure RBAC (checked by the service, not in the token): the identity needs Reader on the resource.",
    );
  });

  it("fails before any request when the token lacks the test's role", async () => {
    await expect(
      harness.run(
        "perm-test",
        {},
        { auth_id: DEMO_NO_GRANT_CLIENT_ID, enc_key: DEMO_NO_GRANT_CLIENT_SECRET },
      ),
    ).rejects.toThrow("lacks the application permission User.Read.All");
    expect(harness.calls).toEqual([]);
  });
});

describe("a command's 403", () => {
  it("names the permission the command declares", async () => {
    const failure = await harness.run("perm-list-alerts").catch((error: Error) => error);
    expect(failure).toMatchObject({ name: "ApiError", status: 403 });
    expect((failure as Error).message).toContain(
      "perm-list-alerts needs: application permission SecurityAlert.Read.All (or SecurityAlert.ReadWrite.All).",
    );
  });
});

describe("delegated tokens", () => {
  it("compares the user's scopes (scp) and names the delegated permission the test lacks", async () => {
    const instance = await harness.instance({
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("perm-generate-login-url");
    const redirected = await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl);
    await instance.set({ auth_code: redirected });
    const failure = await instance.run("perm-auth-test").catch((error: Error) => error);
    expect((failure as Error).message).toContain(
      "The access token lacks the delegated permission User.ReadBasic.All, which perm-test needs to call Microsoft Graph.",
    );
    expect((failure as Error).message).toContain("→ Microsoft Graph → Delegated permissions");
    expect((failure as Error).message).toMatch(/Granted in the token, Delegated \(scp\): .*User\.Read\b/);
  });
});

describe("a token that is not a JWT", () => {
  it("is said to be uninspectable, never a failure", () => {
    const report = permissionReport(sample.manifest, "opaque-token-of-another-issuer");
    expect(report).toEqual({
      lines: [
        "The access token is not a JWT, so its permissions cannot be inspected.",
        "Azure RBAC (checked by the service, not in the token): the identity needs Reader on the resource.",
      ],
      missingForTest: [],
    });
  });
});
