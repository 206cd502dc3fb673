import type { OutputDefinition } from "@msint/integration-kit";
import { quickNotification, sendNotification, updateMessage } from "./bot.js";
import { CHANNELS_LIST, TEAMS_LIST, USER_GET } from "./permissions.js";

// The bot's messages (Bot Framework). Bot Framework tokens carry no permissions: the bot must be installed in the
// team, or for the user. The Graph permissions are those of the lookups by name (teams-list, channel-list, user-get).

const messageOutput: OutputDefinition[] = [
  { path: "MicrosoftTeams.Message.ID", type: "string", description: "The message's ID." },
];

export const botCommands = {
  "send-notification": {
    description:
      "Sends a message or an Adaptive Card from the bot to a channel (by team and channel name) or to a user (personal chat with the bot).",
    arguments: [
      {
        name: "channel",
        description: "The channel's name (or ID), in team (default: the instance's Default team).",
      },
      { name: "message", description: "The text to send." },
      {
        name: "team_member",
        description: "The user to send to: principal name, mail, object ID or display name.",
      },
      {
        name: "team",
        description: "The team's name (or ID) of channel (default: the instance's Default team).",
      },
      { name: "message_id", description: "Reply in the thread of this channel message." },
      { name: "adaptive_card", description: "An Adaptive Card's JSON, sent instead of message." },
      { name: "to", description: "Same as team_member." },
      {
        name: "external_form_url_header",
        description: "XSOAR's header of an external form; msint sends no forms and ignores it.",
        defaultValue: "Microsoft Teams Form",
      },
    ],
    outputs: messageOutput,
    permissions: [TEAMS_LIST, CHANNELS_LIST, USER_GET],
    run: sendNotification,
  },
  "teams-send-notification-quick-action": {
    description: "Sends a text message from the bot to a channel of the instance's Default team.",
    arguments: [
      { name: "channel", description: "The channel's name (or ID).", required: true },
      { name: "message", description: "The text to send.", required: true },
    ],
    outputs: messageOutput,
    permissions: [TEAMS_LIST, CHANNELS_LIST],
    run: quickNotification,
  },
  "microsoft-teams-message-update": {
    description: "Replaces the text of a message the bot sent to a channel or to a user.",
    arguments: [
      {
        name: "message_id",
        description: "The ID of the bot's message (send-notification's MicrosoftTeams.Message.ID).",
        required: true,
      },
      {
        name: "team",
        description: "The team's name (or ID) of channel (default: the instance's Default team).",
      },
      { name: "channel", description: "The channel's name (or ID) the message is in." },
      { name: "message", description: "The new text." },
      { name: "team_member", description: "The user whose personal chat with the bot has the message." },
      {
        name: "format_as_card",
        description: "true to send the text as an Adaptive Card.",
        predefined: ["true", "false"],
      },
    ],
    outputs: messageOutput,
    permissions: [TEAMS_LIST, CHANNELS_LIST, USER_GET],
    run: updateMessage,
  },
} as const;
