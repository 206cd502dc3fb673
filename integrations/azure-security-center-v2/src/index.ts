import {
  azureResourceManager,
  defineIntegration,
  resourceGroupArgument,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { getAlert, listAlerts, listLocations, testLocations, updateAlert } from "./alerts.js";

// Defender for Cloud authorizes with Azure RBAC (learn.microsoft.com/azure/defender-for-cloud/permissions):
// Security Reader reads alerts and locations; Security Admin (or Contributor) also dismisses and resolves them.
const SECURITY_READ = {
  delegated: ["user_impersonation"],
  rbac: ["Security Reader", "Security Admin", "Reader"],
} as const;
const SECURITY_WRITE = {
  delegated: ["user_impersonation"],
  rbac: ["Security Admin", "Contributor"],
} as const;

const alertOutputs = [
  { path: "AzureSecurityCenter.Alert.ID", type: "string", description: "The alert's name (ID)." },
  { path: "AzureSecurityCenter.Alert.DisplayName", type: "string", description: "The alert's display name." },
  {
    path: "AzureSecurityCenter.Alert.CompromisedEntity",
    type: "string",
    description: "The affected resource.",
  },
  {
    path: "AzureSecurityCenter.Alert.Severity",
    type: "string",
    description: "Informational, Low, Medium or High.",
  },
  {
    path: "AzureSecurityCenter.Alert.Status",
    type: "string",
    description: "Active, InProgress, Resolved or Dismissed.",
  },
  {
    path: "AzureSecurityCenter.Alert.TimeGeneratedUtc",
    type: "date",
    description: "When the alert was generated.",
  },
  { path: "AzureSecurityCenter.Alert.AlertType", type: "string", description: "The alert type." },
  {
    path: "AzureSecurityCenter.Alert.Location",
    type: "string",
    description: "The Defender for Cloud location of the alert.",
  },
] as const;

const alertArguments = [
  {
    name: "asc_location",
    description: "The Defender for Cloud location of the alert (see azure-sc-list-location).",
    required: true,
  },
  { name: "alert_id", description: "The alert's name (ID).", required: true },
  subscriptionIdArgument(),
] as const;

/** Azure Security Center v2 (Microsoft Defender for Cloud): security alerts through Azure Resource Manager. */
export default defineIntegration({
  id: "azure-security-center-v2",
  version: packageJson.version,
  displayName: "Azure Security Center v2",
  commandPrefix: "azure-sc",
  description: "Lists, gets and updates Microsoft Defender for Cloud security alerts.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: azureResourceManager(),
  permissions: { application: ["Security Reader, or Security Admin to update alerts (Azure RBAC roles)"] },
  parameters: [
    subscriptionIdParameter("default_sub_id", "Default subscription ID"),
    resourceGroupParameter("resource_group_name", "Default Resource Group Name"),
  ],
  commands: {
    "azure-sc-list-alert": {
      description: "Lists the security alerts of the subscription, a resource group or a location.",
      arguments: [
        resourceGroupArgument({ description: "Only alerts of this resource group." }),
        { name: "asc_location", description: "Only alerts of this Defender for Cloud location." },
        { name: "limit", description: "The most alerts to return (1-1000).", defaultValue: "50" },
        subscriptionIdArgument(),
      ],
      outputs: alertOutputs,
      // Alerts - List / List By Resource Group / List Subscription Level By Region
      // (learn.microsoft.com/rest/api/defenderforcloud/alerts/list).
      permissions: SECURITY_READ,
      run: listAlerts,
    },
    "azure-sc-get-alert": {
      description: "Gets one security alert.",
      arguments: alertArguments,
      outputs: alertOutputs,
      // Alerts - Get Subscription Level (learn.microsoft.com/rest/api/defenderforcloud/alerts/get-subscription-level).
      permissions: SECURITY_READ,
      run: getAlert,
    },
    "azure-sc-update-alert": {
      description: "Dismisses, activates, resolves or starts work on an alert.",
      arguments: [
        ...alertArguments,
        {
          name: "alert_update_action_type",
          description: "The new state.",
          required: true,
          predefined: ["dismiss", "activate", "resolve", "inProgress"],
        },
      ],
      outputs: [
        { path: "AzureSecurityCenter.Alert.ID", type: "string", description: "The alert's name (ID)." },
        { path: "AzureSecurityCenter.Alert.ActionTaken", type: "string", description: "The action taken." },
      ],
      // Alerts - Update Subscription Level State To Dismiss / Activate / Resolve / In Progress
      // (learn.microsoft.com/rest/api/defenderforcloud/alerts/update-subscription-level-state-to-dismiss).
      permissions: SECURITY_WRITE,
      run: updateAlert,
    },
    "azure-sc-list-location": {
      description: "Lists the Defender for Cloud locations (where the subscription's alerts are stored).",
      arguments: [subscriptionIdArgument()],
      outputs: [
        { path: "AzureSecurityCenter.Location.Name", type: "string", description: "The location's name." },
        {
          path: "AzureSecurityCenter.Location.HomeRegionName",
          type: "string",
          description: "The home region.",
        },
      ],
      // Locations - List (learn.microsoft.com/rest/api/defenderforcloud/locations/list).
      permissions: SECURITY_READ,
      run: listLocations,
    },
  },
  test: testLocations,
  testPermissions: SECURITY_READ,
});
