import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { getUser, listUsers } from "./users.js";

// learn.microsoft.com/graph/api/user-list and /user-get, "Permissions": least privileged User.Read.All
// (application) / User.ReadBasic.All (delegated), then the higher ones.
const READ_USERS = {
  application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  delegated: ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"],
};

const userOutputs = [
  { path: "MSGraphUser.ID", type: "string", description: "The user's object ID." },
  { path: "MSGraphUser.DisplayName", type: "string", description: "The user's display name." },
  { path: "MSGraphUser.UserPrincipalName", type: "string", description: "The user's principal name." },
  { path: "MSGraphUser.Mail", type: "string", description: "The user's email address." },
  { path: "MSGraphUser.JobTitle", type: "string", description: "The user's job title." },
  { path: "MSGraphUser.AccountEnabled", type: "boolean", description: "Whether the account can sign in." },
] as const;

/** Microsoft Graph User: read and manage Entra ID users through Microsoft Graph. */
export default defineIntegration({
  id: "msgraph-user",
  version: packageJson.version,
  displayName: "Microsoft Graph User",
  commandPrefix: "msgraph-user",
  description: "Read Microsoft Entra ID users through Microsoft Graph.",
  brokerAppName: "ms-graph-user",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: graph({ application: [".default"], delegated: ["User.Read.All", "Directory.Read.All"] }),
  permissions: { application: ["User.Read.All"], delegated: ["User.Read.All", "Directory.Read.All"] },
  commands: {
    "msgraph-user-list": {
      description: "Lists the users of the tenant.",
      arguments: [
        { name: "properties", description: "Comma-separated Graph user properties to return." },
        { name: "filter", description: "An OData $filter, e.g. startswith(displayName,'A')." },
        { name: "limit", description: "Users per page (1-999).", defaultValue: "50" },
        { name: "next_page", description: "The next-page link printed by a previous run." },
      ],
      outputs: userOutputs,
      permissions: READ_USERS,
      run: listUsers,
    },
    "msgraph-user-get": {
      description: "Gets one user by object ID or user principal name.",
      arguments: [
        { name: "user", description: "Object ID or user principal name.", required: true },
        { name: "properties", description: "Comma-separated Graph user properties to return." },
      ],
      outputs: userOutputs,
      permissions: READ_USERS,
      run: getUser,
    },
  },
  testPermissions: READ_USERS,
  async test({ api }) {
    await api.get("/v1.0/users", { $top: 1, $select: "id" }, { expect: "collection" });
  },
});

export { DEFAULT_PROPERTIES, toContextUser } from "./users.js";
