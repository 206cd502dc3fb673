import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const TEAM = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const CHANNEL = "19:09fc54a3141a45d0bc769cf506d2e079@thread.skype";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: {
      graph: [
        "Channel.Create",
        "ChannelMember.ReadWrite.All",
        "OnlineMeetings.ReadWrite.All",
        "User.Read.All",
      ],
    },
  });
  const { emulator } = harness;
  emulator.addRoute(
    "POST",
    "/v1.0/teams/:team/channels",
    { resource: "graph", roles: ["Channel.Create"], scopes: ["Channel.Create"] },
    (ctx) =>
      ctx.json(201, {
        id: CHANNEL,
        displayName: (ctx.body as { displayName: string }).displayName,
        webUrl: "https://teams.microsoft.com/l/channel/x",
      }),
  );
  const members = { resource: "graph", roles: ["ChannelMember.Read.All", "ChannelMember.ReadWrite.All"] };
  emulator.addRoute("GET", "/v1.0/teams/:team/channels/:channel/members", members, (ctx) =>
    ctx.json(200, {
      value: [
        {
          id: "m1",
          displayName: "Adele Vance",
          email: "adelev@contoso.onmicrosoft.com",
          userId: "87d349ed",
          roles: ["owner"],
        },
      ],
    }),
  );
  emulator.addRoute("POST", "/v1.0/teams/:team/channels/:channel/members", members, (ctx) =>
    ctx.json(201, ctx.body),
  );
  emulator.addRoute(
    "POST",
    "/v1.0/users/:user/onlineMeetings",
    { resource: "graph", roles: ["OnlineMeetings.ReadWrite.All"] },
    (ctx) =>
      ctx.json(201, {
        id: "meeting-1",
        ...(ctx.body as object),
        joinWebUrl: "https://teams.microsoft.com/l/meetup-join/x",
      }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("channels and meetings", () => {
  it("microsoft-teams-create-channel", async () => {
    const result = await harness.run("microsoft-teams-create-channel", {
      team: TEAM,
      channel_name: "incident-4711",
      description: "War room",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      host: "graph.microsoft.com",
      path: `/v1.0/teams/${TEAM}/channels`,
      body: { displayName: "incident-4711", description: "War room", membershipType: "standard" },
    });
    expect(result).toMatchObject({
      outputsPrefix: "MicrosoftTeams.Channel",
      outputs: { ID: CHANNEL, DisplayName: "incident-4711" },
    });
  });

  it("microsoft-teams-channel-user-list and -add-user-to-channel", async () => {
    const list = await harness.run("microsoft-teams-channel-user-list", {
      team: TEAM,
      channel_name: CHANNEL,
    });
    expect(harness.lastCall().path).toBe(`/v1.0/teams/${TEAM}/channels/${CHANNEL}/members`);
    expect(list.readable).toContain("|Adele Vance|adelev@contoso.onmicrosoft.com|87d349ed|owner|");
    await harness.run("microsoft-teams-add-user-to-channel", {
      team: TEAM,
      channel: CHANNEL,
      member: "alexw@contoso.onmicrosoft.com",
      owner: "true",
    });
    expect(harness.lastCall().body).toEqual({
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      roles: ["owner"],
      // The user was looked up by principal name (GET /v1.0/users/{upn}) and is bound by object ID.
      "user@odata.bind": "https://graph.microsoft.com/v1.0/users('87d349ed-44d7-43e1-9a83-5f2406dee5bd')",
    });
  });

  it("microsoft-teams-create-meeting defaults to a 30 minute meeting", async () => {
    const result = await harness.run("microsoft-teams-create-meeting", {
      member: "adelev@contoso.onmicrosoft.com",
      subject: "Bridge",
      start_time: "2024-05-02T09:00:00Z",
    });
    expect(harness.lastCall()).toMatchObject({
      path: "/v1.0/users/6e7b768e-07e2-4810-8459-485f84f8f204/onlineMeetings",
      body: {
        subject: "Bridge",
        startDateTime: "2024-05-02T09:00:00.000Z",
        endDateTime: "2024-05-02T09:30:00.000Z",
      },
    });
    expect(result.readable).toContain("https://teams.microsoft.com/l/meetup-join/x");
  });
});

describe("auth errors", () => {
  it("a managed identity is refused: the row has none", async () => {
    await expect(
      harness.run(
        "microsoft-teams-create-meeting",
        { member: "x", subject: "y" },
        { auth_type: "Azure Managed Identities" },
      ),
    ).rejects.toThrow("does not support the Azure Managed Identities flow");
  });

  it("a signed-in user without Channel.Create cannot create channels", async () => {
    await expect(
      harness.runWithToken(
        "microsoft-teams-create-channel",
        { team: TEAM, channel_name: "x" },
        { scp: "User.Read" },
      ),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
