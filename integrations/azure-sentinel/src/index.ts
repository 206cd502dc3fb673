import {
  azureResourceManager,
  defineIntegration,
  resourceGroupParameter,
  subscriptionIdParameter,
  workspaceNameParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  addIncidentComment,
  getIncident,
  listIncidents,
  listWatchlists,
  testIncidents,
} from "./incidents.js";

// Microsoft Sentinel authorizes with Azure RBAC roles on the workspace (learn.microsoft.com/azure/sentinel/roles):
// Reader reads incidents and watchlists, Responder also manages incidents and their comments; Contributor both.
// A user's token for Resource Manager carries the delegated user_impersonation.
const SENTINEL_READ = {
  delegated: ["user_impersonation"],
  rbac: ["Microsoft Sentinel Reader", "Microsoft Sentinel Responder", "Microsoft Sentinel Contributor"],
} as const;
const SENTINEL_RESPOND = {
  delegated: ["user_impersonation"],
  rbac: ["Microsoft Sentinel Responder", "Microsoft Sentinel Contributor"],
} as const;

const incidentOutputs = [
  { path: "AzureSentinel.Incident.ID", type: "string", description: "The incident's ID (name)." },
  { path: "AzureSentinel.Incident.Title", type: "string", description: "The incident's title." },
  { path: "AzureSentinel.Incident.Description", type: "string", description: "The incident's description." },
  {
    path: "AzureSentinel.Incident.Severity",
    type: "string",
    description: "Informational, Low, Medium or High.",
  },
  { path: "AzureSentinel.Incident.Status", type: "string", description: "New, Active or Closed." },
  { path: "AzureSentinel.Incident.IncidentNumber", type: "number", description: "The incident's number." },
  {
    path: "AzureSentinel.Incident.CreatedTimeUTC",
    type: "date",
    description: "When the incident was created.",
  },
  { path: "AzureSentinel.Incident.AssigneeName", type: "string", description: "The owner's name." },
  { path: "AzureSentinel.Incident.Etag", type: "string", description: "The incident's etag." },
] as const;

/** Azure Sentinel (Microsoft Sentinel): incidents, comments and watchlists of a workspace through Azure Resource Manager. */
export default defineIntegration({
  id: "azure-sentinel",
  version: packageJson.version,
  displayName: "Azure Sentinel",
  commandPrefix: "azure-sentinel",
  description: "Lists and reads Microsoft Sentinel incidents, comments on them and lists watchlists.",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: true,
  },
  resource: azureResourceManager(),
  permissions: { application: ["Microsoft Sentinel Contributor (Azure RBAC role on the workspace)"] },
  parameters: [
    subscriptionIdParameter("subscriptionID", "Subscription ID"),
    resourceGroupParameter("resourceGroupName", "Resource Group Name"),
    workspaceNameParameter("workspaceName", "Workspace Name"),
  ],
  commands: {
    "azure-sentinel-list-incidents": {
      description: "Lists incidents, newest first.",
      arguments: [
        { name: "limit", description: "The most incidents to return (1-200).", defaultValue: "50" },
        { name: "filter", description: "An OData $filter, e.g. properties/severity eq 'High'." },
        { name: "next_link", description: "The next-page link printed by a previous run." },
      ],
      outputs: incidentOutputs,
      // Incidents - List (learn.microsoft.com/rest/api/securityinsights/incidents/list).
      permissions: SENTINEL_READ,
      run: listIncidents,
    },
    "azure-sentinel-get-incident-by-id": {
      description: "Gets one incident.",
      arguments: [{ name: "incident_id", description: "The incident's ID.", required: true }],
      outputs: incidentOutputs,
      // Incidents - Get (learn.microsoft.com/rest/api/securityinsights/incidents/get).
      permissions: SENTINEL_READ,
      run: getIncident,
    },
    "azure-sentinel-incident-add-comment": {
      description: "Adds a comment to an incident.",
      arguments: [
        { name: "incident_id", description: "The incident's ID.", required: true },
        { name: "message", description: "The comment.", required: true },
      ],
      outputs: [
        { path: "AzureSentinel.IncidentComment.ID", type: "string", description: "The comment's ID." },
        {
          path: "AzureSentinel.IncidentComment.IncidentID",
          type: "string",
          description: "The incident's ID.",
        },
        { path: "AzureSentinel.IncidentComment.Message", type: "string", description: "The comment." },
      ],
      // Incident Comments - Create Or Update (learn.microsoft.com/rest/api/securityinsights/incident-comments/
      // create-or-update).
      permissions: SENTINEL_RESPOND,
      run: addIncidentComment,
    },
    "azure-sentinel-list-watchlists": {
      description: "Lists the workspace's watchlists.",
      outputs: [
        {
          path: "AzureSentinel.Watchlist.Name",
          type: "string",
          description: "The watchlist's display name.",
        },
        { path: "AzureSentinel.Watchlist.Alias", type: "string", description: "The watchlist's alias." },
        { path: "AzureSentinel.Watchlist.ID", type: "string", description: "The watchlist's ID." },
      ],
      // Watchlists - List (learn.microsoft.com/rest/api/securityinsights/watchlists/list).
      permissions: SENTINEL_READ,
      run: listWatchlists,
    },
  },
  test: testIncidents,
  testPermissions: SENTINEL_READ,
});
