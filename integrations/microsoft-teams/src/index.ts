import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { addUserToChannel, createChannel, createMeeting, listChannelUsers } from "./channels.js";

const teamArgument = {
  name: "team_id",
  description: "The team's ID (its group ID).",
  required: true,
} as const;
// Permissions: the "Permissions" table of each call's page under learn.microsoft.com/graph/api/, least privileged
// first (backward-compatibility entries such as Group.ReadWrite.All last).
/** teams-list: what `-test` reads. */
const TEAMS_LIST = {
  application: [
    "Team.ReadBasic.All",
    "TeamSettings.Read.All",
    "TeamSettings.ReadWrite.All",
    "Directory.Read.All",
  ],
  delegated: [
    "Team.ReadBasic.All",
    "TeamSettings.Read.All",
    "TeamSettings.ReadWrite.All",
    "Directory.Read.All",
  ],
};

const channelArgument = { name: "channel_id", description: "The channel's ID.", required: true } as const;

/** Microsoft Teams: channels, channel members and online meetings through Microsoft Graph. */
export default defineIntegration({
  id: "microsoft-teams",
  version: packageJson.version,
  displayName: "Microsoft Teams",
  commandPrefix: "microsoft-teams",
  description:
    "Creates channels and online meetings and manages channel members. The Teams bot's Bot Framework messaging is not part of this package.",
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
      "ChannelMember.ReadWrite.All",
      "OnlineMeetings.ReadWrite",
      "Team.ReadBasic.All",
      "offline_access",
    ],
  }),
  permissions: {
    application: [
      "Channel.Create",
      "ChannelMember.ReadWrite.All",
      "OnlineMeetings.ReadWrite.All",
      "Team.ReadBasic.All",
    ],
    delegated: [
      "Channel.Create",
      "ChannelMember.ReadWrite.All",
      "OnlineMeetings.ReadWrite",
      "Team.ReadBasic.All",
    ],
  },
  commands: {
    "microsoft-teams-create-channel": {
      description: "Creates a standard channel in a team.",
      arguments: [
        teamArgument,
        { name: "channel_name", description: "The channel's name.", required: true },
        { name: "description", description: "The channel's description." },
      ],
      outputs: [
        { path: "MicrosoftTeams.Channel.ID", type: "string", description: "The channel's ID." },
        { path: "MicrosoftTeams.Channel.DisplayName", type: "string", description: "The channel's name." },
        { path: "MicrosoftTeams.Channel.WebUrl", type: "string", description: "A link to the channel." },
      ],
      // channel-post
      permissions: {
        application: [
          "Channel.Create",
          "Teamwork.Migrate.All",
          "Group.ReadWrite.All",
          "Directory.ReadWrite.All",
        ],
        delegated: ["Channel.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
      },
      run: createChannel,
    },
    "microsoft-teams-channel-user-list": {
      description: "Lists the members of a channel.",
      arguments: [teamArgument, channelArgument],
      outputs: [
        { path: "MicrosoftTeams.ChannelList.channelId", type: "string", description: "The channel's ID." },
        {
          path: "MicrosoftTeams.ChannelList.members.displayName",
          type: "string",
          description: "The member's name.",
        },
        {
          path: "MicrosoftTeams.ChannelList.members.email",
          type: "string",
          description: "The member's address.",
        },
        {
          path: "MicrosoftTeams.ChannelList.members.roles",
          type: "unknown",
          description: "owner, or none for members.",
        },
      ],
      // channel-list-members
      permissions: {
        application: ["ChannelMember.Read.All", "ChannelMember.ReadWrite.All"],
        delegated: ["ChannelMember.Read.All", "ChannelMember.ReadWrite.All"],
      },
      run: listChannelUsers,
    },
    "microsoft-teams-add-user-to-channel": {
      description: "Adds a team member to a private channel.",
      arguments: [
        teamArgument,
        channelArgument,
        { name: "member", description: "The user's object ID or principal name.", required: true },
        {
          name: "owner",
          description: "true to make the user a channel owner.",
          defaultValue: "false",
          predefined: ["true", "false"],
        },
      ],
      // channel-post-members
      permissions: {
        application: ["ChannelMember.ReadWrite.All"],
        delegated: ["ChannelMember.ReadWrite.All"],
      },
      run: addUserToChannel,
    },
    "microsoft-teams-create-meeting": {
      description: "Creates an online meeting for a user.",
      arguments: [
        { name: "user", description: "The organizer: object ID or principal name.", required: true },
        { name: "subject", description: "The meeting's subject.", required: true },
        { name: "start_time", description: "Start, ISO 8601 (default: now)." },
        { name: "end_time", description: "End, ISO 8601 (default: start + 30 minutes)." },
      ],
      outputs: [
        { path: "MicrosoftTeams.CreateMeeting.id", type: "string", description: "The meeting's ID." },
        {
          path: "MicrosoftTeams.CreateMeeting.subject",
          type: "string",
          description: "The meeting's subject.",
        },
        { path: "MicrosoftTeams.CreateMeeting.joinWebUrl", type: "string", description: "The join link." },
        { path: "MicrosoftTeams.CreateMeeting.startDateTime", type: "date", description: "When it starts." },
      ],
      // application-post-onlinemeetings (apps also need an application access policy for the organizer)
      permissions: { application: ["OnlineMeetings.ReadWrite.All"], delegated: ["OnlineMeetings.ReadWrite"] },
      run: createMeeting,
    },
  },
  // One team: the cheapest read of the Teams API that needs no team or channel ID.
  testPermissions: TEAMS_LIST,
  async test({ api }) {
    await api.get("/v1.0/teams", { $top: 1 }, { expect: "collection" });
  },
});
