// Microsoft Graph Groups against the emulator's built-in Graph doubles and their seeded groups (no routes added by
// the test). Request shapes from learn.microsoft.com/graph/api: group-list (GET /groups, $top, $filter), group-get
// (GET /groups/{id}), group-list-members (GET /groups/{id}/members), group-post-members (POST
// /groups/{id}/members/$ref with {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}),
// group-delete-members (DELETE /groups/{id}/members/{id}/$ref).
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SOC = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const ISAIAH = "074e56ea-0b50-4461-89e5-c67ae14a2c0b";

let harness: Harness;

const noGrantParams = () => {
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) =>
      candidate.secrets?.length && !Object.values(candidate.grants ?? {}).some((roles) => roles.length > 0),
  )!;
  return { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
};

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("commands through client credentials", () => {
  it("msgraph-groups-list-groups filters the seeded groups", async () => {
    const result = await harness.run("msgraph-groups-list-groups", {
      filter: "startswith(displayName,'SOC')",
      limit: "10",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/groups",
      query: { $top: "10", $filter: "startswith(displayName,'SOC')" },
    });
    expect((result.outputs as Array<{ DisplayName: string }>).map((group) => group.DisplayName)).toEqual([
      "SOC Analysts",
      "SOC Tier 2",
    ]);
    expect(result.readable).toContain(`|${SOC}|SOC Analysts|Security operations||false|true||`);
  });

  it("msgraph-groups-get-group reads one group; an unknown ID answers Graph's 404", async () => {
    const result = await harness.run("msgraph-groups-get-group", { group_id: SOC });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/groups/${SOC}` });
    expect(result.outputs).toMatchObject({ ID: SOC, DisplayName: "SOC Analysts", SecurityEnabled: true });
    await expect(
      harness.run("msgraph-groups-get-group", { group_id: "00000000-0000-0000-0000-000000000000" }),
    ).rejects.toThrow("Request_ResourceNotFound");
  });

  it("add-member then list-members shows the user; remove-member takes it out again", async () => {
    await harness.run("msgraph-groups-add-member", { group_id: SOC, user_id: ISAIAH });
    const post = harness.lastCall();
    expect(post).toMatchObject({ method: "POST", path: `/v1.0/groups/${SOC}/members/$ref` });
    expect(post.body).toEqual({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${ISAIAH}` });

    const members = await harness.run("msgraph-groups-list-members", { group_id: SOC });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/groups/${SOC}/members` });
    const ids = (members.outputs as { Members: Array<{ ID: string; DisplayName: string }> }).Members;
    expect(ids.map((member) => member.DisplayName)).toEqual(["Adele Vance", "Megan Bowen", "Isaiah Langer"]);

    const removed = await harness.run("msgraph-groups-remove-member", { group_id: SOC, user_id: ISAIAH });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/groups/${SOC}/members/${ISAIAH}/$ref`,
    });
    expect(removed.readable).toBe(`User ${ISAIAH} was removed from the Group ${SOC} successfully.`);
    const after = await harness.run("msgraph-groups-list-members", { group_id: SOC });
    expect((after.outputs as { Members: unknown[] }).Members).toHaveLength(2);
  });

  it("adding a member twice answers Graph's 400", async () => {
    await expect(
      harness.run("msgraph-groups-add-member", {
        group_id: SOC,
        user_id: "6e7b768e-07e2-4810-8459-485f84f8f204",
      }),
    ).rejects.toThrow("One or more added object references already exist");
  });
});

describe("commands through an authorization-code sign-in", () => {
  it("the signed-in user's token (Group.ReadWrite.All) lists groups and members", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("msgraph-groups-generate-login-url");
    await instance.set({
      auth_code: await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl),
    });
    const groups = await instance.run("msgraph-groups-list-groups", { limit: "2" });
    expect(groups.outputs).toHaveLength(2);
    const members = await instance.run("msgraph-groups-list-members", { group_id: SOC });
    expect((members.outputs as { Members: unknown[] }).Members.length).toBeGreaterThan(0);
    expect(harness.emulator.tokenRequests().at(-1)).toMatchObject({ grantType: "authorization_code" });
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads groups at the emulator and names what it reached", async () => {
    const result = await harness.run("msgraph-groups-test");
    expect(harness.emulator.requests.filter((request) => request.service === "graph").length).toBeGreaterThan(
      0,
    );
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/groups → 200");
  });

  it("-auth-test with an app without a group permission fails naming it", async () => {
    await expect(harness.run("msgraph-groups-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission GroupMember\.Read\.All/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("msgraph-groups-add-member", { group_id: SOC, user_id: ISAIAH }, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain(
      "msgraph-groups-add-member needs: application permission GroupMember.ReadWrite.All",
    );
  });
});
