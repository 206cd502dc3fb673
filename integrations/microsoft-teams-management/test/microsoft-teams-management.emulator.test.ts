import { DEMO_USER_UPN, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through client credentials and through device code (the emulator approves the code as the demo
// user) against the emulator's built-in Teams double.

const SECOPS = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const RETAIL = "13be6971-79db-4f33-9d41-b25589ca25af";
const DIEGO = "626cbf8c-5dde-46b0-8385-9e40d64736fe";

let harness: Harness;
let noGrant: { auth_id: string; enc_key: string };

beforeAll(async () => {
  harness = await startHarness(integration);
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? { x: 1 }).length === 0,
  )!;
  noGrant = { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

type Run = (
  command: string,
  args?: Record<string, string>,
) => Promise<{ outputs?: unknown; readable?: string }>;

/** List, get, add a member, remove it, archive: each change shows in the next read. */
async function manageTeam(run: Run, team: string) {
  const list = await run("microsoft-teams-teams-list", { limit: "10" });
  // learn.microsoft.com/graph/api/teams-list: GET /teams.
  expect(harness.lastCall()).toMatchObject({
    method: "GET",
    host: "graph.microsoft.com",
    path: "/v1.0/teams",
    query: { $top: "10" },
  });
  expect((list.outputs as Array<{ displayName: string }>).map((entry) => entry.displayName)).toEqual([
    "Security Operations",
    "Retail Marketing",
  ]);

  const added = await run("microsoft-teams-member-add", { team_id: team, user_id: DIEGO, is_owner: "true" });
  // learn.microsoft.com/graph/api/team-post-members: POST /teams/{id}/members, an aadUserConversationMember.
  expect(harness.lastCall()).toMatchObject({
    method: "POST",
    path: `/v1.0/teams/${team}/members`,
    body: {
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      roles: ["owner"],
      "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${DIEGO}')`,
    },
  });
  expect(added.outputs).toMatchObject({ displayName: "Diego Siciliani", roles: ["owner"], userId: DIEGO });
  const membership = (added.outputs as { id: string }).id;

  const removed = await run("microsoft-teams-member-remove", { team_id: team, membership_id: membership });
  // learn.microsoft.com/graph/api/team-delete-members: DELETE /teams/{id}/members/{membership-id}.
  expect(harness.lastCall()).toMatchObject({
    method: "DELETE",
    path: `/v1.0/teams/${team}/members/${membership}`,
  });
  expect(removed.readable).toBe(`Team member ${membership} was removed from the team ${team} successfully.`);
  await expect(
    run("microsoft-teams-member-remove", { team_id: team, membership_id: membership }),
  ).rejects.toThrow("NotFound");

  const archived = await run("microsoft-teams-team-archive", { team_id: team });
  // learn.microsoft.com/graph/api/team-archive: POST /teams/{id}/archive, 202 Accepted.
  expect(harness.lastCall()).toMatchObject({ method: "POST", path: `/v1.0/teams/${team}/archive` });
  expect(archived.readable).toBe(`Team ${team} was archived successfully.`);

  const got = await run("microsoft-teams-team-get", { team_id: team });
  // learn.microsoft.com/graph/api/team-get: GET /teams/{id}.
  expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/teams/${team}` });
  expect(got.outputs).toMatchObject({ id: team, isArchived: true, visibility: "private" });
  expect(got.readable).toContain("|true|");
}

describe("through client credentials", () => {
  it("list, add and remove a member, archive, get", async () => {
    await manageTeam((command, args) => harness.run(command, args), SECOPS);
  });

  it("XSOAR's member commands: members-list, member-update, member-get; teams-list-joined; team-unarchive", async () => {
    const members = await harness.run("microsoft-teams-members-list", { team_id: RETAIL });
    // learn.microsoft.com/graph/api/team-list-members: GET /teams/{id}/members.
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/teams/${RETAIL}/members` });
    const list = members.outputs as Array<{ id: string; userId: string; roles: string[] }>;
    expect(list.length).toBeGreaterThan(0);
    const plain = list.find((entry) => !entry.roles.includes("owner")) ?? list[0]!;

    const updated = await harness.run("microsoft-teams-member-update", {
      team_id: RETAIL,
      membership_id: plain.id,
      is_owner: "true",
    });
    // learn.microsoft.com/graph/api/conversationmember-update: PATCH …/members/{id} with @odata.type and roles.
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: `/v1.0/teams/${RETAIL}/members/${plain.id}`,
      body: { "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"] },
    });
    expect(updated.outputs).toMatchObject({ id: plain.id, roles: ["owner"] });
    const got = await harness.run("microsoft-teams-member-get", { team_id: RETAIL, membership_id: plain.id });
    // learn.microsoft.com/graph/api/team-get-members: GET /teams/{id}/members/{membership-id}.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/teams/${RETAIL}/members/${plain.id}`,
    });
    expect(got.outputs).toMatchObject({ id: plain.id, userId: plain.userId, roles: ["owner"] });

    const joined = await harness.run("microsoft-teams-teams-list-joined", { user_id: plain.userId });
    // learn.microsoft.com/graph/api/user-list-joinedteams: GET /users/{id}/joinedTeams.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/users/${plain.userId}/joinedTeams`,
    });
    expect((joined.outputs as Array<{ id: string }>).map((team) => team.id)).toContain(RETAIL);

    await harness.run("microsoft-teams-team-archive", { team_id: RETAIL });
    const unarchived = await harness.run("microsoft-teams-team-unarchive", { team_id: RETAIL });
    // learn.microsoft.com/graph/api/team-unarchive: POST /teams/{id}/unarchive, 202 Accepted.
    expect(harness.lastCall()).toMatchObject({ method: "POST", path: `/v1.0/teams/${RETAIL}/unarchive` });
    expect(unarchived.readable).toBe(`Team ${RETAIL} was unarchived successfully.`);
    const team = await harness.run("microsoft-teams-team-get", { team_id: RETAIL });
    expect(team.outputs).toMatchObject({ isArchived: false });
  });

  it("an unknown team is Teams' NotFound", async () => {
    await expect(
      harness.run("microsoft-teams-team-get", { team_id: "00000000-0000-0000-0000-000000000000" }),
    ).rejects.toThrow("No team found with Group Id 00000000-0000-0000-0000-000000000000");
  });
});

