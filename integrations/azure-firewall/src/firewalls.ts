import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  resourceGroupPath,
  subscriptionPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The Microsoft.Network API version of the XSOAR integration. */
export const NETWORK_API_VERSION = "2021-03-01";

type Resource = {
  name?: string;
  id?: string;
  location?: string;
  properties?: Record<string, unknown> & { provisioningState?: string; threatIntelMode?: string };
};

const RESOURCE_GROUP = { key: "resource_group", displayName: "Default Resource Group Name" };

/** The firewalls' resource group: argument and instance parameter `resource_group`, as in XSOAR. */
function groupPath(context: CommandContext): string {
  return resourceGroupPath(context, {
    resourceGroup: RESOURCE_GROUP,
    resourceGroupArgument: "resource_group",
  });
}

function scopePath(context: CommandContext): string {
  return context.args["resource"] === "subscription" ? subscriptionPath(context) : groupPath(context);
}

function row(resource: Resource) {
  const properties = resource.properties ?? {};
  const ipConfigurations =
    (properties["ipConfigurations"] as Array<{ properties?: { privateIPAddress?: string } }>) ?? [];
  return {
    name: resource.name,
    id: resource.id,
    location: resource.location,
    threat_intel_mode: properties.threatIntelMode,
    private_ip_address: ipConfigurations[0]?.properties?.privateIPAddress,
    provisioning_state: properties.provisioningState,
  };
}

async function list(context: CommandContext, collection: string) {
  return collectPages<Resource>(
    context.api,
    `${scopePath(context)}/providers/Microsoft.Network/${collection}`,
    { "api-version": NETWORK_API_VERSION },
    limitArgument(context, 1000),
  );
}

/** `azure-firewall-list`: GET …/providers/Microsoft.Network/azureFirewalls. */
export async function listFirewalls(context: CommandContext): Promise<CommandResult> {
  const { items } = await list(context, "azureFirewalls");
  return {
    readable: tableToMarkdown("Firewall List:", items.map(row)),
    outputsPrefix: "AzureFirewall.Firewall",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}

/** `azure-firewall-get`: GET …/resourceGroups/{rg}/providers/Microsoft.Network/azureFirewalls/{name}, per name. */
export async function getFirewalls(
  context: CommandContext<{ firewall_names: string }>,
): Promise<CommandResult> {
  const names = context.args["firewall_names"]
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const base = `${groupPath(context)}/providers/Microsoft.Network/azureFirewalls`;
  const firewalls: Resource[] = [];
  for (const name of names) {
    firewalls.push(
      await context.api.get<Resource>(`${base}/${encodeURIComponent(name)}`, {
        "api-version": NETWORK_API_VERSION,
      }),
    );
  }
  return {
    readable: tableToMarkdown("Firewall List:", firewalls.map(row)),
    outputsPrefix: "AzureFirewall.Firewall",
    outputsKeyField: "id",
    outputs: firewalls,
    raw: firewalls,
  };
}

/** `azure-firewall-policy-list`: GET …/providers/Microsoft.Network/firewallPolicies. */
export async function listPolicies(context: CommandContext): Promise<CommandResult> {
  const { items } = await list(context, "firewallPolicies");
  const rows = items.map((policy) => ({
    name: policy.name,
    id: policy.id,
    location: policy.location,
    threat_intel_mode: policy.properties?.threatIntelMode,
    provisioning_state: policy.properties?.provisioningState,
  }));
  return {
    readable: tableToMarkdown("Policy List:", rows),
    outputsPrefix: "AzureFirewall.Policy",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}
