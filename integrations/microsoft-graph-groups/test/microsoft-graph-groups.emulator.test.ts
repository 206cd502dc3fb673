// Microsoft Graph Groups against the emulator's built-in Graph doubles and their seeded groups (no routes added by
// the test). Request shapes from learn.microsoft.com/graph/api: group-list (GET /groups, $top, $filter), group-get
// (GET /groups/{id}), group-list-members (GET /groups/{id}/members), group-post-members (POST
// /groups/{id}/members/$ref with {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}),
// group-delete-members (DELETE /groups/{id}/members/{id}/$ref).
import { type Harness, NO_GRANT_PARAMS, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SOC = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const ISAIAH = "074e56ea-0b50-4461-89e5-c67ae14a2c0b";

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
  it("msgraph-groups-list-groups filters the seeded groups", async () => {
    const result = await harness.run("msgraph-groups-list-groups", {
      filter: "startswith(displayName,'SOC')",
      top: "10",
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
    const groups = await instance.run("msgraph-groups-list-groups", { top: "2" });
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

// XSOAR's paging (top, next_link), ordering and the group create/delete commands. learn.microsoft.com/graph/api:
// group-list ($top, $orderby, $filter, @odata.nextLink), group-post-groups (POST /groups with displayName,
// mailEnabled, mailNickname, securityEnabled), group-delete (DELETE /groups/{id}), group-list-members ($count and
// $filter with ConsistencyLevel: eventual, learn.microsoft.com/graph/aad-advanced-queries).
describe("XSOAR's paging and group lifecycle through client credentials", () => {
  it("list-groups sends top and order_by, and next_link reads the next page", async () => {
    const first = await harness.run("msgraph-groups-list-groups", { top: "2", order_by: "displayName" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/groups",
      query: { $top: "2", $orderby: "displayName" },
    });
    expect((first.outputs as Array<{ DisplayName: string }>).map((group) => group.DisplayName)).toEqual([
      "Marketing",
      "Retail",
    ]);
    const link = (first.additionalOutputs!["MSGraphGroupsNextLink"] as { GroupsNextLink: string })
      .GroupsNextLink;
    expect(decodeURIComponent(link)).toContain("$skiptoken=");
    expect(first.readable).toContain("Please use the next_link argument to see them.");
    // The emulator writes its nextLink on graph.microsoft.com, where the instance's requests go.
    const second = await harness.run("msgraph-groups-list-groups", { next_link: link });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/v1.0/groups" });
    expect((second.outputs as Array<{ DisplayName: string }>).map((group) => group.DisplayName)).toEqual([
      "SOC Analysts",
      "SOC Tier 2",
    ]);
    expect(second.additionalOutputs).toBeUndefined();
  });

  it("create-group POSTs a security group that get-group reads; delete-group removes it", async () => {
    const created = await harness.run("msgraph-groups-create-group", {
      display_name: "Incident 4711 responders",
      mail_nickname: "ir4711",
      mail_enabled: "false",
      security_enabled: "true",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/groups",
      body: {
        displayName: "Incident 4711 responders",
        mailNickname: "ir4711",
        mailEnabled: false,
        securityEnabled: true,
      },
    });
    const group = created.outputs as { ID: string };
    expect(created.outputsPrefix).toBe("MSGraphGroups");
    expect(group).toMatchObject({
      DisplayName: "Incident 4711 responders",
      SecurityEnabled: true,
      MailEnabled: false,
    });
    expect(created.readable).toContain("### Incident 4711 responders was created successfully:");
    const read = await harness.run("msgraph-groups-get-group", { group_id: group.ID });
    expect(read.outputs).toMatchObject({ ID: group.ID, MailNickname: "ir4711" });
    const empty = await harness.run("msgraph-groups-list-members", { group_id: group.ID });
    expect(empty.readable).toBe(`The group ${group.ID} has no members.`);

    const deleted = await harness.run("msgraph-groups-delete-group", { group_id: group.ID });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: `/v1.0/groups/${group.ID}` });
    expect(deleted.outputs).toEqual({ ID: group.ID, Deleted: true });
    expect(deleted.readable).toBe(`Group: "${group.ID}" was deleted successfully.`);
    await expect(harness.run("msgraph-groups-get-group", { group_id: group.ID })).rejects.toThrow(
      "Request_ResourceNotFound",
    );
  });

  it("create-group with mail_enabled true is refused as Graph refuses mail-enabled security groups", async () => {
    await expect(
      harness.run("msgraph-groups-create-group", {
        display_name: "Mail security",
        mail_nickname: "mailsec",
        mail_enabled: "true",
        security_enabled: "true",
      }),
    ).rejects.toThrow("does not currently support writes of mail-enabled groups");
  });

  it("list-members sends top, $count and $filter with ConsistencyLevel: eventual, and pages with next_link", async () => {
    const filtered = await harness.run("msgraph-groups-list-members", {
      group_id: SOC,
      top: "1",
      count: "true",
      filter: "startswith(displayName,'Megan')",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "GET",
      path: `/v1.0/groups/${SOC}/members`,
      query: { $top: "1", $count: "true", $filter: "startswith(displayName,'Megan')" },
    });
    expect(call.headers["consistencylevel"]).toBe("eventual");
    expect(filtered.outputs).toMatchObject({ ID: SOC, Members: [{ DisplayName: "Megan Bowen" }] });

    const first = await harness.run("msgraph-groups-list-members", { group_id: SOC, top: "1" });
    const page = first.outputs as { Members: Array<{ DisplayName: string }>; MembersNextLink: string };
    expect(page.Members.map((member) => member.DisplayName)).toEqual(["Adele Vance"]);
    const second = await harness.run("msgraph-groups-list-members", {
      group_id: SOC,
      next_link: page.MembersNextLink,
    });
    expect((second.outputs as { Members: Array<{ DisplayName: string }> }).Members[0]!.DisplayName).toBe(
      "Megan Bowen",
    );
    expect(second.outputs).not.toHaveProperty("MembersNextLink");
  });

  it("a 403 of create-group names Group.Create", async () => {
    const error = await harness
      .run(
        "msgraph-groups-create-group",
        { display_name: "x", mail_nickname: "x", security_enabled: "true" },
        noGrantParams(),
      )
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("msgraph-groups-create-group needs: application permission Group.Create");
  });
});
