import { createHash } from "node:crypto";
import { DEMO_CLIENT_ID, DEMO_TENANT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through real flows (client credentials; authorization code with a sign-in) against the emulator's
// built-in doubles: Microsoft Graph's Teams (seeded "Security Operations" team with its General and private
// "Incident Response" channels, two chats) and the Bot Framework's Bot Connector service at Teams' serviceUrl.

const TEAM = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const GENERAL = "19:02bd9fd68f93475887c31fb73740a315@thread.tacv2";
const ADELE = "6e7b768e-07e2-4810-8459-485f84f8f204";
const ALEX = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
const ISAIAH = "074e56ea-0b50-4461-89e5-c67ae14a2c0b";
const MEGAN = "08fa38e4-cbfa-4488-94ed-c834da6539df";
const RESPONDERS = `19:${createHash("sha1").update("INC-4711 responders").digest("hex").slice(0, 32)}@thread.v2`;
const BOT_HOST = "smba.trafficmanager.net";

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
) => Promise<{ outputs?: unknown; readable?: string; additionalOutputs?: unknown }>;

const claimsOf = (authorization: string | undefined) =>
  JSON.parse(Buffer.from(String(authorization).split(".")[1]!, "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
const botCalls = () => harness.calls.filter((call) => call.host === BOT_HOST);

/** The bot's token: client credentials at the botframework.com tenant for the Bot Framework's audience. */
function expectBotToken() {
  // learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication: POST
  // https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token, grant_type=client_credentials,
  // scope=https://api.botframework.com/.default.
  expect(harness.emulator.tokenRequests()).toContainEqual(
    expect.objectContaining({
      path: "/botframework.com/oauth2/v2.0/token",
      tenant: "botframework.com",
      grantType: "client_credentials",
      clientId: DEMO_CLIENT_ID,
      scope: "https://api.botframework.com/.default",
    }),
  );
  const botTenant = harness.emulator.seed.tenants.find((tenant) =>
    tenant.domains?.includes("botframework.com"),
  );
  const claims = claimsOf(botCalls()[0]?.headers["authorization"]);
  expect(claims).toMatchObject({ aud: "https://api.botframework.com", tid: botTenant?.id });
  expect(claims["tid"]).not.toBe(DEMO_TENANT_ID);
}

describe("the bot's messages (Bot Framework)", () => {
  it("send-notification posts to a channel found by team and channel name", async () => {
    const result = await harness.run("send-notification", {
      team: "Security Operations",
      channel: "General",
      message: "INC-4711: phishing wave contained.",
    });
    // learn.microsoft.com/graph/api/teams-list and channel-list: the names become IDs.
    expect(harness.calls.slice(0, 2).map((call) => `${call.method} ${call.host}${call.path}`)).toEqual([
      "GET graph.microsoft.com/v1.0/teams",
      `GET graph.microsoft.com/v1.0/teams/${TEAM}/channels`,
    ]);
    // Connector API reference, Send to Conversation: POST /v3/conversations/{conversationId}/activities with an
    // Activity of type "message"; a Teams channel's ID is its conversation ID.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      host: BOT_HOST,
      path: `/teams/v3/conversations/${GENERAL}/activities`,
      body: { type: "message", text: "INC-4711: phishing wave contained." },
    });
    expectBotToken();
    expect(result.readable).toBe("Message was sent successfully.");
    expect(result.outputs).toEqual({ ID: expect.stringMatching(/^\d+$/) });

    // A reply in the message's thread: the conversation `{channelId};messageid={messageId}`.
    const id = (result.outputs as { ID: string }).ID;
    await harness.run("send-notification", {
      team: TEAM,
      channel: "General",
      message: "Follow-up.",
      message_id: id,
    });
    expect(harness.lastCall().path).toBe(`/teams/v3/conversations/${GENERAL};messageid=${id}/activities`);
  });

  it("send-notification to a user creates the personal conversation, then sends an Adaptive Card", async () => {
    const card = { type: "AdaptiveCard", version: "1.4", body: [{ type: "TextBlock", text: "Approve?" }] };
    const result = await harness.run("send-notification", {
      team_member: "meganb@contoso.onmicrosoft.com",
      adaptive_card: JSON.stringify(card),
    });
    // learn.microsoft.com/graph/api/user-get, then Connector API reference, Create Conversation: POST
    // /v3/conversations with the bot, one member and Teams' channelData.tenant.id.
    const [lookup, create, send] = harness.calls;
    expect(lookup).toMatchObject({ method: "GET", path: "/v1.0/users/meganb@contoso.onmicrosoft.com" });
    expect(create).toMatchObject({
      method: "POST",
      host: BOT_HOST,
      path: "/teams/v3/conversations",
      body: {
        isGroup: false,
        bot: { id: `28:${DEMO_CLIENT_ID}` },
        members: [{ id: MEGAN }],
        channelData: { tenant: { id: DEMO_TENANT_ID } },
      },
    });
    // The Activity carries the card as an attachment of content type application/vnd.microsoft.card.adaptive.
    expect(send).toMatchObject({
      method: "POST",
      path: expect.stringMatching(/^\/teams\/v3\/conversations\/a:[^/]+\/activities$/),
      body: {
        type: "message",
        attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }],
      },
    });
    expect(result.outputs).toEqual({ ID: expect.stringMatching(/^\d+$/) });
    await expect(harness.run("send-notification", { message: "nowhere" })).rejects.toThrow(
      "Give channel=<channel name> (with team) or team_member=<user> (or to=<user>).",
    );
  });

  it("microsoft-teams-message-update replaces a channel message the bot sent", async () => {
    const sent = await harness.run("send-notification", { team: TEAM, channel: "General", message: "Draft" });
    const id = (sent.outputs as { ID: string }).ID;
    const result = await harness.run("microsoft-teams-message-update", {
      message_id: id,
      team: "Security Operations",
      channel: "General",
      message: "Final",
      format_as_card: "true",
    });
    // Connector API reference, Update Activity: PUT /v3/conversations/{conversationId}/activities/{activityId}.
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      host: BOT_HOST,
      path: `/teams/v3/conversations/${GENERAL}/activities/${id}`,
      body: {
        type: "message",
        id,
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            content: { type: "AdaptiveCard", body: [{ type: "TextBlock", text: "Final", wrap: true }] },
          },
        ],
      },
    });
    expect(result).toMatchObject({ readable: "Message was updated successfully.", outputs: { ID: id } });
    await expect(
      harness.run("microsoft-teams-message-update", {
        message_id: "1",
        team: TEAM,
        channel: "General",
        message: "x",
      }),
    ).rejects.toThrow("ActivityNotFound");
  });

  it("teams-send-notification-quick-action posts to a channel of the instance's Default team", async () => {
    const result = await harness.run(
      "teams-send-notification-quick-action",
      { channel: "Incident Response", message: "Bridge open." },
      { team: "Security Operations" },
    );
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: expect.stringMatching(/^\/teams\/v3\/conversations\/19:[0-9a-f]{32}@thread\.tacv2\/activities$/),
      body: { type: "message", text: "Bridge open." },
    });
    expect(result.outputs).toEqual({ ID: expect.any(String) });
  });
});

