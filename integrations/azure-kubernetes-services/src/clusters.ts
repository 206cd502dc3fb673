import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  subscriptionPath,
  tableToMarkdown,
  UsageError,
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

/** `azure-ks-subscriptions-list`: GET /subscriptions. */
export async function listSubscriptions(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{ subscriptionId?: string; displayName?: string; state?: string }>(
    context.api,
    "/subscriptions",
    { "api-version": "2020-01-01" },
  );
  return {
    readable: tableToMarkdown(
      "Azure Kubernetes Subscriptions list",
      items.map((subscription) => ({
        "Subscription ID": subscription.subscriptionId,
        "Subscription Name": subscription.displayName,
        State: subscription.state,
      })),
    ),
    outputsPrefix: "AzureKS.Subscription",
    outputsKeyField: "subscriptionId",
    outputs: items,
    raw: items,
  };
}

/** `azure-ks-resource-group-list`: GET /subscriptions/{id}/resourcegroups[?$filter=tagName eq … and tagValue eq …]. */
export async function listResourceGroups(context: CommandContext): Promise<CommandResult> {
  let filter: string | undefined;
  if (context.args["tag"]) {
    let tag: Record<string, string>;
    try {
      tag = JSON.parse(context.args["tag"]);
    } catch {
      throw new UsageError('tag must be a JSON object with one key, e.g. {"Environment":"prod"}.');
    }
    const [entry] = Object.entries(tag);
    if (!entry) throw new UsageError('tag must be a JSON object with one key, e.g. {"Environment":"prod"}.');
    filter = `tagName eq '${entry[0]}' and tagValue eq '${entry[1]}'`;
  }
  const { items } = await collectPages<{ name?: string; location?: string; tags?: Record<string, string> }>(
    context.api,
    `${subscriptionPath(context)}/resourcegroups`,
    { "api-version": "2021-04-01", $filter: filter },
    limitArgument(context, 1000),
  );
  return {
    readable: tableToMarkdown(
      "Resource Groups List",
      items.map((group) => ({ Name: group.name, Location: group.location, Tags: group.tags })),
    ),
    outputsPrefix: "AzureKS.ResourceGroup",
    outputsKeyField: "name",
    outputs: items,
    raw: items,
  };
}
