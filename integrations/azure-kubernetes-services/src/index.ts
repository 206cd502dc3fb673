import {
  azureResourceManager,
  defineIntegration,
  resourceGroupArgument,
  resourceGroupListCommand,
  resourceGroupParameter,
  SUBSCRIPTIONS_API_VERSION,
  subscriptionIdArgument,
  subscriptionIdParameter,
  subscriptionsListCommand,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { AKS_API_VERSION, listClusters } from "./clusters.js";

/**
 * Azure Kubernetes Services: AKS managed clusters through Azure Resource Manager (Microsoft.ContainerService).
 * Command, argument and output names and the built-in client ID are XSOAR's, from demisto/content
 * Packs/AzureKubernetesServices/Integrations/AzureKubernetesServices/AzureKubernetesServices.yml
 * (data/xsoar/azure-kubernetes-services.json).
 */
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
  // XSOAR's "Application ID" default: the Cortex XSOAR public client used with device code (no broker app name).
  builtInClientId: "ab217a43-e09b-4f80-ae93-482fc7a3d1a3",
  // Resource Manager's entry under "API permissions" of an app registration (delegated user_impersonation).
  resource: {
    ...azureResourceManager({ delegated: ["user_impersonation", "offline_access"] }),
    permissionsApi: "Azure Service Management",
  },
  permissions: {
    application: ["Azure Kubernetes Service Contributor Role (Azure RBAC)"],
    delegated: ["user_impersonation"],
  },
  parameters: [subscriptionIdParameter(), resourceGroupParameter()],
  commands: {
    "azure-ks-clusters-list": {
      description: "Lists the managed clusters of the subscription, or of one resource group.",
      arguments: [
        subscriptionIdArgument(),
        resourceGroupArgument({
          description:
            "msint only (XSOAR lists the whole subscription): only clusters of this resource group.",
        }),
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
      // Managed Clusters - List / List By Resource Group (learn.microsoft.com/rest/api/aks/managed-clusters/list)
      // need Microsoft.ContainerService/managedClusters/read
      // (learn.microsoft.com/azure/role-based-access-control/permissions/containers): Reader, Azure Kubernetes
      // Service Contributor Role (…/role-based-access-control/built-in-roles).
      permissions: { rbac: ["Reader", "Azure Kubernetes Service Contributor Role"] },
      run: listClusters,
    },
    "azure-ks-subscriptions-list": {
      ...subscriptionsListCommand({
        outputsPrefix: "AzureKS.Subscription",
        title: "Azure Kubernetes Subscriptions list",
      }),
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { rbac: ["Reader"] },
    },
    "azure-ks-resource-group-list": {
      ...resourceGroupListCommand({
        outputsPrefix: "AzureKS.ResourceGroup",
        title: "Resource Groups List",
      }),
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { rbac: ["Reader"] },
    },
  },
  // With a default subscription the test lists its clusters (Microsoft.ContainerService/managedClusters/read);
  // without one, the subscriptions the identity can see.
  testPermissions: { rbac: ["Reader"] },
  async test({ api, params }) {
    const subscription = params["subscription_id"];
    if (typeof subscription === "string" && subscription) {
      await api.get(
        `/subscriptions/${encodeURIComponent(subscription)}/providers/Microsoft.ContainerService/managedClusters`,
        { "api-version": AKS_API_VERSION },
        { expect: "collection" },
      );
      return;
    }
    await api.get("/subscriptions", { "api-version": SUBSCRIPTIONS_API_VERSION }, { expect: "collection" });
  },
});
