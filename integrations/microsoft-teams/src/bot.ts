import {
  type ApiClient,
  type CommandContext,
  type CommandResult,
  type ParameterDefinition,
  ParameterError,
  type ResourceDefinition,
  UsageError,
} from "@msint/integration-kit";
import { channelId, findUser, teamId, teamName } from "./lookup.js";

// Messaging through the Bot Framework, as XSOAR's Microsoft Teams bot does: the bot (the instance's app registration)
// gets its own token by client credentials from the botframework.com tenant for https://api.botframework.com
// (learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication, "Step 1: Request an
// access token from the Microsoft Entra ID account login service") and calls the Bot Connector service at Teams'
// serviceUrl (learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference).

/** Teams' global serviceUrl for proactive messages (learn.microsoft.com/microsoftteams/platform/bots/how-to/
 * conversations/send-proactive-messages). */
const DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams";

export const SERVICE_URL_PARAMETER: ParameterDefinition = {
  key: "service_url",
  displayName: "Bot Connector service URL",
  type: "url",
  help: "msint only: the serviceUrl of the bot's Teams activities (XSOAR learns it from the messages the bot receives). The global one serves every region; use the regional one Teams sends the bot (e.g. https://smba.trafficmanager.net/emea/) if you know it.",
  defaultValue: DEFAULT_SERVICE_URL,
};

/** The Bot Connector service: app-only tokens from the botframework.com tenant, whatever the instance's flow. */
export const botFramework: ResourceDefinition = {
  kind: "bot-framework",
  displayName: "Bot Framework",
  endpoint: (cloud, params) => {
    // The US Government and China clouds have Bot Framework services of their own (other token tenant, audience
    // and hosts) that msint does not implement: their tokens never go to the Worldwide Connector.
    if (cloud.loginHost !== "https://login.microsoftonline.com") {
      throw new ParameterError(
        `The Bot Framework of the cloud that signs in at ${cloud.loginHost} is not supported: the bot commands (send-notification, message-update) and microsoft-teams-test run in the Worldwide and US GCC clouds only. Choose Azure Cloud Worldwide, or use the Graph commands.`,
        "Azure Cloud",
      );
    }
    return String(params["service_url"] || DEFAULT_SERVICE_URL);
  },
  audience: () => "https://api.botframework.com",
  tenant: "botframework.com",
  applicationScopes: [".default"],
  delegatedScopes: [],
  customEndpoint: SERVICE_URL_PARAMETER,
  parameters: [SERVICE_URL_PARAMETER],
  // Get Conversations (GET /v3/conversations): the Connector's cheapest read.
  probe: { request: () => ({ method: "GET", path: "/v3/conversations" }) },
  permissionsApi: "Bot Framework (the bot's Microsoft App ID and password)",
};

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

/** The Activity of a message (text, or one Adaptive Card attachment), per the Connector's Activity object. */
function messageActivity(message: string | undefined, card: string | undefined): Record<string, unknown> {
  if (card) {
    let content: unknown;
    try {
      content = JSON.parse(card);
    } catch {
      throw new UsageError("adaptive_card must be the card's JSON (an AdaptiveCard object).");
    }
    return { type: "message", attachments: [{ contentType: ADAPTIVE_CARD, content }] };
  }
  if (!message) throw new UsageError("Give message=<text> or adaptive_card=<JSON>.");
  return { type: "message", text: message };
}

/** The instance's tenant: Teams needs it on a new conversation (channelData.tenant.id). */
function tenantOf(context: CommandContext): string {
  return String(context.params["tenant_id"] ?? "");
}

/**
 * The personal (one-on-one) conversation of the bot with a user: Create Conversation (POST /v3/conversations) with
 * the user's Entra object ID; Teams answers with the existing conversation when there is one.
 */
