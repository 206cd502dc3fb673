import {
  azureResourceManager,
  defineIntegration,
  resourceGroupArgument,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { deleteInstance, getAllPublicIpDetails, getPublicIpDetails } from "./network.js";
import {
  getInstanceDetails,
  listInstances,
  listResourceGroups,
  listSubscriptions,
  powerOffInstance,
  startInstance,
} from "./virtual-machines.js";

const vmOutputs = [
  { path: "Azure.Compute.Name", type: "string", description: "The name of the virtual machine." },
  { path: "Azure.Compute.ID", type: "string", description: "The Azure resource ID of the virtual machine." },
  { path: "Azure.Compute.Size", type: "string", description: "The VM size, e.g. Standard_D2s_v3." },
  { path: "Azure.Compute.OS", type: "string", description: "The OS type of the OS disk (Linux or Windows)." },
  { path: "Azure.Compute.Location", type: "string", description: "The Azure region of the virtual machine." },
  {
    path: "Azure.Compute.ProvisioningState",
    type: "string",
    description: "The provisioning state of the virtual machine.",
  },
  { path: "Azure.Compute.PowerState", type: "string", description: "The power state, e.g. VM running." },
  { path: "Azure.Compute.ResourceGroup", type: "string", description: "The resource group of the VM." },
] as const;

const scopeArguments = [
  resourceGroupArgument({
    name: "resource_group",
    description: "The resource group of the virtual machines (default: the instance's).",
  }),
  subscriptionIdArgument(),
] as const;

const vmArguments = [
  { name: "virtual_machine_name", description: "The name of the virtual machine.", required: true },
  ...scopeArguments,
] as const;

const publicIpOutputs = [
  {
    path: "Azure.Network.IPConfigurations.PublicConfigName",
    type: "string",
    description: "The address's name.",
  },
  { path: "Azure.Network.IPConfigurations.PublicIPAddress", type: "string", description: "The IP address." },
  {
    path: "Azure.Network.IPConfigurations.PublicIPAddressAllocationMethod",
    type: "string",
    description: "Static or Dynamic.",
  },
  {
    path: "Azure.Network.IPConfigurations.PublicIPAddressVersion",
    type: "string",
    description: "IPv4 or IPv6.",
  },
  {
    path: "Azure.Network.IPConfigurations.PublicIPAddressFQDN",
    type: "string",
    description: "Its DNS name.",
  },
  {
    path: "Azure.Network.IPConfigurations.PublicIPAddressID",
    type: "string",
    description: "Its resource ID.",
  },
  { path: "Azure.Network.IPConfigurations.Location", type: "string", description: "Its region." },
  {
    path: "Azure.Network.IPConfigurations.ResourceGroup",
    type: "string",
    description: "Its resource group.",
  },
] as const;

// Azure RBAC roles with the actions each command needs, least privileged first.
const VM_READ = { rbac: ["Reader", "Virtual Machine Contributor"] } as const;
const VM_OPERATE = { rbac: ["Virtual Machine Contributor", "Contributor"] } as const;

/**
 * Azure Compute v2: Azure virtual machines through Azure Resource Manager (Microsoft.Compute).
 * Command, argument and output names and the broker app name are XSOAR's, from demisto/content
 * Packs/AzureCompute/Integrations/AzureCompute_v2/AzureCompute_v2.yml (data/xsoar/azure-compute-v2.json).
 */
export default defineIntegration({
  id: "azure-compute-v2",
  version: packageJson.version,
  displayName: "Azure Compute v2",
  commandPrefix: "azure-vm",
  description: "Lists, inspects, starts and powers off Azure virtual machines.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: false,
    nationalClouds: false,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it.
  brokerAppName: "ms-azure-compute",
  // Resource Manager's entry under "API permissions" of an app registration (delegated user_impersonation).
  resource: { ...azureResourceManager(), permissionsApi: "Azure Service Management" },
  permissions: { application: ["Virtual Machine Contributor (Azure RBAC role on the subscription)"] },
  parameters: [subscriptionIdParameter("subscription_id"), resourceGroupParameter("resource_group")],
  commands: {
    "azure-vm-list-instances": {
      description: "Lists the virtual machines of a resource group.",
      arguments: scopeArguments,
      outputs: vmOutputs,
      // Virtual Machines - List (learn.microsoft.com/rest/api/compute/virtual-machines/list) needs
      // Microsoft.Compute/virtualMachines/read (learn.microsoft.com/azure/role-based-access-control/permissions/compute),
      // which Reader and Virtual Machine Contributor hold (…/role-based-access-control/built-in-roles).
      permissions: VM_READ,
      run: listInstances,
    },
    "azure-vm-get-instance-details": {
      description: "Gets one virtual machine, with its power state (instance view).",
      arguments: [
        ...vmArguments,
        {
          name: "expand",
          description: "What to expand: instanceView (power state) or userData.",
          defaultValue: "instanceView",
          predefined: ["instanceView", "userData"],
        },
      ],
      outputs: vmOutputs,
      // Virtual Machines - Get (learn.microsoft.com/rest/api/compute/virtual-machines/get):
      // Microsoft.Compute/virtualMachines/read.
      permissions: VM_READ,
      run: getInstanceDetails,
    },
    "azure-vm-start-instance": {
      description: "Powers on a virtual machine.",
      arguments: vmArguments,
      outputs: vmOutputs.filter((output) => /Name|ResourceGroup|PowerState/.test(output.path)),
      // Virtual Machines - Start (learn.microsoft.com/rest/api/compute/virtual-machines/start):
      // Microsoft.Compute/virtualMachines/start/action, held by Virtual Machine Contributor (not by Reader).
      permissions: VM_OPERATE,
      run: startInstance,
    },
    "azure-vm-poweroff-instance": {
      description:
        "Powers off a virtual machine (it stays allocated and billed; deallocate it to stop billing).",
      arguments: [
        ...vmArguments,
        {
          name: "skip_shutdown",
          description: "true to power off without a graceful shutdown of the guest OS.",
          defaultValue: "false",
          predefined: ["true", "false"],
        },
      ],
      outputs: vmOutputs.filter((output) => /Name|ResourceGroup|PowerState/.test(output.path)),
      // Virtual Machines - Power Off (learn.microsoft.com/rest/api/compute/virtual-machines/power-off):
      // Microsoft.Compute/virtualMachines/powerOff/action.
      permissions: VM_OPERATE,
      run: powerOffInstance,
    },
    "azure-list-resource-groups": {
      description: "Lists the resource groups of the subscription.",
      arguments: [
        subscriptionIdArgument(),
        { name: "tag", description: 'Only groups with this tag, as {"key":"value"}.' },
        { name: "limit", description: "The most groups to return (1-1000).", defaultValue: "50" },
      ],
      outputs: [
        { path: "Azure.ResourceGroup.Name", type: "string", description: "The resource group's name." },
        { path: "Azure.ResourceGroup.ID", type: "string", description: "The resource group's resource ID." },
        { path: "Azure.ResourceGroup.Location", type: "string", description: "The resource group's region." },
        {
          path: "Azure.ResourceGroup.ProvisioningState",
          type: "string",
          description: "The provisioning state.",
        },
      ],
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { rbac: ["Reader"] },
      run: listResourceGroups,
    },
    "azure-vm-delete-instance": {
      description: "Deletes a virtual machine.",
      arguments: vmArguments,
      // Virtual Machines - Delete (learn.microsoft.com/rest/api/compute/virtual-machines/delete):
      // Microsoft.Compute/virtualMachines/delete, held by Virtual Machine Contributor (not by Reader).
      permissions: VM_OPERATE,
      run: deleteInstance,
    },
    "azure-vm-get-public-ip-details": {
      description: "Gets a public IP address of the resource group.",
      arguments: [
        { name: "address_name", description: "The public IP address resource's name.", required: true },
        ...scopeArguments,
      ],
      outputs: publicIpOutputs,
      // Public IP Addresses - Get (learn.microsoft.com/rest/api/virtualnetwork/public-ip-addresses/get):
      // Microsoft.Network/publicIPAddresses/read, held by Reader.
      permissions: { rbac: ["Reader", "Network Contributor"] },
      run: getPublicIpDetails,
    },
    "azure-vm-get-all-public-ip-details": {
      description: "Lists the public IP addresses of the subscription.",
      arguments: [subscriptionIdArgument()],
      outputs: publicIpOutputs,
      // Public IP Addresses - List All (learn.microsoft.com/rest/api/virtualnetwork/public-ip-addresses/list-all):
      // Microsoft.Network/publicIPAddresses/read.
      permissions: { rbac: ["Reader", "Network Contributor"] },
      run: getAllPublicIpDetails,
    },
    "azure-list-subscriptions": {
      description: "Lists the subscriptions the identity can see.",
      outputs: [
        { path: "Azure.Subscription.ID", type: "string", description: "The subscription ID." },
        { path: "Azure.Subscription.Name", type: "string", description: "The subscription's name." },
        { path: "Azure.Subscription.State", type: "string", description: "Enabled, Disabled, Warned …" },
      ],
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { rbac: ["Reader"] },
      run: listSubscriptions,
    },
  },
  // Renamed to XSOAR's names; the old names keep working for one release.
  deprecatedAliases: { "azure-vm-list-resource-groups": "azure-list-resource-groups" },
  // The test lists resource groups (Microsoft.Resources/subscriptions/resourceGroups/read).
  testPermissions: { rbac: ["Reader"] },
  async test({ api, params }) {
    if (params["subscription_id"]) {
      await api.get(
        `/subscriptions/${params["subscription_id"]}/resourcegroups`,
        {
          "api-version": "2021-04-01",
          $top: 1,
        },
        { expect: "collection" },
      );
    }
  },
});