async function channelMembers(run: Run) {
  const before = await run("microsoft-teams-channel-user-list", {
    team: "Security Operations",
    channel_name: "Incident Response",
  });
  // learn.microsoft.com/graph/api/channel-list-members: GET /teams/{team-id}/channels/{channel-id}/members.
  expect(harness.lastCall()).toMatchObject({
    method: "GET",
    path: expect.stringMatching(
      new RegExp(`^/v1.0/teams/${TEAM}/channels/19:[0-9a-f]{32}@thread.tacv2/members$`),
    ),
  });
  expect(before.readable).toContain(
    "|Adele Vance|adelev@contoso.onmicrosoft.com|6e7b768e-07e2-4810-8459-485f84f8f204|owner|",
  );
  expect(before.outputs).toMatchObject({
    channelName: "Incident Response",
    channelId: expect.stringMatching(/^19:/),
  });
  const channel = (before.outputs as { channelId: string }).channelId;
  const added = await run("microsoft-teams-add-user-to-channel", {
    team: "Security Operations",
    channel: "Incident Response",
    member: ISAIAH,
  });
  // learn.microsoft.com/graph/api/channel-post-members: an aadUserConversationMember bound to the user.
  expect(harness.lastCall()).toMatchObject({
    method: "POST",
    path: `/v1.0/teams/${TEAM}/channels/${channel}/members`,
    body: {
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      roles: [],
      "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${ISAIAH}')`,
    },
  });
  expect(added.readable).toBe(
    `The User "${ISAIAH}" has been added to channel "Incident Response" successfully.`,
  );
  const removed = await run("microsoft-teams-user-remove-from-channel", {
    team: "Security Operations",
    channel_name: "Incident Response",
    member: "Isaiah Langer",
  });
  // learn.microsoft.com/graph/api/channel-delete-members: DELETE …/channels/{channel-id}/members/{membership-id}.
  expect(harness.lastCall()).toMatchObject({
    method: "DELETE",
    path: expect.stringMatching(new RegExp(`^/v1.0/teams/${TEAM}/channels/${channel}/members/.+`)),
  });
  expect(removed.readable).toBe(
    'The user "Isaiah Langer" has been removed from the channel "Incident Response" successfully.',
  );
  const after = await run("microsoft-teams-channel-user-list", { team: TEAM, channel_name: channel });
  expect(JSON.stringify(after.outputs)).not.toContain(ISAIAH);
}

