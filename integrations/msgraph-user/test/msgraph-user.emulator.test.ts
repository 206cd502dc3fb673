// Microsoft Graph User against the emulator's built-in Graph doubles (no routes added by the test): every command
// through client credentials and through an authorization-code sign-in, the requests as Microsoft documents them
// (learn.microsoft.com/graph/api/user-list: GET /users with $select, $top and $filter; /user-get: GET
// /users/{id | userPrincipalName} with $select), -test counted at the emulator, and the permission diagnosis.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";
import { ZipCryptoKeys } from "../src/zip.js";

const ADELE = "6e7b768e-07e2-4810-8459-485f84f8f204";
const ALEX = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
const DIEGO = "626cbf8c-5dde-46b0-8385-9e40d64736fe";
const MEGAN = "08fa38e4-cbfa-4488-94ed-c834da6539df";
const LYNNE = "e3d0513b-449e-4198-ba6f-bd97ae7cae85";

let harness: Harness;

const noGrantApp = () =>
  harness.emulator.seed.tenants[0]!.apps.find(
    (app) => app.secrets?.length && !Object.values(app.grants ?? {}).some((roles) => roles.length > 0),
  )!;
const noGrantParams = () => ({ auth_id: noGrantApp().clientId, enc_key: noGrantApp().secrets![0]!.value });

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("commands through client credentials", () => {
  it("msgraph-user-list filters the seeded users", async () => {
    const result = await harness.run("msgraph-user-list", {
      filter: "startswith(displayName,'Megan')",
      properties: "displayName,department",
      limit: "5",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/users",
      query: { $top: "5", $filter: "startswith(displayName,'Megan')", $select: "id,displayName,department" },
    });
    expect(result.outputs).toEqual([
      { ID: "08fa38e4-cbfa-4488-94ed-c834da6539df", DisplayName: "Megan Bowen", Department: "Marketing" },
    ]);
    expect(result.readable).toContain("|Megan Bowen|");
  });

  it("msgraph-user-get reads one user by object ID", async () => {
    const result = await harness.run("msgraph-user-get", { user: "87d349ed-44d7-43e1-9a83-5f2406dee5bd" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd",
    });
    expect(harness.lastCall().query["$select"]).toContain("accountEnabled");
    expect(result.outputs).toMatchObject({
      DisplayName: "Alex Wilber",
      UserPrincipalName: "alexw@contoso.onmicrosoft.com",
      AccountEnabled: true,
    });
  });
});

describe("commands through an authorization-code sign-in", () => {
  it("signs in as the demo user and lists and reads users with the delegated token", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("msgraph-user-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    const list = await instance.run("msgraph-user-list", { limit: "3" });
    // The next-page entry (MSGraphUser.NextPage), then the three users.
    expect((list.outputs as unknown[]).length).toBe(4);
    const one = await instance.run("msgraph-user-get", { user: "lynner@contoso.onmicrosoft.com" });
    expect(one.outputs).toMatchObject({ DisplayName: "Lynne Robbins", AccountEnabled: false });
    expect(harness.emulator.tokenRequests().at(-1)).toMatchObject({ grantType: "authorization_code" });
  });
});

describe("change-password-on-premise through a signed-in administrator", () => {
  // learn.microsoft.com/graph/api/authentication-list-passwordmethods (GET .../passwordMethods) and
  // /authenticationmethod-resetpassword (POST .../methods/{id}/resetPassword {newPassword}, 202 Accepted; delegated
  // UserAuthenticationMethod.ReadWrite.All only).
  it("reads the password method and resets the password with the delegated token", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("msgraph-user-generate-login-url");
    await instance.set({ auth_code: await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl) });
    const result = await instance.run("msgraph-user-change-password-on-premise", {
      user: "alexw@contoso.onmicrosoft.com",
      nonsensitive_password: "0nPrem!Reset#9",
    });
    const [list, reset] = harness.calls.slice(-2);
    expect(list).toMatchObject({
      method: "GET",
      path: "/v1.0/users/alexw@contoso.onmicrosoft.com/authentication/passwordMethods",
    });
    expect(reset).toMatchObject({
      method: "POST",
      path: "/v1.0/users/alexw@contoso.onmicrosoft.com/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword",
      body: { newPassword: "0nPrem!Reset#9" },
    });
    expect(result.readable).toBe(
      "The password of user alexw@contoso.onmicrosoft.com has been changed successfully.",
    );
  });

  it("an app-only token is refused, naming the delegated permission", async () => {
    const error = await harness
      .run("msgraph-user-change-password-on-premise", { user: ALEX, password: "0nPrem!Reset#9" })
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain("UserAuthenticationMethod.ReadWrite.All");
  });

  it("refuses two different passwords before any request", async () => {
    await expect(
      harness.run("msgraph-user-change-password-on-premise", {
        user: ALEX,
        password: "a",
        nonsensitive_password: "b",
      }),
    ).rejects.toThrow("password and nonsensitive_password differ");
    expect(harness.calls).toHaveLength(0);
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads users at the emulator and names what it reached", async () => {
    const result = await harness.run("msgraph-user-test");
    const graph = harness.emulator.requests.filter((request) => request.service === "graph");
    expect(graph.length).toBeGreaterThanOrEqual(1);
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/users → 200");
  });

  it("-auth-test with an app without User.Read.All fails naming the permission", async () => {
    await expect(harness.run("msgraph-user-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission User\.Read\.All/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("msgraph-user-get", { user: "alexw@contoso.onmicrosoft.com" }, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain("msgraph-user-get needs: application permission User.Read.All");
  });
});

