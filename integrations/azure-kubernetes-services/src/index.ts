import {
  azureResourceManager,
  defineIntegration,
  resourceGroupParameter,
  subscriptionIdParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { listClusters, listResourceGroups, listSubscriptions } from "./clusters.js";

/** Azure Kubernetes Services: AKS managed clusters through Azure Resource Manager (Microsoft.ContainerService). */
export default defineIntegration({
  id: "azure-kubernetes-services",
  version: packageJson.version,
  displayName: "Azure Kubernetes Services",
  commandPrefix: "azure-ks",
  description: "Lists AKS managed clusters, subscriptions and resource groups.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: true,
  },
  resource: azureResourceManager({ delegated: ["user_impersonation", "offline_access"] }),
  permissions: {
    application: ["Azure Kubernetes Service Contributor Role (Azure RBAC)"],
    delegated: ["user_impersonation"],
  },
  parameters: [subscriptionIdParameter(), resourceGroupParameter()],
  commands: {
    "azure-ks-clusters-list": {
      description: "Lists the managed clusters of the subscription, or of one resource group.",
      arguments: [
        { name: "subscription_id", description: "The subscription ID (default: the instance's)." },
        { name: "resource_group_name", description: "Only clusters of this resource group." },
      ],
      outputs: [
        { path: "AzureKS.ManagedCluster.id", type: "string", description: "The cluster's resource ID." },
        { path: "AzureKS.ManagedCluster.name", type: "string", description: "The cluster's name." },
        { path: "AzureKS.ManagedCluster.location", type: "string", description: "The cluster's region." },
        {
          path: "AzureKS.ManagedCluster.properties.kubernetesVersion",
          type: "string",
          description: "The Kubernetes version.",
        },
        {
          path: "AzureKS.ManagedCluster.properties.provisioningState",
          type: "string",
          description: "The provisioning state.",
        },
        {
          path: "AzureKS.ManagedCluster.properties.powerState.code",
          type: "string",
          description: "Running or Stopped.",
        },
        {
          path: "AzureKS.ManagedCluster.properties.fqdn",
          type: "string",
          description: "The API server's FQDN.",
        },
      ],
      run: listClusters,
    },
    "azure-ks-subscriptions-list": {
      description: "Lists the subscriptions the identity can see.",
      outputs: [
        { path: "AzureKS.Subscription.subscriptionId", type: "string", description: "The subscription ID." },
        { path: "AzureKS.Subscription.displayName", type: "string", description: "The subscription's name." },
        { path: "AzureKS.Subscription.state", type: "string", description: "Enabled, Disabled, Warned …" },
      ],
      run: listSubscriptions,
    },
    "azure-ks-resource-group-list": {
      description: "Lists the resource groups of the subscription.",
      arguments: [
        { name: "subscription_id", description: "The subscription ID (default: the instance's)." },
        { name: "tag", description: 'Only groups with this tag, as {"key":"value"}.' },
        { name: "limit", description: "The most entries to return (1-1000).", defaultValue: "50" },
      ],
      outputs: [
        { path: "AzureKS.ResourceGroup.name", type: "string", description: "The resource group's name." },
        {
          path: "AzureKS.ResourceGroup.location",
          type: "string",
          description: "The resource group's region.",
        },
        { path: "AzureKS.ResourceGroup.tags", type: "unknown", description: "The resource group's tags." },
      ],
      run: listResourceGroups,
    },
  },
  async test({ api }) {
    await api.get("/subscriptions", { "api-version": "2020-01-01" }, { expect: "collection" });
  },
});