describe("channels and meetings (Graph) through client credentials", () => {
  it("create-channel, channel members, then close-channel deletes it", async () => {
    const created = await harness.run("microsoft-teams-create-channel", {
      team: "Security Operations",
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
    expect(created.readable).toBe('The channel "INC-4711" was created successfully');
    await expect(
      harness.run("microsoft-teams-create-channel", { team: TEAM, channel_name: "INC-4711" }),
    ).rejects.toThrow("NameAlreadyExists");
    await expect(
      harness.run("microsoft-teams-create-channel", {
        team: TEAM,
        channel_name: "Secret",
        membership_type: "private",
      }),
    ).rejects.toThrow("A private channel created by an app needs owner_user=<user>.");

    const closed = await harness.run("close-channel", { team: "Security Operations", channel: "INC-4711" });
    // learn.microsoft.com/graph/api/channel-delete: DELETE /teams/{team-id}/channels/{channel-id}, 204.
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/teams/${TEAM}/channels/${(created.outputs as { ID: string }).ID}`,
    });
    expect(closed.readable).toBe("Channel was successfully closed.");
    await expect(
      harness.run("microsoft-teams-channel-user-list", { team: TEAM, channel_name: "INC-4711" }),
    ).rejects.toThrow('The team has no channel named "INC-4711".');
    await expect(harness.run("close-channel", { team: "Red Team", channel: "General" })).rejects.toThrow(
      'No team named "Red Team". Teams: Security Operations, Retail Marketing.',
    );
  });

  it("add-user-to-channel and user-remove-from-channel change the members channel-user-list shows", async () => {
    await channelMembers((command, args) => harness.run(command, args));
  });

  it("microsoft-teams-create-meeting creates an online meeting for the organizer", async () => {
    const result = await harness.run("microsoft-teams-create-meeting", {
      member: "adelev@contoso.onmicrosoft.com",
      subject: "INC-4711 bridge",
      start_time: "2026-12-08T09:00:00Z",
      end_time: "2026-12-08T09:30:00Z",
    });
    // learn.microsoft.com/graph/api/application-post-onlinemeetings: POST /users/{userId}/onlineMeetings.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/users/${ADELE}/onlineMeetings`,
      body: {
        subject: "INC-4711 bridge",
        startDateTime: "2026-12-08T09:00:00.000Z",
        endDateTime: "2026-12-08T09:30:00.000Z",
      },
    });
    expect(result.outputs).toMatchObject({
      subject: "INC-4711 bridge",
      threadId: expect.stringMatching(/^19:meeting_/),
      messageId: "0",
      participantId: ADELE,
      participantDisplayName: "Adele Vance",
      joinWebUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//),
    });
  });
});