describe("through device code", () => {
  it("the demo user approves the code; the same commands run with the delegated token", async () => {
    const publicClient = harness.emulator.seed.tenants[0]!.apps.find((app) => app.publicClient)!;
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Device Code",
      auth_id: publicClient.clientId,
      enc_key: undefined,
    });
    const start = await instance.run("microsoft-teams-auth-start");
    const userCode = (start.outputs as { UserCode: string }).UserCode;
    harness.emulator.approveDeviceCode(userCode, DEMO_USER_UPN);
    await instance.run("microsoft-teams-auth-complete");
    await manageTeam((command, args) => instance.run(command, args), RETAIL);
    const grants = harness.emulator.tokenRequests().map((request) => request.grantType);
    expect(grants).toContain("urn:ietf:params:oauth:grant-type:device_code");
    const test = await instance.run("microsoft-teams-test");
    expect(test.readable).toContain("authenticated with Device Code and reached:");
  });
});

describe("through the machine's managed identity", () => {
  it("microsoft-teams-teams-list and -test with the system-assigned identity's token (IMDS)", async () => {
    const identity = { use_managed_identities: true, auth_id: undefined, enc_key: undefined };
    const result = await harness.run("microsoft-teams-teams-list", {}, identity);
    expect((result.outputs as unknown[]).length).toBe(2);
    const imds = harness.emulator.requests.find(
      (request) => request.path === "/metadata/identity/oauth2/token",
    )!;
    expect(imds.query["resource"]).toBe("https://graph.microsoft.com");
    const test = await harness.run("microsoft-teams-test", {}, identity);
    expect(test.readable).toContain("authenticated with Azure Managed Identities and reached:");
  });
});

describe("-test and permissions", () => {
  it("microsoft-teams-test lists one team and names what it reached", async () => {
    const result = await harness.run("microsoft-teams-test");
    const graph = harness.emulator.requests.filter((request) => request.service === "graph");
    expect(graph.map((request) => `${request.method} ${request.path}`)).toEqual(["GET /v1.0/teams"]);
    expect(result.readable).toContain("authenticated with Client Credentials and reached:");
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/teams → 200");
  });

  it("microsoft-teams-auth-test with an app without permissions fails naming Team.ReadBasic.All", async () => {
    await expect(harness.run("microsoft-teams-auth-test", {}, noGrant)).rejects.toThrow(
      /lacks the application permission Team\.ReadBasic\.All/,
    );
  });

  it("a 403 of a command names the command's permission", async () => {
    const error = await harness
      .run("microsoft-teams-team-archive", { team_id: SECOPS }, noGrant)
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain("Missing role permissions on the request");
    expect(String(error)).toContain(
      "microsoft-teams-team-archive needs: application permission TeamSettings.ReadWrite.All (or Group.ReadWrite.All, or Directory.ReadWrite.All)",
    );
  });
});

describe("XSOAR's built-in public client", () => {
  it("an instance without an App/Client ID starts device code with 3307a0ab-612c-47af-b3b5-8208247562db", async () => {
    // The App/Client ID default of XSOAR's yml (data/xsoar/microsoft-teams-management.json, builtInClientId).
    expect(integration.parameter("auth_id")?.defaultValue).toBe("3307a0ab-612c-47af-b3b5-8208247562db");
    const instance = await harness.instance({
      auth_type: "Device Code",
      auth_id: undefined,
      enc_key: undefined,
      self_deployed: undefined,
    });
    // The emulator's Contoso has no such app, so the sign-in stops there; the request on the wire is what counts
    // (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code: POST /{tenant}/oauth2/v2.0/devicecode).
    await instance.run("microsoft-teams-auth-start").catch(() => undefined);
    const request = harness.requests.find((candidate) => candidate.path.endsWith("/oauth2/v2.0/devicecode"));
    expect(new URLSearchParams(String(request?.body)).get("client_id")).toBe(
      "3307a0ab-612c-47af-b3b5-8208247562db",
    );
  });
});