// The commands XSOAR's Microsoft Graph User has beside list and get, against the same seeded tenant. Request shapes
// from learn.microsoft.com/graph/api: user-update (PATCH /users/{id | userPrincipalName}), user-post-users (POST
// /users), user-delete (DELETE /users/{id}), user-list-directreports, user-list-manager, user-post-manager (PUT
// /users/{id}/manager/$ref with {"@odata.id": "https://graph.microsoft.com/v1.0/users/{id}"}),
// user-revokesigninsessions (POST /users/{id}/revokeSignInSessions), authentication-list-methods (GET
// /users/{id}/authentication/methods), authentication-list/post-temporaryaccesspassmethods and
// temporaryaccesspassauthenticationmethod-delete.
describe("XSOAR's user management commands through client credentials", () => {
  it("account-disable and unblock PATCH accountEnabled, and msgraph-user-get shows the change", async () => {
    const disabled = await harness.run("msgraph-user-account-disable", {
      user: "alexw@contoso.onmicrosoft.com",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: "/v1.0/users/alexw@contoso.onmicrosoft.com",
      body: { accountEnabled: false },
    });
    expect(disabled.readable).toBe(
      'user: "alexw@contoso.onmicrosoft.com" account has been disabled successfully.',
    );
    expect((await harness.run("msgraph-user-get", { user: ALEX })).outputs).toMatchObject({
      AccountEnabled: false,
    });

    const unblocked = await harness.run("msgraph-user-unblock", { user: ALEX });
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: `/v1.0/users/${ALEX}`,
      body: { accountEnabled: true },
    });
    expect(unblocked.readable).toContain(`"${ALEX}" unblocked.`);
    expect((await harness.run("msgraph-user-get", { user: ALEX })).outputs).toMatchObject({
      AccountEnabled: true,
    });
  });

  it("update sends the field=value pairs and returns the user as msgraph-user-get does, with Account", async () => {
    const result = await harness.run("msgraph-user-update", {
      user: MEGAN,
      updated_fields: "jobTitle=Lead Analyst;department=SOC",
      updated_fields_delimiter: ";",
    });
    const patch = harness.calls.find((call) => call.method === "PATCH")!;
    expect(patch).toMatchObject({
      path: `/v1.0/users/${MEGAN}`,
      body: { jobTitle: "Lead Analyst", department: "SOC" },
    });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/users/${MEGAN}` });
    expect(result.outputsPrefix).toBe("MSGraphUser");
    expect(result.outputs).toMatchObject({ ID: MEGAN, JobTitle: "Lead Analyst" });
    expect(result.additionalOutputs?.["Account"]).toMatchObject({
      ID: MEGAN,
      JobTitle: "Lead Analyst",
      Type: "Azure AD",
    });
  });

  it("create POSTs the required properties, get finds the new user, delete removes it", async () => {
    const created = await harness.run("msgraph-user-create", {
      display_name: "Nestor Wilke",
      mail_nickname: "nestorw",
      password: "Xk8#rTq2!mZp",
      user_principal_name: "nestorw@contoso.onmicrosoft.com",
      other_properties: "jobTitle=Director",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/users",
      body: {
        accountEnabled: true,
        displayName: "Nestor Wilke",
        mailNickname: "nestorw",
        passwordProfile: { forceChangePasswordNextSignIn: true, password: "Xk8#rTq2!mZp" },
        userPrincipalName: "nestorw@contoso.onmicrosoft.com",
        jobTitle: "Director",
      },
    });
    const entry = created.outputs as { ID: string };
    expect(entry).toMatchObject({ DisplayName: "Nestor Wilke", JobTitle: "Director" });
    expect(created.additionalOutputs?.["Account"]).toMatchObject({
      ID: entry.ID,
      Username: "nestorw@contoso.onmicrosoft.com",
      Type: "Azure AD",
    });
    expect(created.readable).toContain("### nestorw@contoso.onmicrosoft.com was created successfully:");
    const read = await harness.run("msgraph-user-get", { user: "nestorw@contoso.onmicrosoft.com" });
    expect(read.outputs).toMatchObject({ ID: entry.ID, DisplayName: "Nestor Wilke" });
    await expect(
      harness.run("msgraph-user-create", {
        display_name: "Again",
        mail_nickname: "nestorw",
        password: "Xk8#rTq2!mZp",
        user_principal_name: "nestorw@contoso.onmicrosoft.com",
      }),
    ).rejects.toThrow("Another object with the same value for property userPrincipalName already exists.");

    const deleted = await harness.run("msgraph-user-delete", { user: entry.ID });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: `/v1.0/users/${entry.ID}` });
    expect(deleted.readable).toBe(`user: "${entry.ID}" was deleted successfully.`);
    await expect(harness.run("msgraph-user-get", { user: entry.ID })).rejects.toThrow(
      "Request_ResourceNotFound",
    );
  });

  it("direct reports, get-manager and assign-manager read and change the reporting line", async () => {
    const reports = await harness.run("msgraph-direct-reports", { user: ADELE });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/users/${ADELE}/directReports` });
    expect(reports.outputsPrefix).toBe("MSGraphUserDirectReports");
    const { Manager, Reports } = reports.outputs as {
      Manager: string;
      Reports: Array<Record<string, unknown>>;
    };
    expect(Manager).toBe(ADELE);
    expect(Reports.map((report) => report["DisplayName"]).sort()).toEqual(["Lynne Robbins", "Megan Bowen"]);
    expect(Reports[0]).toMatchObject({ "@Odata.Type": "#microsoft.graph.user" });

    const before = await harness.run("msgraph-user-get-manager", { user: ALEX });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/users/${ALEX}/manager` });
    expect(before.outputs).toMatchObject({ ID: ALEX, Manager: { ID: MEGAN, DisplayName: "Megan Bowen" } });

    const assigned = await harness.run("msgraph-user-assign-manager", { user: ALEX, manager: DIEGO });
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: `/v1.0/users/${ALEX}/manager/$ref`,
      body: { "@odata.id": `https://graph.microsoft.com/v1.0/users/${DIEGO}` },
    });
    expect(assigned.readable).toContain(`A manager was assigned to user "${ALEX}".`);
    const after = await harness.run("msgraph-user-get-manager", { user: ALEX });
    expect(after.outputs).toMatchObject({ Manager: { ID: DIEGO, DisplayName: "Diego Siciliani" } });
  });

  it("change-password PATCHes passwordProfile; a weak password is refused in Graph's words", async () => {
    const result = await harness.run("msgraph-user-change-password", {
      user: ALEX,
      password: "N3w!Passw0rd#",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: `/v1.0/users/${ALEX}`,
      body: {
        passwordProfile: {
          forceChangePasswordNextSignIn: true,
          forceChangePasswordNextSignInWithMfa: false,
          password: "N3w!Passw0rd#",
        },
      },
    });
    expect(result.readable).toBe(`User ${ALEX} password was changed successfully.`);
    await expect(
      harness.run("msgraph-user-change-password", { user: ALEX, password: "short" }),
    ).rejects.toThrow("password complexity requirements");
  });

  it("session-revoke POSTs revokeSignInSessions", async () => {
    const result = await harness.run("msgraph-user-session-revoke", {
      user: "meganb@contoso.onmicrosoft.com",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/users/meganb@contoso.onmicrosoft.com/revokeSignInSessions",
    });
    expect(result.readable).toBe(
      'User: "meganb@contoso.onmicrosoft.com" sessions have been revoked successfully.',
    );
  });

  it("auth-methods-list lists the methods and says whether the user can do MFA", async () => {
    const adele = await harness.run("msgraph-user-auth-methods-list", { user: ADELE });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/users/${ADELE}/authentication/methods`,
    });
    expect(adele.outputsPrefix).toBe("MSGraphUser.AuthMethod");
    expect((adele.outputs as Array<{ DisplayName?: string }>).map((method) => method.DisplayName)).toContain(
      "iPhone 15",
    );
    expect(adele.additionalOutputs).toEqual({ "MSGraphUser.MFAStatus": { User: ADELE, IsMfaCapable: true } });
    expect(adele.readable).toContain("**MFA Capable:** true");
    const alex = await harness.run("msgraph-user-auth-methods-list", { user: ALEX });
    expect(alex.additionalOutputs).toEqual({ "MSGraphUser.MFAStatus": { User: ALEX, IsMfaCapable: false } });
  });

  it("tap-policy-list shows the seeded pass without its secret", async () => {
    const result = await harness.run("msgraph-user-tap-policy-list", { user_id: LYNNE });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/users/${LYNNE}/authentication/temporaryAccessPassMethods`,
    });
    expect(result.outputsPrefix).toBe("MSGraphUser.TAPPolicy");
    expect(result.outputs).toMatchObject({
      IsUsable: true,
      LifetimeInMinutes: 480,
      MethodUsabilityReason: "EnabledByPolicy",
    });
    expect(result.outputs).not.toHaveProperty("TemporaryAccessPass");
    expect(result.readable).toContain(`### TAP Policy for User ID ${LYNNE}:`);
  });

  it("tap-policy-create writes the pass only into the password-protected ZIP; delete removes the pass", async () => {
    const dir = mkdtempSync(join(tmpdir(), "msgraph-user-tap-"));
    try {
      const file = join(dir, "TAPPolicyInfo.zip");
      const created = await harness.run("msgraph-user-tap-policy-create", {
        user_id: ALEX,
        zip_password: "zip-Secret-1",
        lifetime_in_minutes: "120",
        is_usable_once: "true",
        output_file: file,
      });
      const post = harness.lastCall();
      expect(post).toMatchObject({
        method: "POST",
        path: `/v1.0/users/${ALEX}/authentication/temporaryAccessPassMethods`,
        body: { lifetimeInMinutes: 120, isUsableOnce: true },
      });
      expect((post.body as { startDateTime: string }).startDateTime).toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/,
      );
      const entry = created.outputs as Record<string, unknown>;
      expect(entry).toMatchObject({ IsUsableOnce: true, LifetimeInMinutes: 120 });
      expect(entry).not.toHaveProperty("TemporaryAccessPass");
      expect(JSON.stringify(created)).not.toMatch(/temporaryAccessPass"\s*:\s*"/i);
      expect(created.readable).toContain(file);

      // The archive: one stored, encrypted entry TAPPolicyPass.txt (APPNOTE 4.3.7 local header).
      const zip = readFileSync(file);
      expect(zip.readUInt32LE(0)).toBe(0x04034b50);
      expect(zip.readUInt16LE(6) & 1).toBe(1);
      const nameLength = zip.readUInt16LE(26);
      expect(zip.subarray(30, 30 + nameLength).toString()).toBe("TAPPolicyPass.txt");
      const crc = zip.readUInt32LE(14);
      const data = zip.subarray(30 + nameLength, 30 + nameLength + zip.readUInt32LE(18));
      const open = (password: string) => new ZipCryptoKeys(Buffer.from(password)).decrypt(data).subarray(12);
      const pass = open("zip-Secret-1");
      expect(crc32(pass)).toBe(crc);
      expect(pass.toString()).toMatch(/^\S{8}$/);
      expect(crc32(open("wrong-password"))).not.toBe(crc);

      const listed = await harness.run("msgraph-user-tap-policy-list", { user_id: ALEX });
      const policyId = (listed.outputs as { ID: string }).ID;
      expect(policyId).toBe(entry["ID"]);
      const deleted = await harness.run("msgraph-user-tap-policy-delete", {
        user_id: ALEX,
        policy_id: policyId,
      });
      expect(harness.lastCall()).toMatchObject({
        method: "DELETE",
        path: `/v1.0/users/${ALEX}/authentication/temporaryAccessPassMethods/${policyId}`,
      });
      expect(deleted.readable).toBe(
        `Temporary Access Pass Authentication methods policy ${policyId} was successfully deleted.`,
      );
      const none = await harness.run("msgraph-user-tap-policy-list", { user_id: ALEX });
      expect(none.readable).toBe(`Failed to get TAP policy for the user ${ALEX}.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a 403 of a Temporary Access Pass command names UserAuthenticationMethod permissions", async () => {
    const error = await harness
      .run("msgraph-user-tap-policy-list", { user_id: LYNNE }, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain(
      "msgraph-user-tap-policy-list needs: application permission UserAuthenticationMethod.Read.All",
    );
  });
});