describe("chats (Graph) through client credentials", () => {
  it("chat-create, chat-add-user, chat-member-list, chat-update and chat-list of the new chat", async () => {
    const created = await harness.run("microsoft-teams-chat-create", {
      chat_type: "group",
      member: "adelev@contoso.onmicrosoft.com,alexw@contoso.onmicrosoft.com",
      chat_name: "INC-4712",
    });
    // learn.microsoft.com/graph/api/chat-post: POST /chats with chatType, topic and aadUserConversationMembers.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/chats",
      body: {
        chatType: "group",
        topic: "INC-4712",
        members: [
          expect.objectContaining({
            roles: ["owner"],
            "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${ADELE}')`,
          }),
          expect.objectContaining({ "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${ALEX}')` }),
        ],
      },
    });
    const chat = (created.outputs as { chatId: string }).chatId;
    expect(created.outputs).toMatchObject({
      chatId: expect.stringMatching(/^19:.+@thread\.v2$/),
      topic: "INC-4712",
      chatType: "group",
    });

    const added = await harness.run("microsoft-teams-chat-add-user", { chat, member: ISAIAH });
    // learn.microsoft.com/graph/api/chat-post-members: visibleHistoryStartDateTime 0001-01-01T00:00:00Z shares it all.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/chats/${chat}/members`,
      body: {
        "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${ISAIAH}')`,
        visibleHistoryStartDateTime: "0001-01-01T00:00:00Z",
      },
    });
    expect(added.readable).toContain("have been added to chat");

    const members = await harness.run("microsoft-teams-chat-member-list", { chat });
    // learn.microsoft.com/graph/api/chat-list-members: GET /chats/{chat-id}/members.
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/chats/${chat}/members` });
    expect(members.readable).toContain("|Isaiah Langer|isaiahl@contoso.onmicrosoft.com|");
    expect(members.outputs).toMatchObject({
      chatId: chat,
      members: expect.arrayContaining([expect.objectContaining({ userId: ALEX })]),
    });

    const renamed = await harness.run("microsoft-teams-chat-update", {
      chat,
      chat_name: "INC-4712 (closed)",
    });
    // learn.microsoft.com/graph/api/chat-patch: PATCH /chats/{chat-id} with the topic.
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: `/v1.0/chats/${chat}`,
      body: { topic: "INC-4712 (closed)" },
    });
    expect(renamed.readable).toContain("has been successfully changed to 'INC-4712 (closed)'");

    const listed = await harness.run("microsoft-teams-chat-list", { chat, expand: "members" });
    // learn.microsoft.com/graph/api/chat-get: GET /chats/{chat-id}?$expand=members.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/chats/${chat}`,
      query: { $expand: "members" },
    });
    expect(listed.outputs).toEqual([expect.objectContaining({ chatId: chat, topic: "INC-4712 (closed)" })]);
  });

  it("microsoft-teams-chat-message-list pages a seeded chat's messages", async () => {
    const result = await harness.run("microsoft-teams-chat-message-list", {
      chat: RESPONDERS,
      limit: "5",
      page_size: "2",
    });
    // learn.microsoft.com/graph/api/chat-list-messages: $top (at most 50) and $orderby … desc.
    expect(harness.calls[0]).toMatchObject({
      method: "GET",
      path: `/v1.0/chats/${RESPONDERS}/messages`,
      query: { $top: "2", $orderby: "lastModifiedDateTime desc" },
    });
    expect(result.readable).toContain("Blocking the domain at the proxy now.");
    expect(result.outputs).toMatchObject({
      chatId: RESPONDERS,
      messages: [expect.objectContaining({ chatId: RESPONDERS })],
    });
  });
});

describe("messages of a chat or a channel, and health", () => {
  it("microsoft-teams-list-messages lists a channel's messages by team and channel name, and gets one", async () => {
    const result = await harness.run("microsoft-teams-list-messages", {
      conversation_id: "General",
      team_name: "Security Operations",
      limit: "10",
    });
    // learn.microsoft.com/graph/api/channel-list-messages: GET /teams/{team-id}/channels/{channel-id}/messages, $top.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/teams/${TEAM}/channels/${GENERAL}/messages`,
      query: { $top: "10" },
    });
    expect(result.readable).toContain("Shift handover: two open phishing incidents.");
    expect(result.additionalOutputs).toMatchObject({
      "MicrosoftTeams.MessagesListMetadata": { returned_count: expect.any(Number) },
    });
    const one = await harness.run("microsoft-teams-list-messages", {
      conversation_id: GENERAL,
      team_name: TEAM,
      message_id: "1701936000000",
    });
    // learn.microsoft.com/graph/api/chatmessage-get: GET …/channels/{channel-id}/messages/{message-id}.
    expect(harness.lastCall().path).toBe(`/v1.0/teams/${TEAM}/channels/${GENERAL}/messages/1701936000000`);
    expect(one.outputs).toMatchObject({
      chatId: GENERAL,
      messages: [expect.objectContaining({ id: "1701936000000" })],
    });

    const chat = await harness.run("microsoft-teams-list-messages", { conversation_id: RESPONDERS });
    // learn.microsoft.com/graph/api/chat-list-messages: $orderby lastModifiedDateTime desc.
    expect(harness.lastCall()).toMatchObject({
      path: `/v1.0/chats/${RESPONDERS}/messages`,
      query: { $top: "50", $orderby: "lastModifiedDateTime desc" },
    });
    expect(chat.readable).toContain("Blocking the domain at the proxy now.");
  });

  it("microsoft-teams-integration-health reads Graph and the Bot Connector", async () => {
    const result = await harness.run("microsoft-teams-integration-health");
    expect(harness.calls.map((call) => `${call.method} ${call.host}${call.path}`)).toEqual([
      `GET ${BOT_HOST}/teams/v3/conversations`,
      "GET graph.microsoft.com/v1.0/teams",
    ]);
    expect(result.readable).toContain("|Operational|Operational|");
    const failing = await harness.run("microsoft-teams-integration-health", {}, noGrant);
    // That app is unknown to the botframework.com tenant and has no Teams permission in Contoso.
    expect(failing.readable).toMatch(
      /\|Non operational: .*AADSTS700016.*\|Non operational: .*Missing role permissions/,
    );
  });
});

