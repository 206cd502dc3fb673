// Azure Active Directory Applications against the emulator's built-in Graph doubles and their seeded service
// principals (no routes added by the test): client credentials and the integration's device code flow. Request
// shapes from learn.microsoft.com/graph/api: serviceprincipal-list (GET /servicePrincipals, $top, $select,
// $filter), serviceprincipal-get (GET /servicePrincipals/{id} or the alternate key /servicePrincipals(appId='…')),
// serviceprincipal-update (PATCH, 204) and serviceprincipal-delete (DELETE, 204).
import { type Harness, NO_GRANT_PARAMS, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const HR = { id: "5f2b4c1a-9e8d-4a7b-b6c5-d4e3f2a1b0c9", appId: "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d" };
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

let harness: Harness;

const noGrantParams = () => ({ ...NO_GRANT_PARAMS });

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("commands through client credentials", () => {
  it("msgraph-apps-service-principal-list filters the seeded service principals", async () => {
    const result = await harness.run("msgraph-apps-service-principal-list", {
      limit: "5",
      filter: "startswith(displayName,'Contoso')",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/servicePrincipals",
    });
    expect(call.query).toMatchObject({ $top: "5", $filter: "startswith(displayName,'Contoso')" });
    expect(call.query["$select"]).toContain("servicePrincipalType");
    expect(result.outputs).toEqual([
      {
        id: HR.id,
        appId: HR.appId,
        displayName: "Contoso HR",
        accountEnabled: true,
        servicePrincipalType: "Application",
        appOwnerOrganizationId: "2d6b1c0e-5a4f-4e3d-9c8b-7a6f5e4d3c2b",
        notes: null,
        appRoleAssignmentRequired: null,
        preferredSingleSignOnMode: null,
        replyUrls: null,
      },
    ]);
  });

  it("msgraph-apps-service-principal-get by object ID and by app ID (the alternate key)", async () => {
    const byId = await harness.run("msgraph-apps-service-principal-get", { id: HR.id });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/servicePrincipals/${HR.id}` });
    expect(byId.outputs).toMatchObject({ displayName: "Contoso HR" });
    const byAppId = await harness.run("msgraph-apps-service-principal-get", { app_id: GRAPH_APP_ID });
    expect(harness.lastCall().path).toBe(`/v1.0/servicePrincipals(appId='${GRAPH_APP_ID}')`);
    expect(byAppId.outputs).toMatchObject({
      displayName: "Microsoft Graph",
      appOwnerOrganizationId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    });
  });

  it("-update disables sign-in (a later get shows it) and -remove deletes (a later get answers 404)", async () => {
    await harness.run("msgraph-apps-service-principal-update", {
      id: HR.id,
      account_enabled: "false",
      notes: "Blocked by the SOC",
    });
    expect(harness.lastCall()).toMatchObject({ method: "PATCH", path: `/v1.0/servicePrincipals/${HR.id}` });
    expect(harness.lastCall().body).toEqual({ accountEnabled: false, notes: "Blocked by the SOC" });
    const updated = await harness.run("msgraph-apps-service-principal-get", { app_id: HR.appId });
    expect(updated.outputs).toMatchObject({ accountEnabled: false, notes: "Blocked by the SOC" });

    const removed = await harness.run("msgraph-apps-service-principal-remove", { app_id: HR.appId });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/servicePrincipals(appId='${HR.appId}')`,
    });
    expect(removed.readable).toBe(`Service ${HR.appId} was deleted.`);
    await expect(harness.run("msgraph-apps-service-principal-get", { id: HR.id })).rejects.toThrow(
      "Request_ResourceNotFound",
    );
  });
});

