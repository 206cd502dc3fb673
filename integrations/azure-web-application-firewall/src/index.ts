import {
  armScopeArguments,
  azureResourceManager,
  defineIntegration,
  resourceGroupListCommand,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
  subscriptionsListCommand,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  deletePolicy,
  getPolicies,
  listFrontDoorPolicies,
  listPoliciesInSubscription,
  WAF_API_VERSION,
} from "./policies.js";

const policyOutputs = [
  { path: "AzureWAF.Policy.name", type: "string", description: "The policy's name." },
  { path: "AzureWAF.Policy.id", type: "string", description: "The policy's resource ID." },
  { path: "AzureWAF.Policy.location", type: "string", description: "The policy's region." },
  {
    path: "AzureWAF.Policy.properties.policySettings.mode",
    type: "string",
    description: "Prevention or Detection.",
  },
  {
    path: "AzureWAF.Policy.properties.policySettings.state",
    type: "string",
    description: "Enabled or Disabled.",
  },
  { path: "AzureWAF.Policy.properties.customRules", type: "unknown", description: "The custom rules." },
  { path: "AzureWAF.Policy.properties.managedRules", type: "unknown", description: "The managed rule sets." },
] as const;

const scope = armScopeArguments();

// XSOAR's verbose and limit of the policy lists.
const verbose = {
  name: "verbose",
  description: "true to show each policy's custom and managed rules in the table.",
  defaultValue: "false",
  predefined: ["true", "false"],
} as const;
const limit = {
  name: "limit",
  description: "The most policies to return (1-1000).",
  defaultValue: "10",
} as const;

// Azure RBAC roles with the read actions of Microsoft.Network, least privileged first.
const NETWORK_READ = { rbac: ["Reader", "Network Contributor"] } as const;

/**
 * Azure Web Application Firewall: Application Gateway and Front Door WAF policies through Azure Resource Manager.
 * Command, argument and output names and the built-in client ID are XSOAR's, from demisto/content
 * Packs/AzureWAF/Integrations/AzureWAF/AzureWAF.yml (data/xsoar/azure-web-application-firewall.json).
 */
export default defineIntegration({
  id: "azure-web-application-firewall",
  version: packageJson.version,
  displayName: "Azure Web Application Firewall",
  commandPrefix: "azure-waf",
  description: "Lists, gets and deletes Azure WAF policies of Application Gateways and Front Doors.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  // XSOAR's "Application ID" default: the Cortex XSOAR public client used with device code (no broker app name).
  builtInClientId: "cf22fd73-29f1-4245-8e16-533704926d20",
  // Resource Manager's entry under "API permissions" of an app registration (delegated user_impersonation).
  resource: {
    ...azureResourceManager({ delegated: ["user_impersonation", "offline_access"] }),
    permissionsApi: "Azure Service Management",
  },
  permissions: { application: ["Network Contributor (Azure RBAC role)"], delegated: ["user_impersonation"] },
  parameters: [subscriptionIdParameter(), resourceGroupParameter()],
  commands: {
    "azure-waf-policies-get": {
      description: "Gets a policy, or lists the policies of the resource group.",
      arguments: [
        { name: "policy_name", description: "The policy to get (default: all of the group)." },
        ...scope,
        verbose,
        limit,
      ],
      outputs: policyOutputs,
      // Web Application Firewall Policies - Get / List
      // (learn.microsoft.com/rest/api/application-gateway/web-application-firewall-policies/get) need
      // Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/read
      // (learn.microsoft.com/azure/role-based-access-control/permissions/networking): Reader, Network Contributor.
      permissions: NETWORK_READ,
      run: getPolicies,
    },
    "azure-waf-policies-list-all-in-subscription": {
      description: "Lists every Application Gateway WAF policy of the subscription.",
      arguments: [subscriptionIdArgument(), verbose, limit],
      outputs: policyOutputs,
      // Web Application Firewall Policies - List All
      // (learn.microsoft.com/rest/api/application-gateway/web-application-firewall-policies/list-all).
      permissions: NETWORK_READ,
      run: listPoliciesInSubscription,
    },
    "azure-waf-policy-delete": {
      description: "Deletes a policy.",
      arguments: [{ name: "policy_name", description: "The policy to delete.", required: true }, ...scope],
      // Web Application Firewall Policies - Delete
      // (learn.microsoft.com/rest/api/application-gateway/web-application-firewall-policies/delete):
      // Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/delete, held by Network Contributor.
      permissions: { rbac: ["Network Contributor", "Contributor"] },
      run: deletePolicy,
    },
    "azure-waf-front-door-policies-list": {
      description: "msint only: lists the Front Door WAF policies of the resource group.",
      arguments: [
        ...scope,
        { name: "limit", description: "The most policies to return (1-1000).", defaultValue: "50" },
      ],
      outputs: [
        { path: "AzureWAF.FrontDoorPolicy.name", type: "string", description: "The policy's name." },
        { path: "AzureWAF.FrontDoorPolicy.id", type: "string", description: "The policy's resource ID." },
        {
          path: "AzureWAF.FrontDoorPolicy.properties.policySettings.mode",
          type: "string",
          description: "Prevention or Detection.",
        },
      ],
      // Front Door Policies - List (learn.microsoft.com/rest/api/frontdoorservice/webapplicationfirewall/policies/list):
      // Microsoft.Network/frontDoorWebApplicationFirewallPolicies/read.
      permissions: NETWORK_READ,
      run: listFrontDoorPolicies,
    },
    "azure-waf-subscriptions-list": {
      ...subscriptionsListCommand({ outputsPrefix: "AzureWAF.Subscription", title: "Subscriptions List" }),
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { rbac: ["Reader"] },
    },
    "azure-waf-resource-group-list": {
      ...resourceGroupListCommand({ outputsPrefix: "AzureWAF.ResourceGroup", title: "Resource Groups List" }),
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { rbac: ["Reader"] },
    },
  },
  // The test lists the default resource group's Application Gateway WAF policies
  // (Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/read); without a default subscription and
  // group, -test reads the subscriptions list instead.
  testPermissions: { rbac: ["Reader"] },
  async test({ api, params }) {
    const subscription = params["subscription_id"];
    const group = params["resource_group_name"];
    if (typeof subscription !== "string" || !subscription || typeof group !== "string" || !group) return;
    await api.get(
      `/subscriptions/${encodeURIComponent(subscription)}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies`,
      { "api-version": WAF_API_VERSION },
      { expect: "collection" },
    );
  },
});
