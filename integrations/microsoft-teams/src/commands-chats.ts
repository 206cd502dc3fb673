import type { OutputDefinition } from "@msint/integration-kit";
import {
  addChatUsers,
  createChat,
  listChatMembers,
  listChatMessages,
  listChats,
  sendToChat,
  updateChat,
} from "./chats.js";
import { integrationHealth, listMessages } from "./messages.js";
import { CHAT_GET, CHATS_LIST, TEAMS_LIST, USER_GET } from "./permissions.js";

// Chats through Microsoft Graph; sending and listing one's chats are delegated (Authorization Code), as in XSOAR.

const chat = {
  name: "chat",
  description: "The chat's ID (19:…) or, with Authorization Code, a group chat's topic.",
  required: true,
} as const;
const CHAT_FIELDS = [
  "chatId",
  "topic",
  "createdDateTime",
  "lastUpdatedDateTime",
  "chatType",
  "webUrl",
  "tenantId",
  "viewpoint",
  "onlineMeetingInfo",
];
const chatOutputs: OutputDefinition[] = CHAT_FIELDS.map((field) => ({
  path: `MicrosoftTeams.ChatList.${field}`,
  type: "string" as const,
  description: `The chat's ${field}.`,
}));
const MESSAGE_FIELDS = [
  "id",
  "replyToId",
  "etag",
  "messageType",
  "createdDateTime",
  "lastModifiedDateTime",
  "lastEditedDateTime",
  "deletedDateTime",
  "subject",
  "summary",
  "chatId",
  "importance",
  "locale",
  "webUrl",
  "channelIdentity",
  "policyViolation",
  "eventDetail",
  "from",
  "body",
  "attachments",
  "mentions",
  "reactions",
];
const messageOutputs: OutputDefinition[] = [
  { path: "MicrosoftTeams.ChatList.chatId", type: "string", description: "The chat's ID." },
  ...MESSAGE_FIELDS.map((field) => ({
    path: `MicrosoftTeams.ChatList.messages.${field}`,
    type: "unknown" as const,
    description: `The message's ${field}.`,
  })),
];
const paging = [
  { name: "limit", description: "How many to return at most.", defaultValue: "50" },
  { name: "next_link", description: "The next page's link from a previous run." },
  { name: "page_size", description: "How many per request (at most 50).", defaultValue: "50" },
] as const;

