import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { addMember, getGroup, listGroups, listMembers, removeMember } from "./groups.js";

const groupOutputs = [
  { path: "MSGraphGroups.ID", type: "string", description: "The group's object ID." },
  { path: "MSGraphGroups.DisplayName", type: "string", description: "The group's display name." },
  { path: "MSGraphGroups.Description", type: "string", description: "The group's description." },
  { path: "MSGraphGroups.Mail", type: "string", description: "The group's email address." },
  { path: "MSGraphGroups.MailEnabled", type: "boolean", description: "Whether the group is mail-enabled." },
  { path: "MSGraphGroups.SecurityEnabled", type: "boolean", description: "Whether it is a security group." },
  {
    path: "MSGraphGroups.GroupTypes",
    type: "unknown",
    description: "Unified (Microsoft 365), DynamicMembership …",
  },
  { path: "MSGraphGroups.CreatedDateTime", type: "date", description: "When the group was created." },
] as const;

// learn.microsoft.com/graph/api/group-list, /group-get and /group-list-members, "Permissions": least privileged
// GroupMember.Read.All (application and delegated), then the higher ones.
const READ_GROUPS = {
  application: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All"],
  delegated: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All"],
};
// learn.microsoft.com/graph/api/group-post-members and /group-delete-members: least privileged
// GroupMember.ReadWrite.All, then Group.ReadWrite.All and Directory.ReadWrite.All.
const WRITE_MEMBERS = {
  application: ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
};

const groupId = { name: "group_id", description: "The group's object ID.", required: true } as const;
const userId = { name: "user_id", description: "The member's object ID.", required: true } as const;

/** Microsoft Graph Groups: Entra ID groups and their members through Microsoft Graph. */
export default defineIntegration({
  id: "microsoft-graph-groups",
  version: packageJson.version,
  displayName: "Microsoft Graph Groups",
  commandPrefix: "msgraph-groups",
  description: "Lists and reads groups, and lists, adds and removes their members.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it.
  brokerAppName: "ms-graph-groups",
  resource: graph({
    application: [".default"],
    delegated: ["Group.ReadWrite.All", "GroupMember.ReadWrite.All", "offline_access"],
  }),
  permissions: {
    application: ["Group.ReadWrite.All", "GroupMember.ReadWrite.All"],
    delegated: ["Group.ReadWrite.All"],
  },
  commands: {
    "msgraph-groups-list-groups": {
      description: "Lists the groups of the tenant.",
      arguments: [
        { name: "filter", description: "An OData $filter, e.g. startswith(displayName,'SOC')." },
        { name: "limit", description: "The most groups to return (1-999).", defaultValue: "50" },
      ],
      outputs: groupOutputs,
      permissions: READ_GROUPS,
      run: listGroups,
    },
    "msgraph-groups-get-group": {
      description: "Gets one group.",
      arguments: [groupId],
      outputs: groupOutputs,
      permissions: READ_GROUPS,
      run: getGroup,
    },
    "msgraph-groups-list-members": {
      description: "Lists the direct members of a group.",
      arguments: [
        groupId,
        { name: "limit", description: "The most members to return (1-999).", defaultValue: "50" },
      ],
      outputs: [
        { path: "MSGraphGroups.ID", type: "string", description: "The group's object ID." },
        { path: "MSGraphGroups.Members.ID", type: "string", description: "The member's object ID." },
        {
          path: "MSGraphGroups.Members.DisplayName",
          type: "string",
          description: "The member's display name.",
        },
        { path: "MSGraphGroups.Members.UserPrincipalName", type: "string", description: "The member's UPN." },
      ],
      permissions: READ_GROUPS,
      run: listMembers,
    },
    "msgraph-groups-add-member": {
      description: "Adds a user to a group.",
      arguments: [groupId, userId],
      permissions: WRITE_MEMBERS,
      run: addMember,
    },
    "msgraph-groups-remove-member": {
      description: "Removes a user from a group.",
      arguments: [groupId, userId],
      permissions: WRITE_MEMBERS,
      run: removeMember,
    },
  },
  testPermissions: READ_GROUPS,
  async test({ api }) {
    await api.get("/v1.0/groups", { $top: 1, $select: "id" }, { expect: "collection" });
  },
});