async function personalConversation(context: CommandContext, user: string): Promise<string> {
  const found = await findUser(context.api, user);
  const created = await context.apiFor("bot").request<{ id?: string }>({
    method: "POST",
    path: "/v3/conversations",
    expect: "object",
    body: {
      isGroup: false,
      bot: { id: `28:${String(context.params["auth_id"] ?? "")}` },
      members: [{ id: found.id }],
      channelData: { tenant: { id: tenantOf(context) } },
    },
  });
  if (!created?.id) throw new UsageError(`The Bot Framework created no conversation with ${user}.`);
  return created.id;
}

/** The conversation a message goes to: a channel of a team (by names), or a user's personal chat with the bot. */
async function conversationFor(
  context: CommandContext,
  names: { channel: string | undefined; user: string | undefined; team: string },
): Promise<string> {
  if (names.channel) {
    const team = await teamId(context.api, teamName(context, names.team));
    return channelId(context.api, team, names.channel);
  }
  if (names.user) return personalConversation(context, names.user);
  throw new UsageError("Give channel=<channel name> (with team) or team_member=<user> (or to=<user>).");
}

function activitiesPath(conversation: string): string {
  return `/v3/conversations/${encodeURIComponent(conversation)}/activities`;
}

async function send(bot: ApiClient, conversation: string, activity: Record<string, unknown>) {
  return bot.request<{ id?: string }>({
    method: "POST",
    path: activitiesPath(conversation),
    body: activity,
    expect: "object",
  });
}

/** `send-notification`: Send to Conversation (POST /v3/conversations/{conversationId}/activities). */
export async function sendNotification(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const activity = messageActivity(args["message"], args["adaptive_card"]);
  const user = args["team_member"] || args["to"];
  let conversation = await conversationFor(context, { channel: args["channel"], user, team: "team" });
  // A reply in a channel thread: Teams addresses the thread as `{channelId};messageid={rootMessageId}`.
  if (args["channel"] && args["message_id"]) conversation = `${conversation};messageid=${args["message_id"]}`;
  const sent = await send(context.apiFor("bot"), conversation, activity);
  return {
    readable: "Message was sent successfully.",
    outputsPrefix: "MicrosoftTeams.Message",
    outputsKeyField: "ID",
    outputs: { ID: sent?.id },
    raw: sent,
  };
}

/** `teams-send-notification-quick-action`: a text message to a channel of the instance's default team. */
export async function quickNotification(
  context: CommandContext<{ channel: string; message: string }>,
): Promise<CommandResult> {
  const conversation = await conversationFor(context, {
    channel: context.args.channel,
    user: undefined,
    team: "team",
  });
  const sent = await send(
    context.apiFor("bot"),
    conversation,
    messageActivity(context.args.message, undefined),
  );
  return {
    readable: "Message was sent successfully.",
    outputsPrefix: "MicrosoftTeams.Message",
    outputsKeyField: "ID",
    outputs: { ID: sent?.id },
    raw: sent,
  };
}

/** `microsoft-teams-message-update`: Update Activity (PUT /v3/conversations/{conversationId}/activities/{id}). */
export async function updateMessage(context: CommandContext<{ message_id: string }>): Promise<CommandResult> {
  const { args } = context;
  // format_as_card: the text in an Adaptive Card's TextBlock (adaptivecards.io/explorer/TextBlock.html).
  const card =
    args["format_as_card"] === "true" && args["message"]
      ? JSON.stringify({
          type: "AdaptiveCard",
          version: "1.4",
          body: [{ type: "TextBlock", text: args["message"], wrap: true }],
        })
      : undefined;
  const activity = messageActivity(card ? undefined : args["message"], card);
  const conversation = await conversationFor(context, {
    channel: args["channel"],
    user: args["team_member"],
    team: "team",
  });
  const updated = await context.apiFor("bot").request<{ id?: string }>({
    method: "PUT",
    path: `${activitiesPath(conversation)}/${encodeURIComponent(args.message_id)}`,
    body: { ...activity, id: args.message_id },
    expect: "object",
  });
  return {
    readable: "Message was updated successfully.",
    outputsPrefix: "MicrosoftTeams.Message",
    outputsKeyField: "ID",
    outputs: { ID: updated?.id ?? args.message_id },
    raw: updated,
  };
}
