import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { botFramework } from "./bot.js";
import { botCommands } from "./commands-bot.js";
import { channelCommands } from "./commands-channels.js";
import { chatCommands } from "./commands-chats.js";
import { TEAMS_LIST } from "./permissions.js";

// XSOAR names, arguments and context outputs from demisto/content
// Packs/MicrosoftTeams/Integrations/MicrosoftTeams/MicrosoftTeams.yml (and MicrosoftTeams.py) at commit
// 0119662e70659a1ee929341bba9ad429633bdc1c (data/xsoar/microsoft-teams.json). XSOAR's Teams has no Cortex XSOAR
// application: the bot's own app registration (Bot ID and password) gets Graph tokens from the customer's tenant
// and Bot Framework tokens from the botframework.com tenant; msint does the same with App/Client ID and secret.

/** Microsoft Teams: the bot's messages through the Bot Framework, and channels, chats and meetings through Graph. */
export default defineIntegration({
  id: "microsoft-teams",
  version: packageJson.version,
  displayName: "Microsoft Teams",
  commandPrefix: "microsoft-teams",
  description:
    "Sends the bot's notifications to channels and users through the Bot Framework, and manages channels, channel members, chats and online meetings through Microsoft Graph. Teams and channels are addressed by name.",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: false,
    nationalClouds: false,
  },
  resource: graph({
    application: [".default"],
    delegated: [
      "Channel.Create",
      "Channel.Delete.All",
      "Channel.ReadBasic.All",
      "ChannelMember.ReadWrite.All",
      "Chat.ReadWrite",
      "OnlineMeetings.ReadWrite",
      "Team.ReadBasic.All",
      "User.ReadBasic.All",
      "offline_access",
    ],
  }),
  additionalResources: { bot: botFramework },
  parameters: [
    {
      key: "team",
      displayName: "Default team",
      type: "string",
      help: "The team whose channels commands address when they are given no team (as XSOAR's Default team).",
    },
  ],
  permissions: {
    application: [
      "Channel.Create",
      "Channel.Delete.All",
      "Channel.ReadBasic.All",
      "ChannelMember.ReadWrite.All",
      "Chat.Create",
      "ChatMember.ReadWrite.All",
      "OnlineMeetings.ReadWrite.All",
      "Team.ReadBasic.All",
      "User.Read.All",
    ],
    delegated: [
      "Channel.Create",
      "Channel.Delete.All",
      "Channel.ReadBasic.All",
      "ChannelMember.ReadWrite.All",
      "Chat.ReadWrite",
      "OnlineMeetings.ReadWrite",
      "Team.ReadBasic.All",
      "User.ReadBasic.All",
    ],
  },
  commands: { ...botCommands, ...channelCommands, ...chatCommands },
  // One team: the cheapest read of the Teams API that needs no team or channel ID. The Bot Framework is reached by
  // its probe (Get Conversations).
  testPermissions: TEAMS_LIST,
  async test({ api }) {
    await api.get("/v1.0/teams", { $top: 1 }, { expect: "collection" });
  },
});
