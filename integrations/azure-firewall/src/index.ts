import {
  azureResourceManager,
  defineIntegration,
  resourceGroupArgument,
  resourceGroupListCommand,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
  subscriptionsListCommand,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  deleteIpGroups,
  deletePolicies,
  getFirewalls,
  getIpGroups,
  getPolicies,
  listFirewalls,
  listIpGroups,
  listPolicies,
  NETWORK_API_VERSION,
} from "./firewalls.js";

const firewallOutputs = [
  { path: "AzureFirewall.Firewall.name", type: "string", description: "The firewall's name." },
  { path: "AzureFirewall.Firewall.id", type: "string", description: "The firewall's resource ID." },
  { path: "AzureFirewall.Firewall.location", type: "string", description: "The firewall's region." },
  {
    path: "AzureFirewall.Firewall.properties.threatIntelMode",
    type: "string",
    description: "Alert, Deny or Off.",
  },
  {
    path: "AzureFirewall.Firewall.properties.provisioningState",
    type: "string",
    description: "The provisioning state.",
  },
  {
    path: "AzureFirewall.Firewall.properties.firewallPolicy.id",
    type: "string",
    description: "The attached policy.",
  },
] as const;

const scope = [resourceGroupArgument(), subscriptionIdArgument()] as const;

const listScope = [
  {
    name: "resource",
    description: "List the firewalls of the resource group or of the whole subscription.",
    defaultValue: "resource_group",
    predefined: ["resource_group", "subscription"],
  },
  ...scope,
  { name: "limit", description: "The most entries per page (1-1000).", defaultValue: "50" },
  { name: "page", description: "The page to return, from 1 (pages of limit entries).", defaultValue: "1" },
] as const;

// XSOAR's polling arguments of the get commands.
const polling = [
  {
    name: "polling",
    description: "True to wait while a resource is still being updated (provisioning state Updating).",
    defaultValue: "True",
    predefined: ["True", "False"],
  },
  { name: "interval", description: "Seconds between two reads while waiting.", defaultValue: "30" },
  { name: "timeout", description: "Seconds to wait at most.", defaultValue: "60" },
] as const;

const ipGroupOutputs = [
  { path: "AzureFirewall.IPGroup.id", type: "string", description: "The IP group's resource ID." },
  { path: "AzureFirewall.IPGroup.name", type: "string", description: "The IP group's name." },
  {
    path: "AzureFirewall.IPGroup.properties.ipAddresses",
    type: "unknown",
    description: "The IP addresses and ranges of the group.",
  },
] as const;

// Azure RBAC roles with the read actions of Microsoft.Network, least privileged first.
const NETWORK_READ = { rbac: ["Reader", "Network Contributor"] } as const;

/**
 * Azure Firewall: firewalls and firewall policies through Azure Resource Manager (Microsoft.Network).
 * Command, argument and output names and the built-in client ID are XSOAR's, from demisto/content
 * Packs/AzureFirewall/Integrations/AzureFirewall/AzureFirewall.yml (data/xsoar/azure-firewall.json).
 */
