import { defineIntegration, graph, type OutputDefinition } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  assignManager,
  changePassword,
  changePasswordOnPremise,
  createTap,
  createUser,
  deleteTap,
  deleteUser,
  directReports,
  disableAccount,
  getManager,
  listAuthMethods,
  listTap,
  revokeSessions,
  unblockAccount,
  updateUser,
} from "./admin.js";
import { getUser, listUsers } from "./users.js";

// XSOAR's command names, arguments, outputs and app name from demisto/content
// Packs/MicrosoftGraphUser/Integrations/MicrosoftGraphUser/MicrosoftGraphUser.yml (and .py), commit 001bdb0f.

// Permissions: the "Permissions" table of each call's page on learn.microsoft.com/graph/api, least privileged first.
// user-list, user-get: User.Read.All (application) / User.ReadBasic.All (delegated), then the higher ones.
const READ_USERS = {
  application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  delegated: ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"],
};
// user-list-manager, user-list-directreports.
const READ_RELATIONS = {
  application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  delegated: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
};
// user-update of accountEnabled: User.EnableDisableAccount.All (with User.Read.All), then User.ReadWrite.All.
const ENABLE_DISABLE = {
  application: ["User.EnableDisableAccount.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["User.EnableDisableAccount.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
};
// user-update (other properties), user-post-users, user-post-manager.
const WRITE_USERS = {
  application: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
};
// user-delete: User.ReadWrite.All only.
const DELETE_USERS = { application: ["User.ReadWrite.All"], delegated: ["User.ReadWrite.All"] };
// user-update of passwordProfile: User-PasswordProfile.ReadWrite.All is the least privileged.
const CHANGE_PASSWORD = {
  application: ["User-PasswordProfile.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["User-PasswordProfile.ReadWrite.All", "User.ReadWrite.All", "Directory.AccessAsUser.All"],
};
// authentication-list-passwordmethods and authenticationmethod-resetpassword: delegated
// UserAuthenticationMethod.ReadWrite.All; resetPassword has no application permission.
const RESET_PASSWORD = { delegated: ["UserAuthenticationMethod.ReadWrite.All"] };
// user-revokesigninsessions: User.RevokeSessions.All is the least privileged.
const REVOKE_SESSIONS = {
  application: ["User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
};
// authentication-list-methods, temporaryaccesspassauthenticationmethod list (another user's methods).
const READ_AUTH_METHODS = {
  application: ["UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All"],
  delegated: ["UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All"],
};
// authentication-post-temporaryaccesspassmethods, temporaryaccesspassauthenticationmethod-delete.
const WRITE_AUTH_METHODS = {
  application: ["UserAuthenticationMethod.ReadWrite.All"],
  delegated: ["UserAuthenticationMethod.ReadWrite.All"],
};

// Outputs as XSOAR's msgraph-user-get/list/create/update document them.
const USER_FIELDS: ReadonlyArray<[string, OutputDefinition["type"], string]> = [
  ["ID", "string", "The user's object ID."],
  ["DisplayName", "string", "The user's display name."],
  ["GivenName", "string", "The user's given name."],
  ["BusinessPhones", "string", "The user's business phone numbers."],
  ["JobTitle", "string", "The user's job title."],
  ["Mail", "string", "The user's email address."],
  ["MobilePhone", "string", "The user's mobile phone number."],
  ["OfficeLocation", "string", "The user's office location."],
  ["PreferredLanguage", "string", "The user's preferred language."],
  ["Surname", "string", "The user's surname."],
  ["UserPrincipalName", "string", "The user's principal name."],
];
const fieldsUnder = (prefix: string): OutputDefinition[] =>
  USER_FIELDS.map(([field, type, description]) => ({ path: `${prefix}.${field}`, type, description }));
const accountOutputs: OutputDefinition[] = [
  { path: "Account.ID", type: "string", description: "The user's object ID." },
  { path: "Account.DisplayName", type: "string", description: "The user's display name." },
  { path: "Account.Username", type: "string", description: "The user's principal name." },
  { path: "Account.JobTitle", type: "string", description: "The user's job title." },
  { path: "Account.Email.Address", type: "string", description: "The user's email address." },
  { path: "Account.TelephoneNumber", type: "string", description: "The user's mobile phone number." },
  { path: "Account.Office", type: "string", description: "The user's office location." },
  { path: "Account.Type", type: "string", description: 'Always "Azure AD".' },
];
const userOutputs = fieldsUnder("MSGraphUser");
const tapOutputs: OutputDefinition[] = [
  { path: "MSGraphUser.TAPPolicy.ID", type: "string", description: "The Temporary Access Pass's ID." },
  {
    path: "MSGraphUser.TAPPolicy.IsUsable",
    type: "boolean",
    description: "Whether the pass can be used now.",
  },
  { path: "MSGraphUser.TAPPolicy.IsUsableOnce", type: "boolean", description: "Whether it works only once." },
  { path: "MSGraphUser.TAPPolicy.CreatedDateTime", type: "date", description: "When it was created." },
  {
    path: "MSGraphUser.TAPPolicy.MethodUsabilityReason",
    type: "string",
    description: "Why it is (not) usable: EnabledByPolicy, NotYetValid, Expired …",
  },
  {
    path: "MSGraphUser.TAPPolicy.LifetimeInMinutes",
    type: "number",
    description: "Its lifetime in minutes.",
  },
  { path: "MSGraphUser.TAPPolicy.StartDateTime", type: "date", description: "When it becomes usable." },
];

const user = {
  name: "user",
  description: "The user's object ID or user principal name.",
  required: true,
} as const;
const userId = {
  name: "user_id",
  description: "The user's object ID or user principal name.",
  required: true,
} as const;

/** Microsoft Graph User: read and manage Entra ID users through Microsoft Graph. */
export default defineIntegration({
  id: "msgraph-user",
  version: packageJson.version,
  displayName: "Microsoft Graph User",
  commandPrefix: "msgraph-user",
  description: "Read and manage Microsoft Entra ID users through Microsoft Graph.",
  // XSOAR's APP_NAME in MicrosoftGraphUser.py.
  brokerAppName: "ms-graph-user",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: graph({
    application: [".default"],
    delegated: ["User.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All", "Directory.Read.All"],
  }),
  permissions: {
    application: ["User.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All"],
    delegated: ["User.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All", "Directory.AccessAsUser.All"],
  },
  commands: {
    "msgraph-user-account-disable": {
      description: "Disables a user's account (accountEnabled false): the user can no longer sign in.",
      arguments: [user],
      permissions: ENABLE_DISABLE,
      run: disableAccount,
    },
    "msgraph-user-unblock": {
      description: "Unblocks a user's account (accountEnabled true).",
      arguments: [user],
      permissions: ENABLE_DISABLE,
      run: unblockAccount,
    },
    "msgraph-user-update": {
      description: "Updates a user's properties, then reads the user.",
      arguments: [
        user,
        {
          name: "updated_fields",
          description: "field=value pairs of Graph user properties, e.g. jobTitle=Analyst,department=SOC.",
          required: true,
        },
        {
          name: "updated_fields_delimiter",
          description: "The delimiter between the pairs.",
          defaultValue: ",",
        },
      ],
      outputs: userOutputs,
      permissions: WRITE_USERS,
      run: updateUser,
    },
    "msgraph-user-delete": {
      description: "Deletes a user (Entra ID keeps it in deleted items for 30 days).",
      arguments: [user],
      permissions: DELETE_USERS,
      run: deleteUser,
    },
    "msgraph-user-create": {
      description: "Creates a user; the user must change the password at the first sign-in.",
      arguments: [
        {
          name: "account_enabled",
          description: "Whether the account can sign in.",
          defaultValue: "true",
          predefined: ["true", "false"],
        },
        { name: "display_name", description: "The user's display name.", required: true },
        {
          name: "on_premises_immutable_id",
          description: "The on-premises immutable ID (federated domains).",
        },
        { name: "mail_nickname", description: "The mail alias.", required: true },
        { name: "password", description: "The initial password.", required: true },
        {
          name: "user_principal_name",
          description: "The user principal name, on a verified domain (alias@domain).",
          required: true,
        },
        {
          name: "other_properties",
          description:
            "More Graph user properties as field=value pairs, comma separated (e.g. jobTitle=Analyst).",
        },
      ],
      outputs: [...userOutputs, ...accountOutputs],
      permissions: WRITE_USERS,
      run: createUser,
    },
    "msgraph-user-get": {
      description: "Gets one user by object ID or user principal name.",
      arguments: [
        user,
        { name: "properties", description: "Comma-separated Graph user properties to return." },
      ],
      outputs: [...userOutputs, ...accountOutputs],
      permissions: READ_USERS,
      run: getUser,
    },
    "msgraph-user-list": {
      description: "Lists the users of the tenant.",
      arguments: [
        { name: "properties", description: "Comma-separated Graph user properties to return." },
        { name: "next_page", description: "The next-page link printed by a previous run." },
        { name: "filter", description: "An OData $filter, e.g. startswith(displayName,'A')." },
        { name: "limit", description: "msint only: users per page (1-999).", defaultValue: "50" },
      ],
      outputs: [
        ...userOutputs,
        { path: "MSGraphUser.NextPage", type: "string", description: "The link to the next page, if any." },
        ...accountOutputs,
      ],
      permissions: READ_USERS,
      run: listUsers,
    },
    "msgraph-direct-reports": {
      description: "Lists the users who report to a user.",
      arguments: [user],
      outputs: [
        { path: "MSGraphUserDirectReports.Manager", type: "string", description: "The user asked about." },
        {
          path: "MSGraphUserDirectReports.Reports.@Odata.Type",
          type: "string",
          description: "The report's type.",
        },
        ...fieldsUnder("MSGraphUserDirectReports.Reports").filter(
          (output) => !output.path.endsWith("BusinessPhones"),
        ),
      ],
      permissions: READ_RELATIONS,
      run: directReports,
    },
    "msgraph-user-get-manager": {
      description: "Gets a user's manager.",
      arguments: [user],
      outputs: [
        { path: "MSGraphUserManager.ID", type: "string", description: "The user asked about." },
        ...fieldsUnder("MSGraphUserManager.Manager"),
      ],
      permissions: READ_RELATIONS,
      run: getManager,
    },
    "msgraph-user-assign-manager": {
      description: "Assigns a manager to a user.",
      arguments: [
        user,
        { name: "manager", description: "The manager's object ID or user principal name.", required: true },
      ],
      permissions: WRITE_USERS,
      run: assignManager,
    },
    "msgraph-user-change-password": {
      description: "Sets a cloud user's password (not for users synchronised from on-premises).",
      arguments: [
        user,
        { name: "password", description: "The new password.", required: true },
        {
          name: "force_change_password_next_sign_in",
          description: "Whether the user must change the password at the next sign-in.",
          defaultValue: "true",
          predefined: ["true", "false"],
        },
        {
          name: "force_change_password_with_mfa",
          description: "Whether the user must complete MFA before changing the password.",
          defaultValue: "false",
          predefined: ["true", "false"],
        },
      ],
      permissions: CHANGE_PASSWORD,
      run: changePassword,
    },
    "msgraph-user-change-password-on-premise": {
      description:
        "Resets the password of a user synchronised from on-premises AD (password writeback). Needs a signed-in administrator (authorization code): Microsoft offers no application permission for it.",
      arguments: [
        user,
        { name: "password", description: "The new password (give this or nonsensitive_password)." },
        {
          name: "nonsensitive_password",
          description: "The new password, for playbooks that pass it in clear (give this or password).",
        },
      ],
      permissions: RESET_PASSWORD,
      run: changePasswordOnPremise,
    },
    "msgraph-user-session-revoke": {
      description:
        "Revokes a user's sign-in sessions (refresh tokens): the user must sign in again everywhere.",
      arguments: [user],
      permissions: REVOKE_SESSIONS,
      run: revokeSessions,
    },
    "msgraph-user-auth-methods-list": {
      description: "Lists a user's authentication methods and whether the user can do MFA.",
      arguments: [user],
      outputs: [
        { path: "MSGraphUser.AuthMethod.ID", type: "string", description: "The method's ID." },
        {
          path: "MSGraphUser.AuthMethod.DisplayName",
          type: "string",
          description: "The method's display name.",
        },
        { path: "MSGraphUser.MFAStatus.User", type: "string", description: "The user asked about." },
        {
          path: "MSGraphUser.MFAStatus.IsMfaCapable",
          type: "boolean",
          description: "Whether the user has a method beside the password.",
        },
      ],
      permissions: READ_AUTH_METHODS,
      run: listAuthMethods,
    },
    "msgraph-user-tap-policy-list": {
      description: "Gets a user's Temporary Access Pass (a user has at most one); never the pass itself.",
      arguments: [userId],
      outputs: tapOutputs,
      permissions: READ_AUTH_METHODS,
      run: listTap,
    },
    "msgraph-user-tap-policy-create": {
      description:
        "Creates a Temporary Access Pass for a user; the pass is written only into a ZIP file protected by zip_password.",
      arguments: [
        userId,
        {
          name: "zip_password",
          description: "The password of the ZIP file (TAPPolicyPass.txt inside holds the pass).",
          required: true,
        },
        {
          name: "lifetime_in_minutes",
          description: "How long the pass lasts (10-43200).",
          defaultValue: "60",
        },
        {
          name: "is_usable_once",
          description: "Whether the pass works only once.",
          defaultValue: "false",
          predefined: ["true", "false"],
        },
        { name: "start_time", description: '"now" or an ISO 8601 date-time.', defaultValue: "now" },
        {
          name: "output_file",
          description:
            "msint only: where to write the ZIP file (default TAPPolicyInfo.zip in the current directory; XSOAR attaches it to the War Room).",
        },
      ],
      outputs: tapOutputs,
      permissions: WRITE_AUTH_METHODS,
      run: createTap,
    },
    "msgraph-user-tap-policy-delete": {
      description: "Deletes a user's Temporary Access Pass.",
      arguments: [
        userId,
        { name: "policy_id", description: "The pass's ID (msgraph-user-tap-policy-list).", required: true },
      ],
      permissions: WRITE_AUTH_METHODS,
      run: deleteTap,
    },
  },
  testPermissions: READ_USERS,
  async test({ api }) {
    await api.get("/v1.0/users", { $top: 1, $select: "id" }, { expect: "collection" });
  },
});

export { DEFAULT_PROPERTIES, toContextUser } from "./users.js";
