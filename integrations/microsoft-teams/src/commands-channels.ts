import type { OutputDefinition } from "@msint/integration-kit";
import {
  addUserToChannel,
  closeChannel,
  createChannel,
  createMeeting,
  listChannelUsers,
  removeUserFromChannel,
} from "./channels.js";
import {
  CHANNEL_MEMBERS_READ,
  CHANNEL_MEMBERS_WRITE,
  CHANNELS_LIST,
  TEAMS_LIST,
  USER_GET,
} from "./permissions.js";

const team = { name: "team", description: "The team's name (or its group ID).", required: true } as const;
const member = (what: string) =>
  ({
    name: "member",
    description: `${what}: principal name, mail, object ID or display name.`,
    required: true,
  }) as const;

const memberOutputs: OutputDefinition[] = [
  "displayName",
  "email",
  "id",
  "roles",
  "tenantId",
  "userId",
  "visibleHistoryStartDateTime",
].map((field) => ({
  path: `MicrosoftTeams.ChannelList.members.${field}`,
  type: "string",
  description: `The member's ${field}.`,
}));
const meetingOutputs: OutputDefinition[] = [
  "creationDateTime",
  "threadId",
  "messageId",
  "id",
  "joinWebUrl",
  "participantId",
  "participantDisplayName",
].map((field) => ({
  path: `MicrosoftTeams.CreateMeeting.${field}`,
  type: "string",
  description: `The meeting's ${field}.`,
}));

export const channelCommands = {
  "close-channel": {
    description: "Deletes a channel of a team.",
    arguments: [
      { name: "channel", description: "The channel's name (or ID)." },
      { name: "team", description: "The team's name (or ID) (default: the instance's Default team)." },
    ],
    // channel-delete
    permissions: [
      TEAMS_LIST,
      CHANNELS_LIST,
      {
        application: ["Channel.Delete.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
        delegated: ["Channel.Delete.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
      },
    ],
    run: closeChannel,
  },
  "microsoft-teams-create-channel": {
    description: "Creates a channel in a team.",
    arguments: [
      { name: "channel_name", description: "The channel's name.", required: true },
      team,
      { name: "description", description: "The channel's description." },
      {
        name: "membership_type",
        description: "standard, private or shared.",
        defaultValue: "standard",
        predefined: ["private", "standard", "shared"],
      },
      { name: "owner_user", description: "The owner of a private or shared channel (an app must name one)." },
    ],
    outputs: [
      { path: "MicrosoftTeams.Channel.ID", type: "string", description: "msint only: the channel's ID." },
      {
        path: "MicrosoftTeams.Channel.DisplayName",
        type: "string",
        description: "msint only: the channel's name.",
      },
      {
        path: "MicrosoftTeams.Channel.WebUrl",
        type: "string",
        description: "msint only: a link to the channel.",
      },
    ],
    // channel-post
    permissions: [
      TEAMS_LIST,
      {
        application: [
          "Channel.Create",
          "Teamwork.Migrate.All",
          "Group.ReadWrite.All",
          "Directory.ReadWrite.All",
        ],
        delegated: ["Channel.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
      },
    ],
    run: createChannel,
  },
  "microsoft-teams-channel-user-list": {
    description: "Lists the members of a channel.",
    arguments: [{ name: "channel_name", description: "The channel's name (or ID).", required: true }, team],
    outputs: [
      { path: "MicrosoftTeams.ChannelList.channelId", type: "string", description: "The channel's ID." },
      { path: "MicrosoftTeams.ChannelList.channelName", type: "string", description: "The channel's name." },
      ...memberOutputs,
    ],
    permissions: [TEAMS_LIST, CHANNELS_LIST, CHANNEL_MEMBERS_READ],
    run: listChannelUsers,
  },
  "microsoft-teams-add-user-to-channel": {
    description: "Adds a team member to a private or shared channel.",
    arguments: [
      { name: "channel", description: "The channel's name (or ID).", required: true },
      team,
      member("The user"),
      {
        name: "owner",
        description: "true to make the user a channel owner.",
        defaultValue: "false",
        predefined: ["true", "false"],
      },
    ],
    permissions: [TEAMS_LIST, CHANNELS_LIST, USER_GET, CHANNEL_MEMBERS_WRITE],
    run: addUserToChannel,
  },
  "microsoft-teams-user-remove-from-channel": {
    description: "Removes a user from a private or shared channel.",
    arguments: [
      { name: "channel_name", description: "The channel's name (or ID).", required: true },
      team,
      member("The member: display name, mail or object ID"),
    ],
    // channel-delete-members (the membership is found with channel-list-members)
    permissions: [TEAMS_LIST, CHANNELS_LIST, CHANNEL_MEMBERS_WRITE],
    run: removeUserFromChannel,
  },
  "microsoft-teams-create-meeting": {
    description: "Creates an online meeting organized by a user.",
    arguments: [
      { name: "start_time", description: "Start, ISO 8601 (default: now)." },
      { name: "end_time", description: "End, ISO 8601 (default: start + 30 minutes)." },
      { name: "subject", description: "The meeting's subject.", required: true },
      member("The organizer"),
    ],
    outputs: meetingOutputs,
    // application-post-onlinemeetings (apps also need an application access policy for the organizer)
    permissions: [
      USER_GET,
      { application: ["OnlineMeetings.ReadWrite.All"], delegated: ["OnlineMeetings.ReadWrite"] },
    ],
    run: createMeeting,
  },
} as const;