export const chatCommands = {
  "microsoft-teams-chat-create": {
    description:
      "Creates a group or one-on-one chat (with Authorization Code, the signed-in user is a member).",
    arguments: [
      {
        name: "chat_type",
        description: "group or oneOnOne.",
        required: true,
        defaultValue: "group",
        predefined: ["group", "oneOnOne"],
      },
      {
        name: "member",
        description: "Comma-separated users: principal name, mail, object ID or display name.",
      },
      { name: "chat_name", description: "The topic of a group chat." },
    ],
    outputs: chatOutputs,
    // chat-post
    permissions: [
      USER_GET,
      {
        application: ["Chat.Create", "Teamwork.Migrate.All", "Chat.ReadWrite.All"],
        delegated: ["Chat.Create", "Chat.ReadWrite"],
      },
    ],
    run: createChat,
  },
  "microsoft-teams-message-send-to-chat": {
    description: "Sends a message to a chat as the signed-in user (Authorization Code).",
    arguments: [
      chat,
      { name: "content", description: "The message's text or HTML.", required: true },
      {
        name: "content_type",
        description: "text or html.",
        defaultValue: "text",
        predefined: ["text", "html"],
      },
    ],
    outputs: messageOutputs,
    // chat-post-messages (application permissions only for migration)
    permissions: { delegated: ["ChatMessage.Send", "Chat.ReadWrite"] },
    run: sendToChat,
  },
  "microsoft-teams-chat-add-user": {
    description: "Adds users to a group chat.",
    arguments: [
      chat,
      {
        name: "member",
        description: "Comma-separated users: principal name, mail, object ID or display name.",
        required: true,
      },
      {
        name: "share_history",
        description: "true to let them see the whole chat history.",
        defaultValue: "true",
        predefined: ["true", "false"],
      },
    ],
    // chat-post-members
    permissions: [
      USER_GET,
      {
        application: ["ChatMember.ReadWrite.All", "Chat.ReadWrite.All"],
        delegated: ["ChatMember.ReadWrite", "Chat.ReadWrite"],
      },
    ],
    run: addChatUsers,
  },
  "microsoft-teams-chat-member-list": {
    description: "Lists the members of a chat.",
    arguments: [chat],
    outputs: [
      { path: "MicrosoftTeams.ChatList.chatId", type: "string", description: "The chat's ID." },
      ...["displayName", "email", "id", "roles", "tenantId", "userId", "visibleHistoryStartDateTime"].map(
        (field) => ({
          path: `MicrosoftTeams.ChatList.members.${field}`,
          type: "string" as const,
          description: `The member's ${field}.`,
        }),
      ),
    ],
    // chat-list-members
    permissions: {
      application: [
        "ChatMember.Read.All",
        "ChatMember.ReadWrite.All",
        "Chat.ReadBasic.All",
        "Chat.Read.All",
        "Chat.ReadWrite.All",
      ],
      delegated: ["ChatMember.Read", "ChatMember.ReadWrite", "Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"],
    },
    run: listChatMembers,
  },
  "microsoft-teams-chat-message-list": {
    description: "Lists a chat's messages, newest first.",
    arguments: [
      chat,
      paging[0],
      {
        name: "order_by",
        description: "Newest first by lastModifiedDateTime or createdDateTime.",
        defaultValue: "lastModifiedDateTime",
        predefined: ["lastModifiedDateTime", "createdDateTime"],
      },
      paging[1],
      paging[2],
    ],
    outputs: [
      ...messageOutputs,
      { path: "MicrosoftTeams.MessageListNextLink", type: "string", description: "The next page's link." },
    ],
    // chat-list-messages
    permissions: {
      application: ["Chat.Read.All", "Chat.ReadWrite.All"],
      delegated: ["Chat.Read", "Chat.ReadWrite"],
    },
    run: listChatMessages,
  },
  "microsoft-teams-chat-list": {
    description: "Lists the signed-in user's chats (Authorization Code), or gets one chat.",
    arguments: [
      {
        name: "chat",
        description: "One chat's ID (19:…) or, with Authorization Code, a group chat's topic.",
      },
      { name: "filter", description: "An OData $filter, e.g. topic eq 'INC-4711 responders'." },
      {
        name: "expand",
        description: "members or lastMessagePreview.",
        predefined: ["members", "lastMessagePreview"],
      },
      ...paging,
    ],
    outputs: [
      ...chatOutputs,
      { path: "MicrosoftTeams.ChatListNextLink", type: "string", description: "The next page's link." },
    ],
    // chat-list, chat-get
    permissions: [CHATS_LIST, CHAT_GET],
    run: listChats,
  },
  "microsoft-teams-list-messages": {
    description: "Lists a chat's messages, or with team_name a channel's; message_id gets one message.",
    arguments: [
      {
        name: "conversation_id",
        description: "The chat's ID, or with team_name the channel's name (or ID).",
        required: true,
      },
      { name: "team_name", description: "The team of the channel: its name (or ID)." },
      paging[0],
      {
        name: "order_by",
        description: "Chats: newest first by lastModifiedDateTime or createdDateTime.",
        defaultValue: "lastModifiedDateTime",
        predefined: ["lastModifiedDateTime", "createdDateTime"],
      },
      paging[1],
      { name: "message_id", description: "Get only this message." },
    ],
    outputs: [
      {
        path: "MicrosoftTeams.MessagesList.chatId",
        type: "string",
        description: "The chat's or channel's ID.",
      },
      ...MESSAGE_FIELDS.map((field) => ({
        path: `MicrosoftTeams.MessagesList.messages.${field}`,
        type: "unknown" as const,
        description: `The message's ${field}.`,
      })),
      { path: "MicrosoftTeams.MessagesListNextLink", type: "string", description: "The next page's link." },
      {
        path: "MicrosoftTeams.MessagesListMetadata.returned_count",
        type: "number",
        description: "How many.",
      },
    ],
    // chat-list-messages, channel-list-messages, chatmessage-get (a channel is found by name: teams-list, channel-list)
    permissions: {
      application: ["ChannelMessage.Read.All", "Chat.Read.All", "Chat.ReadWrite.All"],
      delegated: ["ChannelMessage.Read.All", "Chat.Read", "Chat.ReadWrite"],
    },
    run: listMessages,
  },
  "microsoft-teams-integration-health": {
    description: "Says whether Microsoft Graph and the Bot Framework answer the instance.",
    permissions: TEAMS_LIST,
    run: integrationHealth,
  },
  "microsoft-teams-chat-update": {
    description: "Renames a group chat (its topic).",
    arguments: [chat, { name: "chat_name", description: "The new topic.", required: true }],
    // chat-patch
    permissions: { application: ["Chat.ReadWrite.All"], delegated: ["Chat.ReadWrite"] },
    run: updateChat,
  },
} as const;