describe("through authorization code (the signed-in user: Adele Vance)", () => {
  it("lists, finds by topic, sends to and creates chats, manages channel members, and the bot still uses its own token", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("microsoft-teams-generate-login-url");
    await instance.set({ auth_code: await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl) });

    const chats = await instance.run("microsoft-teams-chat-list");
    // learn.microsoft.com/graph/api/chat-list: GET /chats (delegated) with $top up to 50.
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/v1.0/chats", query: { $top: "50" } });
    expect(chats.outputs).toEqual(
      expect.arrayContaining([expect.objectContaining({ chatId: RESPONDERS, topic: "INC-4711 responders" })]),
    );

    const sent = await instance.run("microsoft-teams-message-send-to-chat", {
      chat: "INC-4711 responders",
      content: "<b>Proxy block confirmed.</b>",
      content_type: "html",
    });
    // learn.microsoft.com/graph/api/chat-post-messages: POST /chats/{chat-id}/messages with a body.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/chats/${RESPONDERS}/messages`,
      body: { body: { contentType: "html", content: "<b>Proxy block confirmed.</b>" } },
    });
    expect(sent.outputs).toMatchObject({ chatId: RESPONDERS, messages: { id: expect.any(String) } });
    const messages = await instance.run("microsoft-teams-chat-message-list", { chat: "INC-4711 responders" });
    expect(messages.readable).toContain("Proxy block confirmed.");

    // A one-on-one chat with Megan exists: the signed-in user (GET /me) and Megan get it back.
    const oneOnOne = await instance.run("microsoft-teams-chat-create", {
      chat_type: "oneOnOne",
      member: MEGAN,
    });
    expect(harness.calls.at(-2)).toMatchObject({ method: "GET", path: "/v1.0/me" });
    expect(oneOnOne.outputs).toMatchObject({
      chatId: `19:${ADELE}_${MEGAN}@unq.gbl.spaces`,
      chatType: "oneOnOne",
    });

    await channelMembers((command, args) => instance.run(command, args));

    harness.emulator.clearRequests();
    harness.clear();
    const notified = await instance.run("send-notification", {
      team: TEAM,
      channel: GENERAL,
      message: "From the bot.",
    });
    expect(notified.outputs).toEqual({ ID: expect.any(String) });
    expectBotToken();
  });
});

describe("-test and permissions", () => {
  it("microsoft-teams-test reads one team from Graph and the bot's conversations from the Bot Connector", async () => {
    const result = await harness.run("microsoft-teams-test");
    const by = (service: string) =>
      harness.emulator.requests
        .filter((request) => request.service === service)
        .map((request) => `${request.method} ${request.path}`);
    expect(by("graph")).toEqual(["GET /v1.0/teams"]);
    // Connector API reference, Get Conversations: GET /v3/conversations.
    expect(by("bot-framework")).toEqual(["GET /teams/v3/conversations"]);
    expect(result.readable).toContain("authenticated with Client Credentials and reached:");
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/teams → 200");
    expect(result.readable).toContain(`- Bot Framework: GET ${BOT_HOST}/teams/v3/conversations → 200`);
  });

  it("microsoft-teams-auth-test with an app without permissions fails naming Team.ReadBasic.All", async () => {
    await expect(harness.run("microsoft-teams-auth-test", {}, noGrant)).rejects.toThrow(
      /lacks the application permission Team\.ReadBasic\.All/,
    );
  });

  it("a 403 of a command names the command's permission (and Teams names the roles it wanted)", async () => {
    const error = await harness
      .run("microsoft-teams-channel-user-list", { team: TEAM, channel_name: GENERAL }, noGrant)
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain("Missing role permissions on the request");
    expect(String(error)).toContain(
      "microsoft-teams-channel-user-list needs: application permission Team.ReadBasic.All",
    );
    expect(String(error)).toContain(
      "application permission ChannelMember.Read.All (or ChannelMember.ReadWrite.All)",
    );
  });
});