describe("XSOAR's update arguments and client secrets", () => {
  it("-update takes app_role_assignment_required, preferred_single_sign_on_mode and reply_urls", async () => {
    const graphApp = await harness.run("msgraph-apps-service-principal-list", { limit: "1" });
    const id = (graphApp.outputs as Array<{ id: string }>)[0]!.id;
    await harness.run("msgraph-apps-service-principal-update", {
      id,
      app_role_assignment_required: "true",
      preferred_single_sign_on_mode: "saml",
      reply_urls: "https://app.contoso.com/sso, https://app.contoso.com/sso2",
    });
    // learn.microsoft.com/graph/api/serviceprincipal-update: PATCH with appRoleAssignmentRequired,
    // preferredSingleSignOnMode and replyUrls (a string collection).
    expect(harness.lastCall().body).toEqual({
      appRoleAssignmentRequired: true,
      preferredSingleSignOnMode: "saml",
      replyUrls: ["https://app.contoso.com/sso", "https://app.contoso.com/sso2"],
    });
    const after = await harness.run("msgraph-apps-service-principal-get", { id });
    expect(after.outputs).toMatchObject({
      appRoleAssignmentRequired: true,
      preferredSingleSignOnMode: "saml",
      replyUrls: ["https://app.contoso.com/sso", "https://app.contoso.com/sso2"],
    });
  });

  it("-password-add returns the new secret once; -password-remove removes it by key ID", async () => {
    const listed = await harness.run("msgraph-apps-service-principal-list", { limit: "1" });
    const app = (listed.outputs as Array<{ id: string; appId: string }>)[0]!;
    const added = await harness.run("msgraph-apps-service-principal-password-add", {
      app_id: app.appId,
      display_name: "SOC rotation",
      end_date_time: "2027-06-30T00:00:00Z",
    });
    // learn.microsoft.com/graph/api/serviceprincipal-addpassword: POST …/addPassword {passwordCredential}.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/servicePrincipals(appId='${app.appId}')/addPassword`,
      body: { passwordCredential: { displayName: "SOC rotation", endDateTime: "2027-06-30T00:00:00Z" } },
    });
    const credential = added.outputs as { keyId: string; secretText: string; hint: string };
    expect(credential).toMatchObject({ displayName: "SOC rotation", endDateTime: "2027-06-30T00:00:00Z" });
    expect(credential.secretText.startsWith(credential.hint)).toBe(true);
    expect(added.readable).not.toContain(credential.secretText);

    const removed = await harness.run("msgraph-apps-service-principal-password-remove", {
      id: app.id,
      key_id: credential.keyId,
    });
    // learn.microsoft.com/graph/api/serviceprincipal-removepassword: POST …/removePassword {keyId}, 204.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/servicePrincipals/${app.id}/removePassword`,
      body: { keyId: credential.keyId },
    });
    expect(removed.readable).toBe(`The password ${credential.keyId} was removed from ${app.id}.`);
    await expect(
      harness.run("msgraph-apps-service-principal-password-remove", { id: app.id, key_id: credential.keyId }),
    ).rejects.toThrow("No password credential found");
  });
});

describe("commands through the device code flow", () => {
  it("auth-start, the user approves, auth-complete; then the delegated token lists and reads", async () => {
    const publicClient = harness.emulator.seed.tenants[0]!.apps.find((app) => app.publicClient)!;
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Device Code",
      auth_id: publicClient.clientId,
    });
    await instance.set({ enc_key: undefined });
    await instance.run("msgraph-apps-auth-start");
    const code = harness.emulator.lastDeviceCode()!;
    expect(code.scope).toContain("Application.ReadWrite.All");
    harness.emulator.approveDeviceCode(code.userCode, "adelev@contoso.onmicrosoft.com");
    await instance.run("msgraph-apps-auth-complete");
    const list = await instance.run("msgraph-apps-service-principal-list", { limit: "3" });
    expect(list.outputs).toHaveLength(3);
    const one = await instance.run("msgraph-apps-service-principal-get", { app_id: GRAPH_APP_ID });
    expect(one.outputs).toMatchObject({ displayName: "Microsoft Graph" });
    expect(
      harness.emulator.tokenRequests().some((request) => request.grantType?.includes("device_code")),
    ).toBe(true);
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads service principals at the emulator and names what it reached", async () => {
    const result = await harness.run("msgraph-apps-test");
    expect(harness.emulator.requests.filter((request) => request.service === "graph").length).toBeGreaterThan(
      0,
    );
    expect(result.readable).toContain(
      "- Microsoft Graph: GET graph.microsoft.com/v1.0/servicePrincipals → 200",
    );
  });

  it("-auth-test with an app without Application.Read.All fails naming it", async () => {
    await expect(harness.run("msgraph-apps-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission Application\.Read\.All/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("msgraph-apps-service-principal-remove", { id: HR.id }, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain(
      "msgraph-apps-service-principal-remove needs: application permission Application.ReadWrite.OwnedBy",
    );
  });
});

describe("XSOAR's built-in public client", () => {
  it("an instance without an App/Client ID starts device code with 6b071e63-f701-454b-9e54-ede4c96483e6", async () => {
    // The App/Client ID default of XSOAR's yml (data/xsoar/azure-active-directory-applications.json, builtInClientId).
    expect(integration.parameter("auth_id")?.defaultValue).toBe("6b071e63-f701-454b-9e54-ede4c96483e6");
    const instance = await harness.instance({
      auth_type: "Device Code",
      auth_id: undefined,
      enc_key: undefined,
      self_deployed: undefined,
    });
    // The emulator's Contoso has no such app, so the sign-in stops there; the request on the wire is what counts
    // (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code: POST /{tenant}/oauth2/v2.0/devicecode).
    await instance.run("msgraph-apps-auth-start").catch(() => undefined);
    const request = harness.requests.find((candidate) => candidate.path.endsWith("/oauth2/v2.0/devicecode"));
    expect(new URLSearchParams(String(request?.body)).get("client_id")).toBe(
      "6b071e63-f701-454b-9e54-ede4c96483e6",
    );
  });
});
