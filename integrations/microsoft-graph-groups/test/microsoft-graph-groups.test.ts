import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const GROUP = {
  id: "02bd9fd6-8f93-4758-87c3-1fb73740a315",
  displayName: "SOC Analysts",
  description: "Security operations",
  mailEnabled: false,
  securityEnabled: true,
  groupTypes: [],
  createdDateTime: "2024-01-10T08:00:00Z",
};
const USER_ID = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";

let harness: Harness;
const added: unknown[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: { graph: ["Group.ReadWrite.All", "GroupMember.ReadWrite.All"] },
  });
  const { emulator } = harness;
  const read = {
    resource: "graph",
    roles: ["Group.Read.All", "Group.ReadWrite.All"],
    scopes: ["Group.ReadWrite.All"],
  };
  const write = {
    resource: "graph",
    roles: ["GroupMember.ReadWrite.All", "Group.ReadWrite.All"],
    scopes: ["Group.ReadWrite.All"],
  };
  emulator.addRoute("GET", "/v1.0/groups", read, (ctx) => ctx.json(200, { value: [GROUP] }));
  emulator.addRoute("GET", "/v1.0/groups/:id", read, (ctx) => ctx.json(200, GROUP));
  emulator.addRoute("GET", "/v1.0/groups/:id/members", read, (ctx) =>
    ctx.json(200, {
      value: [
        {
          "@odata.type": "#microsoft.graph.user",
          id: USER_ID,
          displayName: "Adele Vance",
          userPrincipalName: "adelev@contoso.onmicrosoft.com",
        },
      ],
    }),
  );
  emulator.addRoute("POST", "/v1.0/groups/:id/members/$ref", write, (ctx) => {
    added.push(ctx.body);
    return ctx.empty(204);
  });
  emulator.addRoute("DELETE", "/v1.0/groups/:id/members/:user/$ref", write, (ctx) => ctx.empty(204));
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("groups and members", () => {
  it("msgraph-groups-list-groups and -get-group", async () => {
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
    expect(result.readable).toContain(`|${GROUP.id}|SOC Analysts|Security operations||false|true||`);
    const one = await harness.run("msgraph-groups-get-group", { group_id: GROUP.id });
    expect(harness.lastCall().path).toBe(`/v1.0/groups/${GROUP.id}`);
    expect(one.outputs).toMatchObject({ ID: GROUP.id, DisplayName: "SOC Analysts" });
  });

  it("msgraph-groups-list-members", async () => {
    const result = await harness.run("msgraph-groups-list-members", { group_id: GROUP.id });
    expect(harness.lastCall().path).toBe(`/v1.0/groups/${GROUP.id}/members`);
    expect(result.outputs).toEqual({
      ID: GROUP.id,
      Members: [
        {
          ID: USER_ID,
          DisplayName: "Adele Vance",
          UserPrincipalName: "adelev@contoso.onmicrosoft.com",
          Mail: undefined,
        },
      ],
    });
  });

  it("msgraph-groups-add-member posts a directory object reference; -remove-member deletes it", async () => {
    await harness.run("msgraph-groups-add-member", { group_id: GROUP.id, user_id: USER_ID });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/groups/${GROUP.id}/members/$ref`,
    });
    expect(added.at(-1)).toEqual({
      "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${USER_ID}`,
    });
    const removed = await harness.run("msgraph-groups-remove-member", {
      group_id: GROUP.id,
      user_id: USER_ID,
    });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/groups/${GROUP.id}/members/${USER_ID}/$ref`,
    });
    expect(removed.readable).toBe(`User ${USER_ID} was removed from the Group ${GROUP.id} successfully.`);
  });
});

describe("auth errors", () => {
  it("an app that may only read users is denied", async () => {
    await expect(
      harness.runWithToken("msgraph-groups-list-groups", {}, { roles: ["User.Read.All"] }),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
