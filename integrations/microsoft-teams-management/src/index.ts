import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  addMember,
  archiveTeam,
  getTeam,
  listJoinedTeams,
  listMembers,
  listTeams,
  memberRequest,
  removeMember,
  unarchiveTeam,
} from "./teams.js";

const teamOutputs = [
  { path: "MicrosoftTeams.Team.id", type: "string", description: "The team's ID." },
  { path: "MicrosoftTeams.Team.displayName", type: "string", description: "The team's name." },
  { path: "MicrosoftTeams.Team.description", type: "string", description: "The team's description." },
  { path: "MicrosoftTeams.Team.visibility", type: "string", description: "public or private." },
  { path: "MicrosoftTeams.Team.isArchived", type: "boolean", description: "Whether the team is archived." },
] as const;

// Permissions: the "Permissions" table of each call's page under learn.microsoft.com/graph/api/, least privileged
// first (backward-compatibility entries such as Group.ReadWrite.All last).
/** teams-list. */
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
/** team-post-members, team-delete-members. */
const TEAM_MEMBERS_WRITE = {
  application: ["TeamMember.ReadWrite.All"],
  delegated: ["TeamMember.ReadWrite.All"],
};

const teamId = { name: "team_id", description: "The team's ID.", required: true } as const;
const membershipId = {
  name: "membership_id",
  description: "The membership's ID (from the team's members).",
  required: true,
} as const;
/** team-list-members, team-get-members: TeamMember.Read.All least privileged. */
const TEAM_MEMBERS_READ = {
  application: ["TeamMember.Read.All", "TeamMember.ReadWrite.All"],
  delegated: ["TeamMember.Read.All", "TeamMember.ReadWrite.All"],
};
/** team-archive, team-unarchive. */
const TEAM_SETTINGS_WRITE = {
  application: ["TeamSettings.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["TeamSettings.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
};
const memberOutputs = [
  { path: "MicrosoftTeams.TeamMember.id", type: "string", description: "The membership's ID." },
  { path: "MicrosoftTeams.TeamMember.displayName", type: "string", description: "The member's name." },
  { path: "MicrosoftTeams.TeamMember.userId", type: "string", description: "The member's user ID." },
  { path: "MicrosoftTeams.TeamMember.email", type: "string", description: "The member's address." },
  { path: "MicrosoftTeams.TeamMember.roles", type: "unknown", description: "owner, or none for members." },
] as const;

// Names, arguments and the built-in client ID from demisto/content
// Packs/MicrosoftTeams/Integrations/MicrosoftTeamsManagement/MicrosoftTeamsManagement.yml (data/xsoar/microsoft-teams-management.json).
/** Microsoft Teams Management: teams and their membership through Microsoft Graph. */
export default defineIntegration({
  id: "microsoft-teams-management",
  version: packageJson.version,
  displayName: "Microsoft Teams Management",
  commandPrefix: "microsoft-teams",
  description: "Lists, reads and archives teams and adds and removes their members.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  // XSOAR's public client (the App/Client ID parameter's default in the yml above): an instance without its own
  // App/Client ID signs in with it through device code. XSOAR sends no broker app name for this integration.
  builtInClientId: "3307a0ab-612c-47af-b3b5-8208247562db",
  resource: graph({
    application: [".default"],
    delegated: ["Group.ReadWrite.All", "TeamMember.ReadWrite.All", "Team.ReadBasic.All", "offline_access"],
  }),
  permissions: {
    application: ["Group.ReadWrite.All", "TeamMember.ReadWrite.All", "TeamSettings.ReadWrite.All"],
    delegated: ["Group.ReadWrite.All", "TeamMember.ReadWrite.All", "Team.ReadBasic.All"],
  },
  commands: {
    "microsoft-teams-teams-list": {
      description: "Lists the teams of the organization.",
      arguments: [
        { name: "limit", description: "msint only: the most teams to return (1-999).", defaultValue: "50" },
      ],
      outputs: teamOutputs,
      // teams-list
      permissions: TEAMS_LIST,
      run: listTeams,
    },
    "microsoft-teams-team-get": {
      description: "Gets one team.",
      arguments: [teamId],
      outputs: teamOutputs,
      // team-get
      permissions: {
        application: [
          "Team.ReadBasic.All",
          "TeamSettings.Read.All",
          "TeamSettings.ReadWrite.All",
          "Group.Read.All",
        ],
        delegated: [
          "Team.ReadBasic.All",
          "TeamSettings.Read.All",
          "TeamSettings.ReadWrite.All",
          "Group.Read.All",
        ],
      },
      run: getTeam,
    },
    "microsoft-teams-member-add": {
      description: "Adds a user to a team.",
      arguments: [
        teamId,
        { name: "user_id", description: "The user's object ID.", required: true },
        {
          name: "is_owner",
          description: "true to add the user as an owner.",
          defaultValue: "false",
          predefined: ["true", "false"],
        },
      ],
      outputs: [
        { path: "MicrosoftTeams.TeamMember.id", type: "string", description: "The membership's ID." },
        { path: "MicrosoftTeams.TeamMember.displayName", type: "string", description: "The member's name." },
        {
          path: "MicrosoftTeams.TeamMember.roles",
          type: "unknown",
          description: "owner, or none for members.",
        },
      ],
      // team-post-members
      permissions: TEAM_MEMBERS_WRITE,
      run: addMember,
    },
    "microsoft-teams-members-list": {
      description: "Lists the members of a team.",
      arguments: [teamId],
      outputs: memberOutputs,
      // team-list-members
      permissions: TEAM_MEMBERS_READ,
      run: listMembers,
    },
    "microsoft-teams-member-get": {
      description: "Gets one member of a team.",
      arguments: [membershipId, teamId],
      outputs: memberOutputs,
      // team-get-members
      permissions: TEAM_MEMBERS_READ,
      run: (context) => memberRequest(context, "get"),
    },
    "microsoft-teams-member-update": {
      description: "Makes a member an owner of the team, or an owner a member.",
      arguments: [
        teamId,
        membershipId,
        {
          name: "is_owner",
          description: "true: owner; false: member.",
          defaultValue: "false",
          predefined: ["false", "true"],
        },
      ],
      outputs: memberOutputs,
      // conversationmember-update
      permissions: TEAM_MEMBERS_WRITE,
      run: (context) => memberRequest(context, "update"),
    },
    "microsoft-teams-teams-list-joined": {
      description: "Lists the teams a user is a member of.",
      arguments: [
        { name: "user_id", description: "The user's object ID or principal name.", required: true },
      ],
      outputs: teamOutputs,
      // user-list-joinedteams
      permissions: {
        application: [
          "Team.ReadBasic.All",
          "TeamSettings.Read.All",
          "TeamSettings.ReadWrite.All",
          "User.Read.All",
        ],
        delegated: [
          "Team.ReadBasic.All",
          "TeamSettings.Read.All",
          "TeamSettings.ReadWrite.All",
          "User.Read.All",
        ],
      },
      run: listJoinedTeams,
    },
    "microsoft-teams-member-remove": {
      description: "Removes a member from a team.",
      arguments: [
        teamId,
        {
          name: "membership_id",
          description: "The membership's ID (from the team's members).",
          required: true,
        },
      ],
      // team-delete-members
      permissions: TEAM_MEMBERS_WRITE,
      run: removeMember,
    },
    "microsoft-teams-team-archive": {
      description: "Archives a team (read-only, can be unarchived).",
      arguments: [teamId],
      // team-archive
      permissions: TEAM_SETTINGS_WRITE,
      run: archiveTeam,
    },
    "microsoft-teams-team-unarchive": {
      description: "Unarchives a team.",
      arguments: [teamId],
      // team-unarchive
      permissions: TEAM_SETTINGS_WRITE,
      run: unarchiveTeam,
    },
  },
  testPermissions: TEAMS_LIST,
  async test({ api }) {
    await api.get("/v1.0/teams", { $top: 1 }, { expect: "collection" });
  },
});
