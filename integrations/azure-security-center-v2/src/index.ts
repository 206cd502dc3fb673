import {
  azureResourceManager,
  defineIntegration,
  resourceGroupArgument,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  getAlert,
  listAlerts,
  listLocations,
  listResourceGroups,
  listSubscriptions,
  testLocations,
  updateAlert,
} from "./alerts.js";

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
  resourceGroupArgument({ description: "The resource group of a resource-group-level alert." }),
  {
    name: "asc_location",
    description: "The Defender for Cloud location of the alert (see azure-sc-list-location).",
    required: true,
  },
  { name: "alert_id", description: "The alert's name (ID).", required: true },
  subscriptionIdArgument(),
] as const;

/**
 * Azure Security Center v2 (Microsoft Defender for Cloud): security alerts through Azure Resource Manager.
 * Command, argument and output names and the broker app name are XSOAR's, from demisto/content
 * Packs/AzureSecurityCenter/Integrations/AzureSecurityCenter_v2/AzureSecurityCenter_v2.yml
 * (data/xsoar/azure-security-center-v2.json).
 */
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
  // The Cortex XSOAR application's name at the token broker (APP_NAME of AzureSecurityCenter_v2.py).
  brokerAppName: "ms-azure-sc",
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
        { name: "filter", description: "An OData $filter of the alerts." },
        { name: "select", description: "An OData $select: the alert properties to return." },
        { name: "expand", description: "An OData $expand of the alerts." },
        {
          name: "limit",
          description: "msint only (XSOAR returns every alert): the most alerts to return (1-1000).",
          defaultValue: "50",
        },
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
          predefined: ["activate", "dismiss", "in_progress", "resolve"],
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
    "azure-list-subscriptions": {
      description: "Lists the subscriptions the identity can see.",
      outputs: [
        { path: "Azure.Subscription.ID", type: "string", description: "The subscription ID." },
        { path: "Azure.Subscription.Name", type: "string", description: "The subscription's name." },
        { path: "Azure.Subscription.Enabled", type: "string", description: "The subscription's state." },
      ],
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { rbac: ["Reader"] },
      run: listSubscriptions,
    },
    "azure-resource-group-list": {
      description: "Lists the resource groups of the subscription.",
      arguments: [
        subscriptionIdArgument(),
        { name: "limit", description: "The most groups to return (1-1000).", defaultValue: "50" },
        { name: "tag", description: 'Only groups with this tag, as {"key":"value"}.' },
      ],
      outputs: [
        { path: "Azure.ResourceGroupName.name", type: "string", description: "The resource group's name." },
        { path: "Azure.ResourceGroupName.location", type: "string", description: "The group's region." },
        { path: "Azure.ResourceGroupName.tags", type: "unknown", description: "The group's tags." },
        {
          path: "Azure.ResourceGroupName.properties.provisioningState",
          type: "string",
          description: "The provisioning state.",
        },
      ],
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { rbac: ["Reader"] },
      run: listResourceGroups,
    },
  },
  test: testLocations,
  testPermissions: SECURITY_READ,
});
