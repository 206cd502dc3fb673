import { type CommandContext, type CommandResult, tableToMarkdown } from "@msint/integration-kit";
import { collect } from "./chats.js";
import { channelId, teamId } from "./lookup.js";

// Listing a chat's or a channel's messages (learn.microsoft.com/graph/api/chat-list-messages, channel-list-messages,
// chatmessage-get), and the health of both APIs the integration calls.

type Entity = Record<string, unknown>;

/**
 * `microsoft-teams-list-messages`: a chat's messages (conversation_id is the chat ID), or with team_name a channel's
 * (conversation_id is the channel's name or ID); message_id gets that one message.
 */
export async function listMessages(
  context: CommandContext<{ conversation_id: string }>,
): Promise<CommandResult> {
  const { api, args } = context;
  let base: string;
  let conversation = args.conversation_id;
  if (args["team_name"]) {
    const team = await teamId(api, args["team_name"]);
    conversation = await channelId(api, team, args.conversation_id);
    base = `/v1.0/teams/${encodeURIComponent(team)}/channels/${encodeURIComponent(conversation)}/messages`;
  } else {
    base = `/v1.0/chats/${encodeURIComponent(conversation)}/messages`;
  }
  let messages: Entity[];
  let nextLink: string | undefined;
  if (args["message_id"]) {
    messages = [await api.get<Entity>(`${base}/${encodeURIComponent(args["message_id"])}`)];
  } else {
    // Chats order by lastModifiedDateTime or createdDateTime (desc); channel-list-messages takes only $top.
    const query: Record<string, string> = args["team_name"]
      ? {}
      : { $orderby: `${args["order_by"] ?? "lastModifiedDateTime"} desc` };
    ({ items: messages, nextLink } = await collect(api, { ...args, page_size: args["limit"] }, base, query));
  }
  const rows = messages.map((message) => ({
    Id: message["id"],
    From: (message["from"] as { user?: { displayName?: string } } | null)?.user?.displayName,
    Created: message["createdDateTime"],
    Content: (message["body"] as { content?: string } | undefined)?.content,
  }));
  return {
    readable: tableToMarkdown(`Messages list in "${args.conversation_id}":`, rows),
    outputsPrefix: "MicrosoftTeams.MessagesList",
    outputsKeyField: "chatId",
    outputs: { chatId: conversation, messages },
    additionalOutputs: {
      "MicrosoftTeams.MessagesListMetadata": {
        returned_count: messages.length,
        filtered_count: messages.length,
      },
      ...(nextLink ? { "MicrosoftTeams.MessagesListNextLink": nextLink } : {}),
    },
    raw: messages,
  };
}

/** `microsoft-teams-integration-health`: one cheap read of Microsoft Graph and of the Bot Framework. */
export async function integrationHealth(context: CommandContext): Promise<CommandResult> {
  const check = async (call: () => Promise<unknown>) => {
    try {
      await call();
      return "Operational";
    } catch (error) {
      return `Non operational: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
    }
  };
  const health = {
    "Bot Framework API Health": await check(() =>
      context.apiFor("bot").request({ method: "GET", path: "/v3/conversations", expect: "none" }),
    ),
    "Graph API Health": await check(() =>
      context.api.get("/v1.0/teams", { $top: 1 }, { expect: "collection" }),
    ),
  };
  return { readable: tableToMarkdown("Microsoft API Health", health), raw: health };
}
