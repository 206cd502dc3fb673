import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { getOrganization, graphRequest } from "./request.js";

// learn.microsoft.com/graph/api/organization-list, "Permissions": application Organization.Read.All (least
// privileged), then Directory.Read.All; delegated User.Read, then Organization.Read.All and Directory.Read.All.
const READ_ORGANIZATION = {
  application: ["Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All"],
  delegated: ["User.Read", "Organization.Read.All", "Directory.Read.All"],
};

// Names, arguments and the built-in client ID from demisto/content
// Packs/MicrosoftGraphAPI/Integrations/MicrosoftGraphAPI/MicrosoftGraphAPI.yml (data/xsoar/microsoft-graph-api.json).
/** Microsoft Graph API: any Microsoft Graph request, with the instance's authentication. */
export default defineIntegration({
  id: "microsoft-graph-api",
  version: packageJson.version,
  displayName: "Microsoft Graph API",
  commandPrefix: "msgraph-api",
  description: "Sends any Microsoft Graph request (v1.0 or beta) and returns its result.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: true,
  },
  // XSOAR's public client (the App/Client ID parameter's default in the yml above): an instance without its own
  // App/Client ID signs in with it through device code. XSOAR sends no broker app name for this integration.
  builtInClientId: "8922dd2d-7539-4711-b839-374f86083959",
  resource: graph({ application: [".default"], delegated: ["User.Read", "offline_access"] }),
  permissions: {
    application: ["Whatever the requests need, e.g. Organization.Read.All"],
    delegated: ["User.Read (and whatever the requests need)"],
  },
  commands: {
    "msgraph-api-request": {
      description: "Sends a Microsoft Graph request.",
      arguments: [
        {
          name: "resource",
          description: "The resource path, e.g. /users or /security/alerts_v2.",
          required: true,
        },
        {
          name: "http_method",
          description: "The HTTP method.",
          defaultValue: "GET",
          predefined: ["GET", "POST", "PUT", "PATCH", "DELETE"],
        },
        {
          name: "api_version",
          description: "The Graph version.",
          defaultValue: "v1.0",
          predefined: ["v1.0", "beta"],
        },
        { name: "request_body", description: "The JSON body of POST, PUT and PATCH requests." },
        { name: "odata", description: "OData query options, e.g. $top=5&$select=id,displayName." },
        {
          name: "populate_context",
          description: "false to leave the context alone.",
          defaultValue: "true",
          predefined: ["true", "false"],
        },
        {
          name: "headers",
          description:
            "Extra request headers, name=value pairs, comma-separated, e.g. ConsistencyLevel=eventual.",
        },
      ],
      outputs: [
        {
          path: "MicrosoftGraph",
          type: "unknown",
          description: "The response (its value array when it has one).",
        },
      ],
      // No `permissions`: what a request needs depends on its resource path, which the user chooses (each call's page
      // under learn.microsoft.com/graph/api lists them). Graph's 403 body names the failing call.
      run: graphRequest,
    },
    "msgraph-api-organization-get": {
      description: "msint only: gets the tenant's organization (name, verified domains, tenant ID).",
      outputs: [
        { path: "MicrosoftGraph.Organization.id", type: "string", description: "The tenant ID." },
        {
          path: "MicrosoftGraph.Organization.displayName",
          type: "string",
          description: "The organization's name.",
        },
        {
          path: "MicrosoftGraph.Organization.verifiedDomains",
          type: "unknown",
          description: "The verified domains.",
        },
      ],
      permissions: READ_ORGANIZATION,
      run: getOrganization,
    },
  },
  testPermissions: READ_ORGANIZATION,
  async test({ api }) {
    await api.get("/v1.0/organization", { $select: "id" }, { expect: "collection" });
  },
});
