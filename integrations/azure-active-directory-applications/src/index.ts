import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  addPassword,
  getServicePrincipal,
  listServicePrincipals,
  removePassword,
  removeServicePrincipal,
  updateServicePrincipal,
} from "./service-principals.js";

const servicePrincipalOutputs = [
  { path: "MSGraphApplication.id", type: "string", description: "The service principal's object ID." },
  { path: "MSGraphApplication.appId", type: "string", description: "The application (client) ID." },
  { path: "MSGraphApplication.displayName", type: "string", description: "The display name." },
  { path: "MSGraphApplication.accountEnabled", type: "boolean", description: "Whether it can sign in." },
  {
    path: "MSGraphApplication.servicePrincipalType",
    type: "string",
    description: "Application, ManagedIdentity …",
  },
  {
    path: "MSGraphApplication.appOwnerOrganizationId",
    type: "string",
    description: "The tenant that owns the app.",
  },
] as const;

// learn.microsoft.com/graph/api/serviceprincipal-list and /serviceprincipal-get, "Permissions": least privileged
// Application.Read.All, then Application.ReadWrite.All and Directory.Read.All.
const READ_PRINCIPALS = {
  application: ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"],
  delegated: ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"],
};
// learn.microsoft.com/graph/api/serviceprincipal-update and /serviceprincipal-delete: application
// Application.ReadWrite.OwnedBy (the app's own principals) or Application.ReadWrite.All; delegated
// Application.ReadWrite.All; Directory.ReadWrite.All above both.
const WRITE_PRINCIPALS = {
  application: ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["Application.ReadWrite.All", "Directory.ReadWrite.All"],
};

// learn.microsoft.com/graph/api/serviceprincipal-addpassword and /serviceprincipal-removepassword: application
// Application.ReadWrite.OwnedBy or Application.ReadWrite.All; delegated Application.ReadWrite.All.
const PASSWORDS = {
  application: ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"],
  delegated: ["Application.ReadWrite.All"],
};

const idArgument = {
  name: "id",
  description: "The service principal's object ID (or use app_id).",
  required: false,
} as const;
const appIdArgument = { name: "app_id", description: "The application (client) ID, instead of id." } as const;

// Names, arguments and the built-in client ID from demisto/content
// Packs/MicrosoftGraphApplications/Integrations/MicrosoftGraphApplications/MicrosoftGraphApplications.yml (data/xsoar/azure-active-directory-applications.json).
/** Azure Active Directory Applications: service principals (enterprise applications) through Microsoft Graph. */
export default defineIntegration({
  id: "azure-active-directory-applications",
  version: packageJson.version,
  displayName: "Azure Active Directory Applications",
  commandPrefix: "msgraph-apps",
  description: "Lists, reads, updates and removes the tenant's service principals.",
  flows: {
    xsoarApp: "device",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  // XSOAR's public client (the App/Client ID parameter's default in the yml above): an instance without its own
  // App/Client ID signs in with it through device code. XSOAR sends no broker app name for this integration.
  builtInClientId: "6b071e63-f701-454b-9e54-ede4c96483e6",
  resource: graph({ application: [".default"], delegated: ["Application.ReadWrite.All", "offline_access"] }),
  permissions: { application: ["Application.ReadWrite.All"], delegated: ["Application.ReadWrite.All"] },
  commands: {
    "msgraph-apps-service-principal-list": {
      description: "Lists the service principals of the tenant.",
      arguments: [
        { name: "limit", description: "The most service principals to return (1-999).", defaultValue: "10" },
        {
          name: "filter",
          description: "msint only: an OData $filter, e.g. startswith(displayName,'Contoso').",
        },
      ],
      outputs: servicePrincipalOutputs,
      permissions: READ_PRINCIPALS,
      run: listServicePrincipals,
    },
    "msgraph-apps-service-principal-get": {
      description: "Gets one service principal.",
      arguments: [idArgument, appIdArgument],
      outputs: servicePrincipalOutputs,
      permissions: READ_PRINCIPALS,
      run: getServicePrincipal,
    },
    "msgraph-apps-service-principal-update": {
      description: "Updates a service principal, e.g. disables its sign-in.",
      arguments: [
        idArgument,
        appIdArgument,
        { name: "account_enabled", description: "false to block sign-in.", predefined: ["true", "false"] },
        {
          name: "app_role_assignment_required",
          description: "true: users and apps need an app role assignment to get a token.",
          predefined: ["true", "false"],
        },
        { name: "display_name", description: "A new display name." },
        {
          name: "preferred_single_sign_on_mode",
          description: "The single sign-on mode.",
          predefined: ["password", "saml", "oidc"],
        },
        { name: "reply_urls", description: "Comma-separated reply (redirect) URLs." },
        { name: "notes", description: "msint only: free-text notes." },
      ],
      permissions: WRITE_PRINCIPALS,
      run: updateServicePrincipal,
    },
    "msgraph-apps-service-principal-password-add": {
      description: "Adds a client secret to a service principal; the answer shows the secret once.",
      arguments: [
        idArgument,
        appIdArgument,
        { name: "display_name", description: "A name for the secret." },
        { name: "end_date_time", description: "When it expires (ISO 8601; default: in two years)." },
        { name: "start_date_time", description: "When it becomes valid (ISO 8601; default: now)." },
      ],
      outputs: [
        { path: "MSGraphApplication.keyCredentials.keyId", type: "string", description: "The secret's ID." },
        { path: "MSGraphApplication.keyCredentials.secretText", type: "string", description: "The secret." },
        {
          path: "MSGraphApplication.keyCredentials.hint",
          type: "string",
          description: "Its first characters.",
        },
        { path: "MSGraphApplication.keyCredentials.displayName", type: "string", description: "Its name." },
        { path: "MSGraphApplication.keyCredentials.startDateTime", type: "date", description: "Valid from." },
        { path: "MSGraphApplication.keyCredentials.endDateTime", type: "date", description: "Valid until." },
      ],
      permissions: PASSWORDS,
      run: addPassword,
    },
    "msgraph-apps-service-principal-password-remove": {
      description: "Removes a client secret from a service principal.",
      arguments: [
        idArgument,
        appIdArgument,
        { name: "key_id", description: "The secret's key ID.", required: true },
      ],
      permissions: PASSWORDS,
      run: removePassword,
    },
    "msgraph-apps-service-principal-remove": {
      description: "Deletes a service principal.",
      arguments: [idArgument, appIdArgument],
      permissions: WRITE_PRINCIPALS,
      run: removeServicePrincipal,
    },
  },
  testPermissions: READ_PRINCIPALS,
  async test({ api }) {
    await api.get("/v1.0/servicePrincipals", { $top: 1, $select: "id" }, { expect: "collection" });
  },
});
