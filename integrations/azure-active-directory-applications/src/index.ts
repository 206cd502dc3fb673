import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  getServicePrincipal,
  listServicePrincipals,
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

const idArgument = {
  name: "id",
  description: "The service principal's object ID (or use app_id).",
  required: false,
} as const;
const appIdArgument = { name: "app_id", description: "The application (client) ID, instead of id." } as const;

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
  resource: graph({ application: [".default"], delegated: ["Application.ReadWrite.All", "offline_access"] }),
  permissions: { application: ["Application.ReadWrite.All"], delegated: ["Application.ReadWrite.All"] },
  commands: {
    "msgraph-apps-service-principal-list": {
      description: "Lists the service principals of the tenant.",
      arguments: [
        { name: "limit", description: "The most service principals to return (1-999).", defaultValue: "50" },
        { name: "filter", description: "An OData $filter, e.g. startswith(displayName,'Contoso')." },
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
        { name: "display_name", description: "A new display name." },
        { name: "notes", description: "Free-text notes." },
      ],
      permissions: WRITE_PRINCIPALS,
      run: updateServicePrincipal,
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