export default defineIntegration({
  id: "azure-firewall",
  version: packageJson.version,
  displayName: "Azure Firewall",
  commandPrefix: "azure-firewall",
  description: "Lists and inspects Azure Firewalls and firewall policies.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  // XSOAR's "Client ID" default: the Cortex XSOAR public client used with device code (no broker app name).
  builtInClientId: "f5b37a76-f937-4c57-a9b5-31dab1c7e236",
  // Resource Manager's entry under "API permissions" of an app registration (delegated user_impersonation).
  resource: {
    ...azureResourceManager({ delegated: ["user_impersonation", "offline_access"] }),
    permissionsApi: "Azure Service Management",
  },
  permissions: { application: ["Network Contributor (Azure RBAC role)"], delegated: ["user_impersonation"] },
  parameters: [subscriptionIdParameter("subscription_id"), resourceGroupParameter("resource_group")],
  commands: {
    "azure-firewall-list": {
      description: "Lists the firewalls of a resource group or subscription.",
      arguments: listScope,
      outputs: firewallOutputs,
      // Azure Firewalls - List / List All (learn.microsoft.com/rest/api/firewall/azure-firewalls/list) need
      // Microsoft.Network/azureFirewalls/read
      // (learn.microsoft.com/azure/role-based-access-control/permissions/networking): Reader, Network Contributor.
      permissions: NETWORK_READ,
      run: listFirewalls,
    },
    "azure-firewall-get": {
      description: "Gets firewalls by name.",
      arguments: [
        { name: "firewall_names", description: "Comma-separated firewall names.", required: true },
        ...scope,
        ...polling,
      ],
      outputs: firewallOutputs,
      // Azure Firewalls - Get (learn.microsoft.com/rest/api/firewall/azure-firewalls/get):
      // Microsoft.Network/azureFirewalls/read.
      permissions: NETWORK_READ,
      run: getFirewalls,
    },
    "azure-firewall-policy-list": {
      description: "Lists the firewall policies of a resource group or subscription.",
      arguments: listScope,
      outputs: [
        { path: "AzureFirewall.Policy.name", type: "string", description: "The policy's name." },
        { path: "AzureFirewall.Policy.id", type: "string", description: "The policy's resource ID." },
        {
          path: "AzureFirewall.Policy.properties.threatIntelMode",
          type: "string",
          description: "Alert, Deny or Off.",
        },
      ],
      // Firewall Policies - List / List All (learn.microsoft.com/rest/api/firewall/firewall-policies/list):
      // Microsoft.Network/firewallPolicies/read.
      permissions: NETWORK_READ,
      run: listPolicies,
    },
    "azure-firewall-policy-get": {
      description: "Gets firewall policies by name.",
      arguments: [
        { name: "policy_names", description: "Comma-separated policy names.", required: true },
        ...scope,
        ...polling,
      ],
      outputs: [
        { path: "AzureFirewall.Policy.id", type: "string", description: "The policy's resource ID." },
        { path: "AzureFirewall.Policy.name", type: "string", description: "The policy's name." },
      ],
      // Firewall Policies - Get (learn.microsoft.com/rest/api/firewall/firewall-policies/get):
      // Microsoft.Network/firewallPolicies/read.
      permissions: NETWORK_READ,
      run: getPolicies,
    },
    "azure-firewall-policy-delete": {
      description: "Deletes firewall policies.",
      arguments: [
        { name: "policy_names", description: "Comma-separated policy names.", required: true },
        ...scope,
      ],
      // Firewall Policies - Delete (learn.microsoft.com/rest/api/firewall/firewall-policies/delete):
      // Microsoft.Network/firewallPolicies/delete, held by Network Contributor (not by Reader).
      permissions: { rbac: ["Network Contributor", "Contributor"] },
      run: deletePolicies,
    },
    "azure-firewall-ip-group-list": {
      description: "Lists the IP groups of a resource group or subscription.",
      arguments: listScope,
      outputs: ipGroupOutputs,
      // IP Groups - List By Resource Group / List (learn.microsoft.com/rest/api/virtualnetwork/ip-groups/list):
      // Microsoft.Network/ipGroups/read.
      permissions: NETWORK_READ,
      run: listIpGroups,
    },
    "azure-firewall-ip-group-get": {
      description: "Gets IP groups by name.",
      arguments: [
        { name: "ip_group_names", description: "Comma-separated IP group names.", required: true },
        ...scope,
        ...polling,
      ],
      outputs: ipGroupOutputs,
      // IP Groups - Get (learn.microsoft.com/rest/api/virtualnetwork/ip-groups/get): Microsoft.Network/ipGroups/read.
      permissions: NETWORK_READ,
      run: getIpGroups,
    },
    "azure-firewall-ip-group-delete": {
      description: "Deletes IP groups.",
      arguments: [
        { name: "ip_group_names", description: "Comma-separated IP group names.", required: true },
        ...scope,
      ],
      // IP Groups - Delete (learn.microsoft.com/rest/api/virtualnetwork/ip-groups/delete):
      // Microsoft.Network/ipGroups/delete, held by Network Contributor (not by Reader).
      permissions: { rbac: ["Network Contributor", "Contributor"] },
      run: deleteIpGroups,
    },
    "azure-firewall-subscriptions-list": {
      ...subscriptionsListCommand({
        outputsPrefix: "AzureFirewall.Subscription",
        title: "Subscriptions List",
      }),
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { rbac: ["Reader"] },
    },
    "azure-firewall-resource-group-list": {
      ...resourceGroupListCommand({
        outputsPrefix: "AzureFirewall.ResourceGroup",
        title: "Resource Groups List",
      }),
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { rbac: ["Reader"] },
    },
  },
  // The test lists the default resource group's firewalls (Microsoft.Network/azureFirewalls/read); without a
  // default subscription and group, -test reads the subscriptions list instead.
  testPermissions: { rbac: ["Reader"] },
  async test({ api, params }) {
    const subscription = params["subscription_id"];
    const group = params["resource_group"];
    if (typeof subscription !== "string" || !subscription || typeof group !== "string" || !group) return;
    await api.get(
      `/subscriptions/${encodeURIComponent(subscription)}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.Network/azureFirewalls`,
      { "api-version": NETWORK_API_VERSION },
      { expect: "collection" },
    );
  },
});
