import {
  azureResourceManager,
  defineIntegration,
  resourceGroupArgument,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { getFirewalls, listFirewalls, listPolicies, NETWORK_API_VERSION } from "./firewalls.js";

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

const scope = [resourceGroupArgument({ name: "resource_group" }), subscriptionIdArgument()] as const;

const listScope = [
  {
    name: "resource",
    description: "List the firewalls of the resource group or of the whole subscription.",
    defaultValue: "resource_group",
    predefined: ["resource_group", "subscription"],
  },
  ...scope,
  { name: "limit", description: "The most entries to return (1-1000).", defaultValue: "50" },
] as const;

// Azure RBAC roles with the read actions of Microsoft.Network, least privileged first.
const NETWORK_READ = { rbac: ["Reader", "Network Contributor"] } as const;

/** Azure Firewall: firewalls and firewall policies through Azure Resource Manager (Microsoft.Network). */
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
