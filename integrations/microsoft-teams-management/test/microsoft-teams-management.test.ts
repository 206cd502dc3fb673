import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const TEAM = {
  id: "02bd9fd6-8f93-4758-87c3-1fb73740a315",
  displayName: "SOC",
  description: "Security operations",
  visibility: "private",
  isArchived: false,
};
const USER_ID = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: { graph: ["Group.ReadWrite.All", "TeamMember.ReadWrite.All", "TeamSettings.ReadWrite.All"] },
  });
  const { emulator } = harness;
  const read = {
    resource: "graph",
    roles: ["Team.ReadBasic.All", "Group.ReadWrite.All"],
    scopes: ["Team.ReadBasic.All"],
  };
  const members = {
    resource: "graph",
    roles: ["TeamMember.ReadWrite.All"],
    scopes: ["TeamMember.ReadWrite.All"],
  };
  emulator.addRoute("GET", "/v1.0/teams", read, (ctx) => ctx.json(200, { value: [TEAM] }));
  emulator.addRoute("GET", "/v1.0/teams/:id", read, (ctx) => ctx.json(200, TEAM));
  emulator.addRoute("POST", "/v1.0/teams/:id/members", members, (ctx) =>
    ctx.json(201, {
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      id: "MCMjMiMj",
      displayName: "Adele Vance",
      roles: (ctx.body as { roles: string[] }).roles,
    }),
  );
  emulator.addRoute("DELETE", "/v1.0/teams/:id/members/:membership", members, (ctx) => ctx.empty(204));
  emulator.addRoute(
    "POST",
    "/v1.0/teams/:id/archive",
    { resource: "graph", roles: ["TeamSettings.ReadWrite.All", "Group.ReadWrite.All"] },
    (ctx) => ctx.empty(202),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Microsoft Teams Management manifest", () => {
  it("shares the microsoft-teams prefix with Microsoft Teams", () => {
    expect(integration.manifest).toMatchObject({
      id: "microsoft-teams-management",
      commandPrefix: "microsoft-teams",
    });
  });
});

describe("teams", () => {
  it("microsoft-teams-teams-list and -team-get", async () => {
    const list = await harness.run("microsoft-teams-teams-list", { limit: "20" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/teams",
      query: { $top: "20" },
    });
    expect(list.readable).toContain(`|${TEAM.id}|SOC|Security operations|private|false|`);
    const one = await harness.run("microsoft-teams-team-get", { team_id: TEAM.id });
    expect(harness.lastCall().path).toBe(`/v1.0/teams/${TEAM.id}`);
    expect(one.outputs).toEqual(TEAM);
  });

  it("microsoft-teams-member-add, -member-remove and -team-archive", async () => {
    const added = await harness.run("microsoft-teams-member-add", {
      team_id: TEAM.id,
      user_id: USER_ID,
      is_owner: "true",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/teams/${TEAM.id}/members`,
      body: { roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${USER_ID}')` },
    });
    expect(added.outputs).toEqual({ id: "MCMjMiMj", displayName: "Adele Vance", roles: ["owner"] });
    await harness.run("microsoft-teams-member-remove", { team_id: TEAM.id, membership_id: "MCMjMiMj" });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/teams/${TEAM.id}/members/MCMjMiMj`,
    });
    const archived = await harness.run("microsoft-teams-team-archive", { team_id: TEAM.id });
    expect(harness.lastCall()).toMatchObject({ method: "POST", path: `/v1.0/teams/${TEAM.id}/archive` });
    expect(archived.readable).toBe(`Team ${TEAM.id} was archived successfully.`);
  });
});

describe("auth errors", () => {
  it("an app without TeamMember.ReadWrite.All cannot add members", async () => {
    await expect(
      harness.runWithToken(
        "microsoft-teams-member-add",
        { team_id: TEAM.id, user_id: USER_ID },
        { roles: ["Group.Read.All"] },
      ),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
