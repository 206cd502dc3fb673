import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through client credentials and through authorization code against the emulator's built-in Teams
// double (seeded "Security Operations" team with its General channel).

const TEAM = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const GENERAL = "19:02bd9fd68f93475887c31fb73740a315@thread.tacv2";
const ISAIAH = "074e56ea-0b50-4461-89e5-c67ae14a2c0b";

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

describe("through client credentials", () => {
  it("microsoft-teams-create-channel creates a standard channel", async () => {
    const result = await harness.run("microsoft-teams-create-channel", {
      team_id: TEAM,
      channel_name: "INC-4711",
      description: "War room for the Fabrikam phishing wave.",
    });
    // learn.microsoft.com/graph/api/channel-post: POST /teams/{team-id}/channels, 201.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      host: "graph.microsoft.com",
      path: `/v1.0/teams/${TEAM}/channels`,
      body: {
        displayName: "INC-4711",
        description: "War room for the Fabrikam phishing wave.",
        membershipType: "standard",
      },
    });
    expect(result.readable).toBe('The channel "INC-4711" was created successfully');
    expect(result.outputs).toMatchObject({
      ID: expect.stringMatching(/^19:[0-9a-f]{32}@thread\.tacv2$/),
      DisplayName: "INC-4711",
      WebUrl: expect.stringContaining("https://teams.microsoft.com/l/channel/"),
    });
    // The same name again: Teams' NameAlreadyExists.
    await expect(
      harness.run("microsoft-teams-create-channel", { team_id: TEAM, channel_name: "INC-4711" }),
    ).rejects.toThrow("NameAlreadyExists");
  });

  it("microsoft-teams-add-user-to-channel, then -channel-user-list shows the new member", async () => {
    await channelMembers((command, args) => harness.run(command, args));
  });

  it("microsoft-teams-create-meeting creates an online meeting for the organizer", async () => {
    const result = await harness.run("microsoft-teams-create-meeting", {
      user: "adelev@contoso.onmicrosoft.com",
      subject: "INC-4711 bridge",
      start_time: "2026-12-08T09:00:00Z",
      end_time: "2026-12-08T09:30:00Z",
    });
    // learn.microsoft.com/graph/api/application-post-onlinemeetings: POST /users/{userId}/onlineMeetings.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/users/adelev@contoso.onmicrosoft.com/onlineMeetings",
      body: {
        subject: "INC-4711 bridge",
        startDateTime: "2026-12-08T09:00:00.000Z",
        endDateTime: "2026-12-08T09:30:00.000Z",
      },
    });
    expect(result.outputs).toMatchObject({
      subject: "INC-4711 bridge",
      startDateTime: "2026-12-08T09:00:00.000Z",
      joinWebUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//),
    });
    expect(result.readable).toContain("https://teams.microsoft.com/l/meetup-join/");
  });
});

async function channelMembers(run: Run) {
  const before = await run("microsoft-teams-channel-user-list", { team_id: TEAM, channel_id: GENERAL });
  // learn.microsoft.com/graph/api/channel-list-members: GET /teams/{team-id}/channels/{channel-id}/members.
  expect(harness.lastCall()).toMatchObject({
    method: "GET",
    path: `/v1.0/teams/${TEAM}/channels/${GENERAL}/members`,
  });
  expect(before.readable).toContain(
    "|Adele Vance|adelev@contoso.onmicrosoft.com|6e7b768e-07e2-4810-8459-485f84f8f204|owner|",
  );
  const added = await run("microsoft-teams-add-user-to-channel", {
    team_id: TEAM,
    channel_id: GENERAL,
    member: ISAIAH,
  });
  // learn.microsoft.com/graph/api/channel-post-members: an aadUserConversationMember bound to the user.
  expect(harness.lastCall()).toMatchObject({
    method: "POST",
    path: `/v1.0/teams/${TEAM}/channels/${GENERAL}/members`,
    body: {
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      roles: [],
      "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${ISAIAH}')`,
    },
  });
  expect(added.readable).toBe(`The User "${ISAIAH}" has been added to channel "${GENERAL}" successfully.`);
  const after = await run("microsoft-teams-channel-user-list", { team_id: TEAM, channel_id: GENERAL });
  expect(after.outputs).toMatchObject({
    channelId: GENERAL,
    members: expect.arrayContaining([
      expect.objectContaining({ displayName: "Isaiah Langer", userId: ISAIAH }),
    ]),
  });
}

describe("through authorization code", () => {
  it("the signed-in user lists and adds channel members and creates a meeting", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("microsoft-teams-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    await channelMembers((command, args) => instance.run(command, args));
    const meeting = await instance.run("microsoft-teams-create-meeting", {
      user: "adelev@contoso.onmicrosoft.com",
      subject: "Handover",
    });
    expect(meeting.outputs).toMatchObject({ subject: "Handover" });
    const created = await instance.run("microsoft-teams-create-channel", {
      team_id: TEAM,
      channel_name: "Handover",
    });
    expect(created.outputs).toMatchObject({ DisplayName: "Handover" });
    const test = await instance.run("microsoft-teams-test");
    expect(test.readable).toContain("authenticated with Authorization Code and reached:");
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

  it("a 403 of a command names the command's permission (and Teams names the roles it wanted)", async () => {
    const error = await harness
      .run("microsoft-teams-channel-user-list", { team_id: TEAM, channel_id: GENERAL }, noGrant)
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain("Missing role permissions on the request");
    expect(String(error)).toContain(
      "microsoft-teams-channel-user-list needs: application permission ChannelMember.Read.All (or ChannelMember.ReadWrite.All)",
    );
  });
});
