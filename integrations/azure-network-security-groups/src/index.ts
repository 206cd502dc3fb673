import {
  armScopeArguments,
  azureResourceManager,
  defineIntegration,
  resourceGroupListCommand,
  resourceGroupParameter,
  subscriptionIdParameter,
  subscriptionsListCommand,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { createRule, getRules, updateRule } from "./rules.js";
import { deleteRule, listRules, listSecurityGroups, NSG_API_VERSION } from "./security-groups.js";

const scope = armScopeArguments();

const ruleOutputs = [
  { path: "AzureNSG.Rule.name", type: "string", description: "The rule's name." },
  { path: "AzureNSG.Rule.id", type: "string", description: "The rule's resource ID." },
  { path: "AzureNSG.Rule.securityGroupName", type: "string", description: "The security group of the rule." },
  { path: "AzureNSG.Rule.priority", type: "number", description: "The rule's priority (100-4096)." },
  { path: "AzureNSG.Rule.direction", type: "string", description: "Inbound or Outbound." },
  { path: "AzureNSG.Rule.access", type: "string", description: "Allow or Deny." },
  { path: "AzureNSG.Rule.protocol", type: "string", description: "Tcp, Udp, Icmp or *." },
  { path: "AzureNSG.Rule.sourceAddressPrefix", type: "string", description: "The source address prefix." },
  { path: "AzureNSG.Rule.destinationPortRange", type: "string", description: "The destination port range." },
] as const;

// XSOAR's arguments of a rule's create and update.
const ruleArguments = [
  { name: "security_group_name", description: "The security group of the rule.", required: true },
  { name: "security_rule_name", description: "The rule's name.", required: true },
  { name: "action", description: "Allow or Deny (new rules: Allow).", predefined: ["Allow", "Deny"] },
  {
    name: "protocol",
    description: "The protocol (new rules: Any).",
    predefined: ["Any", "TCP", "UDP", "ICMP"],
  },
  {
    name: "source",
    description: "Comma-separated source addresses, CIDR ranges or service tags (new rules: *).",
  },
  { name: "priority", description: "100-4096, lower first (new rules: 4096)." },
  { name: "source_ports", description: "Comma-separated source ports or ranges (new rules: *)." },
  { name: "destination", description: "Comma-separated destination addresses or ranges (new rules: *)." },
  { name: "destination_ports", description: "Comma-separated destination ports or ranges (new rules: *)." },
  { name: "description", description: "The rule's description." },
  ...armScopeArguments(),
] as const;

// Azure RBAC roles with the read actions of Microsoft.Network, least privileged first.
const NETWORK_READ = { rbac: ["Reader", "Network Contributor"] } as const;

/**
 * Azure Network Security Groups: NSGs and their security rules through Azure Resource Manager.
 * Command, argument and output names and the built-in client ID are XSOAR's, from demisto/content
 * Packs/AzureNetworkSecurityGroups/Integrations/AzureNetworkSecurityGroups/AzureNetworkSecurityGroups.yml
 * (data/xsoar/azure-network-security-groups.json).
 */
export default defineIntegration({
  id: "azure-network-security-groups",
  version: packageJson.version,
  displayName: "Azure Network Security Groups",
  commandPrefix: "azure-nsg",
  description: "Lists network security groups and manages their security rules.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  // XSOAR's "Application ID" default: the Cortex XSOAR public client used with device code (no broker app name).
  builtInClientId: "d4736600-e3d5-4c97-8e65-57abd2b979fe",
  // Resource Manager's entry under "API permissions" of an app registration (delegated user_impersonation).
  resource: {
    ...azureResourceManager({ delegated: ["user_impersonation", "offline_access"] }),
    permissionsApi: "Azure Service Management",
  },
  permissions: { application: ["Network Contributor (Azure RBAC role)"], delegated: ["user_impersonation"] },
  parameters: [subscriptionIdParameter(), resourceGroupParameter()],
  commands: {
    "azure-nsg-security-groups-list": {
      description: "Lists the network security groups of the resource group.",
      arguments: scope,
      outputs: [
        { path: "AzureNSG.SecurityGroup.name", type: "string", description: "The security group's name." },
        {
          path: "AzureNSG.SecurityGroup.id",
          type: "string",
          description: "The security group's resource ID.",
        },
        { path: "AzureNSG.SecurityGroup.etag", type: "string", description: "The security group's etag." },
        {
          path: "AzureNSG.SecurityGroup.location",
          type: "string",
          description: "The security group's region.",
        },
      ],
      // Network Security Groups - List (learn.microsoft.com/rest/api/virtualnetwork/network-security-groups/list)
      // needs Microsoft.Network/networkSecurityGroups/read
      // (learn.microsoft.com/azure/role-based-access-control/permissions/networking): Reader, Network Contributor.
      permissions: NETWORK_READ,
      run: listSecurityGroups,
    },
    "azure-nsg-security-rules-list": {
      description: "Lists the security rules of network security groups.",
      arguments: [
        { name: "security_group_name", description: "Comma-separated security group names.", required: true },
        { name: "limit", description: "The most rules to return (1-1000).", defaultValue: "50" },
        {
          name: "offset",
          description: "The position of the first rule to return, from 1.",
          defaultValue: "1",
        },
        ...scope,
      ],
      outputs: ruleOutputs,
      // Security Rules - List (learn.microsoft.com/rest/api/virtualnetwork/security-rules/list):
      // Microsoft.Network/networkSecurityGroups/securityRules/read.
      permissions: NETWORK_READ,
      run: listRules,
    },
    "azure-nsg-security-rule-delete": {
      description: "Deletes a security rule.",
      arguments: [
        { name: "security_group_name", description: "The security group of the rule.", required: true },
        { name: "security_rule_name", description: "The rule to delete.", required: true },
        ...scope,
      ],
      // Security Rules - Delete (learn.microsoft.com/rest/api/virtualnetwork/security-rules/delete):
      // Microsoft.Network/networkSecurityGroups/securityRules/delete, held by Network Contributor (not by Reader).
      permissions: { rbac: ["Network Contributor", "Contributor"] },
      run: deleteRule,
    },
    "azure-nsg-security-rule-get": {
      description: "Gets security rules by name.",
      arguments: [
        { name: "security_group_name", description: "The security group of the rules.", required: true },
        { name: "security_rule_name", description: "Comma-separated rule names.", required: true },
        ...scope,
      ],
      outputs: ruleOutputs,
      // Security Rules - Get (learn.microsoft.com/rest/api/virtualnetwork/security-rules/get):
      // Microsoft.Network/networkSecurityGroups/securityRules/read.
      permissions: NETWORK_READ,
      run: getRules,
    },
    "azure-nsg-security-rule-create": {
      description: "Creates a security rule.",
      arguments: [
        ...ruleArguments.slice(0, 2),
        {
          name: "direction",
          description: "Inbound or Outbound.",
          required: true,
          predefined: ["Inbound", "Outbound"],
        },
        ...ruleArguments.slice(2),
      ],
      outputs: ruleOutputs,
      // Security Rules - Create Or Update (learn.microsoft.com/rest/api/virtualnetwork/security-rules/create-or-update):
      // Microsoft.Network/networkSecurityGroups/securityRules/write, held by Network Contributor (not by Reader).
      permissions: { rbac: ["Network Contributor", "Contributor"] },
      run: createRule,
    },
    "azure-nsg-security-rule-update": {
      description:
        "Changes the given properties of a security rule (a read, then a write of the whole rule).",
      arguments: [
        ...ruleArguments.slice(0, 2),
        { name: "direction", description: "Inbound or Outbound.", predefined: ["Inbound", "Outbound"] },
        ...ruleArguments.slice(2),
      ],
      outputs: ruleOutputs,
      // Security Rules - Get, then Create Or Update (…/virtualnetwork/security-rules/create-or-update):
      // …/securityRules/read and …/securityRules/write.
      permissions: { rbac: ["Network Contributor", "Contributor"] },
      run: updateRule,
    },
    "azure-nsg-subscriptions-list": {
      ...subscriptionsListCommand({ outputsPrefix: "AzureNSG.Subscription", title: "List of Subscriptions" }),
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { rbac: ["Reader"] },
    },
    "azure-nsg-resource-group-list": {
      ...resourceGroupListCommand({ outputsPrefix: "AzureNSG.ResourceGroup", title: "Resource Groups List" }),
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { rbac: ["Reader"] },
    },
  },
  // The test lists the default resource group's security groups (Microsoft.Network/networkSecurityGroups/read);
  // without a default subscription and group, -test reads the subscriptions list instead.
  testPermissions: { rbac: ["Reader"] },
  async test({ api, params }) {
    const subscription = params["subscription_id"];
    const group = params["resource_group_name"];
    if (typeof subscription !== "string" || !subscription || typeof group !== "string" || !group) return;
    await api.get(
      `/subscriptions/${encodeURIComponent(subscription)}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.Network/networkSecurityGroups`,
      { "api-version": NSG_API_VERSION },
      { expect: "collection" },
    );
  },
});
