import {
  type CommandContext,
  type CommandResult,
  collectPages,
  subscriptionPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The Microsoft.ContainerService API version of the XSOAR integration. */
export const AKS_API_VERSION = "2023-02-01";

interface Cluster {
  id?: string;
  name?: string;
  location?: string;
  properties?: {
    kubernetesVersion?: string;
    provisioningState?: string;
    powerState?: { code?: string };
    fqdn?: string;
    nodeResourceGroup?: string;
  };
}

/** `azure-ks-clusters-list`: GET …/providers/Microsoft.ContainerService/managedClusters. */
export async function listClusters(context: CommandContext): Promise<CommandResult> {
  const group = context.args["resource_group_name"];
  const scope = group
    ? `${subscriptionPath(context)}/resourceGroups/${encodeURIComponent(group)}`
    : subscriptionPath(context);
  const { items } = await collectPages<Cluster>(
    context.api,
    `${scope}/providers/Microsoft.ContainerService/managedClusters`,
    {
      "api-version": AKS_API_VERSION,
    },
  );
  const rows = items.map((cluster) => ({
    Name: cluster.name,
    Status: cluster.properties?.provisioningState,
    Location: cluster.location,
    Version: cluster.properties?.kubernetesVersion,
    "Power State": cluster.properties?.powerState?.code,
    FQDN: cluster.properties?.fqdn,
  }));
  return {
    readable: tableToMarkdown("AKS Clusters List", rows),
    outputsPrefix: "AzureKS.ManagedCluster",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}
