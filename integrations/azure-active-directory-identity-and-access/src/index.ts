import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  addDirectoryRoleMember,
  listConditionalAccessPolicies,
  listDirectoryRoleMembers,
  listDirectoryRoles,
  listNamedLocations,
} from "./identity.js";

const limit = {
  name: "limit",
  description: "The most entries to return (1-999).",
  defaultValue: "50",
} as const;
// learn.microsoft.com/graph/api/directoryrole-list and /directoryrole-list-members, "Permissions": least privileged
// RoleManagement.Read.Directory, then Directory.Read.All and RoleManagement.ReadWrite.Directory.
const READ_ROLES = {
  application: ["RoleManagement.Read.Directory", "Directory.Read.All", "RoleManagement.ReadWrite.Directory"],
  delegated: ["RoleManagement.Read.Directory", "Directory.Read.All", "RoleManagement.ReadWrite.Directory"],
};
// learn.microsoft.com/graph/api/directoryrole-post-members: RoleManagement.ReadWrite.Directory.
const WRITE_ROLE_MEMBERS = {
  application: ["RoleManagement.ReadWrite.Directory"],
  delegated: ["RoleManagement.ReadWrite.Directory"],
};
// learn.microsoft.com/graph/api/conditionalaccessroot-list-policies and
// /conditionalaccessroot-list-namedlocations: least privileged Policy.Read.All, then
// Policy.ReadWrite.ConditionalAccess.
const READ_POLICIES = {
  application: ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
  delegated: ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
};

const roleId = { name: "role_id", description: "The directory role's object ID.", required: true } as const;

// Names, arguments and the built-in client ID from demisto/content
// Packs/MicrosoftGraphIdentityandAccess/Integrations/MicrosoftGraphIdentityandAccess/MicrosoftGraphIdentityandAccess.yml (data/xsoar/azure-active-directory-identity-and-access.json).
/** Azure Active Directory Identity And Access: directory roles and Conditional Access through Microsoft Graph. */
export default defineIntegration({
  id: "azure-active-directory-identity-and-access",
  version: packageJson.version,
  displayName: "Azure Active Directory Identity And Access",
  commandPrefix: "msgraph-identity",
  description:
    "Lists directory roles and their members, adds role members, and lists Conditional Access policies and named locations.",
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
  builtInClientId: "597c0375-766f-4e6d-ad2a-f48117044ac5",
  resource: graph({
    application: [".default"],
    delegated: ["RoleManagement.ReadWrite.Directory", "Policy.Read.All", "offline_access"],
  }),
  permissions: {
    application: [
      "RoleManagement.ReadWrite.Directory",
      "Policy.Read.All",
      "Policy.ReadWrite.ConditionalAccess",
    ],
    delegated: ["RoleManagement.ReadWrite.Directory", "Policy.Read.All"],
  },
  commands: {
    "msgraph-identity-directory-roles-list": {
      description: "Lists the activated directory roles.",
      arguments: [limit],
      outputs: [
        { path: "MSGraphIdentity.Role.id", type: "string", description: "The role's object ID." },
        { path: "MSGraphIdentity.Role.displayName", type: "string", description: "The role's name." },
        {
          path: "MSGraphIdentity.Role.roleTemplateId",
          type: "string",
          description: "The role template's ID.",
        },
        { path: "MSGraphIdentity.Role.description", type: "string", description: "The role's description." },
      ],
      permissions: READ_ROLES,
      run: listDirectoryRoles,
    },
    "msgraph-identity-directory-role-members-list": {
      description: "Lists the members of a directory role.",
      arguments: [roleId, limit],
      outputs: [
        { path: "MSGraphIdentity.RoleMember.role_id", type: "string", description: "The role's object ID." },
        {
          path: "MSGraphIdentity.RoleMember.user_id",
          type: "unknown",
          description: "The members' object IDs.",
        },
      ],
      permissions: READ_ROLES,
      run: listDirectoryRoleMembers,
    },
    "msgraph-identity-directory-role-member-add": {
      description: "Adds a user to a directory role.",
      arguments: [roleId, { name: "user_id", description: "The user's object ID.", required: true }],
      permissions: WRITE_ROLE_MEMBERS,
      run: addDirectoryRoleMember,
    },
    "msgraph-identity-ca-policies-list": {
      description: "msint only: lists the Conditional Access policies.",
      arguments: [{ name: "filter", description: "An OData $filter, e.g. state eq 'enabled'." }, limit],
      outputs: [
        { path: "MSGraph.ConditionalAccess.Policy.id", type: "string", description: "The policy's ID." },
        {
          path: "MSGraph.ConditionalAccess.Policy.displayName",
          type: "string",
          description: "The policy's name.",
        },
        {
          path: "MSGraph.ConditionalAccess.Policy.state",
          type: "string",
          description: "enabled, disabled or enabledForReportingButNotEnforced.",
        },
      ],
      permissions: READ_POLICIES,
      run: listConditionalAccessPolicies,
    },
    "msgraph-identity-ip-named-locations-list": {
      description: "Lists the IP named locations of Conditional Access.",
      arguments: [
        limit,
        { name: "page", description: "The page number (pages of limit entries).", defaultValue: "1" },
        { name: "odata_query", description: "A further OData $filter, e.g. isTrusted eq true." },
      ],
      outputs: [
        {
          path: "MSGraph.conditionalAccess.namedIpLocations.id",
          type: "string",
          description: "The location's ID.",
        },
        {
          path: "MSGraph.conditionalAccess.namedIpLocations.display_name",
          type: "string",
          description: "The location's name.",
        },
        {
          path: "MSGraph.conditionalAccess.namedIpLocations.is_trusted",
          type: "boolean",
          description: "Whether it is trusted.",
        },
        {
          path: "MSGraph.conditionalAccess.namedIpLocations.ip_ranges",
          type: "unknown",
          description: "Its CIDR ranges.",
        },
      ],
      permissions: READ_POLICIES,
      run: listNamedLocations,
    },
  },
  testPermissions: READ_ROLES,
  async test({ api }) {
    await api.get("/v1.0/directoryRoles", { $select: "id" }, { expect: "collection" });
  },
});
