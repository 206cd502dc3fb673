import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  addMember,
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  listMembers,
  removeMember,
} from "./groups.js";

// XSOAR's command names, arguments, outputs and app name from demisto/content
// Packs/MicrosoftGraphGroups/Integrations/MicrosoftGraphGroups/MicrosoftGraphGroups.yml (and .py), commit 0214f2e3.

const groupOutputs = [
  { path: "MSGraphGroups.ID", type: "string", description: "The group's object ID." },
  { path: "MSGraphGroups.DisplayName", type: "string", description: "The group's display name." },
  { path: "MSGraphGroups.Description", type: "string", description: "The group's description." },
  { path: "MSGraphGroups.Classification", type: "string", description: "The group's classification." },
  { path: "MSGraphGroups.CreatedDateTime", type: "date", description: "When the group was created." },
  { path: "MSGraphGroups.DeletedDateTime", type: "date", description: "When the group was deleted." },
  {
    path: "MSGraphGroups.GroupTypes",
    type: "unknown",
    description: "Unified (Microsoft 365), DynamicMembership …",
  },
  {
    path: "MSGraphGroups.IsAssignableToRole",
    type: "boolean",
    description: "Whether roles can be assigned.",
  },
  { path: "MSGraphGroups.Mail", type: "string", description: "The group's email address." },
  { path: "MSGraphGroups.MailEnabled", type: "boolean", description: "Whether the group is mail-enabled." },
  { path: "MSGraphGroups.MailNickname", type: "string", description: "The group's mail alias." },
  {
    path: "MSGraphGroups.OnPremisesSyncEnabled",
    type: "boolean",
    description: "Whether synced from on-premises.",
  },
  { path: "MSGraphGroups.ProxyAddresses", type: "unknown", description: "The group's email addresses." },
  { path: "MSGraphGroups.RenewedDateTime", type: "date", description: "When the group was last renewed." },
  { path: "MSGraphGroups.SecurityEnabled", type: "boolean", description: "Whether it is a security group." },
  { path: "MSGraphGroups.Visibility", type: "string", description: "Public, Private or HiddenMembership." },
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

// group-post-groups: application Group.Create is the least privileged, delegated Group.ReadWrite.All.
const CREATE_GROUPS = {
  application: ["Group.Create", "Directory.ReadWrite.All", "Group.ReadWrite.All"],
  delegated: ["Group.ReadWrite.All", "Directory.ReadWrite.All"],
};
// group-delete: Group.ReadWrite.All, then Directory.ReadWrite.All.
const DELETE_GROUPS = {
  application: ["Group.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["Group.ReadWrite.All", "Directory.ReadWrite.All"],
};

const groupId = { name: "group_id", description: "The group's object ID.", required: true } as const;
const nextLink = { name: "next_link", description: "The next-page link printed by a previous run." } as const;
const top = { name: "top", description: "Results per page (1-999).", defaultValue: "100" } as const;
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
      description: "Lists the groups of the tenant, one page at a time.",
      arguments: [
        { name: "order_by", description: "An OData $orderby, e.g. displayName." },
        nextLink,
        top,
        { name: "filter", description: "An OData $filter, e.g. startswith(displayName,'SOC')." },
      ],
      outputs: [
        ...groupOutputs,
        {
          path: "MSGraphGroupsNextLink.GroupsNextLink",
          type: "string",
          description: "The link to the next page (next_link), if any.",
        },
      ],
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
    "msgraph-groups-create-group": {
      description:
        "Creates a security group (Graph does not create mail-enabled security groups: mail_enabled true fails).",
      arguments: [
        { name: "display_name", description: "The group's display name.", required: true },
        {
          name: "mail_enabled",
          description: "Whether the group is mail-enabled.",
          predefined: ["false", "true"],
        },
        { name: "mail_nickname", description: "The group's mail alias.", required: true },
        {
          name: "security_enabled",
          description: "Whether it is a security group.",
          required: true,
          predefined: ["false", "true"],
        },
      ],
      outputs: groupOutputs,
      permissions: CREATE_GROUPS,
      run: createGroup,
    },
    "msgraph-groups-delete-group": {
      description: "Deletes a group (Entra ID keeps it in deleted items for 30 days).",
      arguments: [groupId],
      outputs: [
        { path: "MSGraphGroups.ID", type: "string", description: "The group's object ID." },
        { path: "MSGraphGroups.Deleted", type: "boolean", description: "True: the group was deleted." },
      ],
      permissions: DELETE_GROUPS,
      run: deleteGroup,
    },
    "msgraph-groups-list-members": {
      description: "Lists the direct members of a group, one page at a time.",
      arguments: [
        groupId,
        nextLink,
        top,
        { name: "filter", description: "An OData $filter on the members (an advanced query)." },
        {
          name: "count",
          description: "true: also ask Graph for the number of members ($count).",
          predefined: ["true"],
        },
      ],
      outputs: [
        { path: "MSGraphGroups.ID", type: "string", description: "The group's object ID." },
        { path: "MSGraphGroups.Members.ID", type: "string", description: "The member's object ID." },
        {
          path: "MSGraphGroups.Members.DisplayName",
          type: "string",
          description: "The member's display name.",
        },
        { path: "MSGraphGroups.Members.GivenName", type: "string", description: "The member's given name." },
        { path: "MSGraphGroups.Members.Surname", type: "string", description: "The member's surname." },
        { path: "MSGraphGroups.Members.JobTitle", type: "string", description: "The member's job title." },
        { path: "MSGraphGroups.Members.Mail", type: "string", description: "The member's email address." },
        {
          path: "MSGraphGroups.Members.MobilePhone",
          type: "string",
          description: "The member's mobile phone.",
        },
        { path: "MSGraphGroups.Members.OfficeLocation", type: "string", description: "The member's office." },
        {
          path: "MSGraphGroups.Members.PreferredLanguage",
          type: "string",
          description: "The member's preferred language.",
        },
        { path: "MSGraphGroups.Members.UserPrincipalName", type: "string", description: "The member's UPN." },
        {
          path: "MSGraphGroups.MembersNextLink",
          type: "string",
          description: "The link to the next page, if any.",
        },
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
