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

/** The firewalls' resource group: argument `resource_group_name`, instance parameter `resource_group`, as in XSOAR. */
function groupPath(context: CommandContext): string {
  return resourceGroupPath(context, { resourceGroup: RESOURCE_GROUP });
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

/** XSOAR's paging: page p (from 1) of limit entries. */
async function list(context: CommandContext, collection: string) {
  const limit = limitArgument(context, 1000);
  const page = Math.max(Number.parseInt(context.args["page"] ?? "1", 10) || 1, 1);
  const { items } = await collectPages<Resource>(
    context.api,
    `${scopePath(context)}/providers/Microsoft.Network/${collection}`,
    { "api-version": NETWORK_API_VERSION },
    page * limit,
  );
  return { items: items.slice((page - 1) * limit, page * limit) };
}

const seconds = (value: string | undefined, fallback: number) => {
  const parsed = Number.parseInt(value ?? "", 10);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
};

/** Reads a firewall; with polling, reads it again every interval while it is Updating, up to timeout. */
async function readFirewall(context: CommandContext, path: string): Promise<Resource> {
  let firewall = await context.api.get<Resource>(path, { "api-version": NETWORK_API_VERSION });
  if (String(context.args["polling"] ?? "True").toLowerCase() !== "true") return firewall;
  const interval = seconds(context.args["interval"], 30);
  const deadline = Date.now() + seconds(context.args["timeout"], 60) * 1000;
  while (firewall.properties?.provisioningState === "Updating" && Date.now() + interval * 1000 <= deadline) {
    await new Promise((resolve) => setTimeout(resolve, interval * 1000));
    firewall = await context.api.get<Resource>(path, { "api-version": NETWORK_API_VERSION });
  }
  return firewall;
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
    firewalls.push(await readFirewall(context, `${base}/${encodeURIComponent(name)}`));
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

const namesOf = (value: string) =>
  value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);

/** Gets comma-separated resources of a Microsoft.Network collection of the resource group, polling as XSOAR does. */
async function getNamed(context: CommandContext, collection: string, argument: string): Promise<Resource[]> {
  const base = `${groupPath(context)}/providers/Microsoft.Network/${collection}`;
  const resources: Resource[] = [];
  for (const name of namesOf(context.args[argument] ?? "")) {
    resources.push(await readFirewall(context, `${base}/${encodeURIComponent(name)}`));
  }
  return resources;
}

/** Deletes comma-separated resources of a Microsoft.Network collection of the resource group. */
async function deleteNamed(context: CommandContext, collection: string, argument: string): Promise<string[]> {
  const base = `${groupPath(context)}/providers/Microsoft.Network/${collection}`;
  const names = namesOf(context.args[argument] ?? "");
  for (const name of names) {
    await context.api.request({
      method: "DELETE",
      path: `${base}/${encodeURIComponent(name)}`,
      query: { "api-version": NETWORK_API_VERSION },
    });
  }
  return names;
}

function policyRows(policies: Resource[]) {
  return policies.map((policy) => ({
    name: policy.name,
    id: policy.id,
    location: policy.location,
    threat_intel_mode: policy.properties?.threatIntelMode,
    provisioning_state: policy.properties?.provisioningState,
  }));
}

/** `azure-firewall-policy-get`: GET …/firewallPolicies/{name}, per name. */
export async function getPolicies(context: CommandContext): Promise<CommandResult> {
  const policies = await getNamed(context, "firewallPolicies", "policy_names");
  return {
    readable: tableToMarkdown("Policy List:", policyRows(policies)),
    outputsPrefix: "AzureFirewall.Policy",
    outputsKeyField: "id",
    outputs: policies,
    raw: policies,
  };
}

/** `azure-firewall-policy-delete`: DELETE …/firewallPolicies/{name}, per name. */
export async function deletePolicies(context: CommandContext): Promise<CommandResult> {
  const names = await deleteNamed(context, "firewallPolicies", "policy_names");
  return { readable: `Policy ${names.join(", ")} deleted successfully.` };
}

function ipGroupResult(groups: Resource[]): CommandResult {
  const rows = groups.map((group) => ({
    name: group.name,
    id: group.id,
    location: group.location,
    ip_addresses: group.properties?.["ipAddresses"],
    provisioning_state: group.properties?.provisioningState,
  }));
  return {
    readable: tableToMarkdown("IP Group List:", rows),
    outputsPrefix: "AzureFirewall.IPGroup",
    outputsKeyField: "id",
    outputs: groups,
    raw: groups,
  };
}

/** `azure-firewall-ip-group-list`: GET …/providers/Microsoft.Network/ipGroups. */
export async function listIpGroups(context: CommandContext): Promise<CommandResult> {
  return ipGroupResult((await list(context, "ipGroups")).items);
}

/** `azure-firewall-ip-group-get`: GET …/ipGroups/{name}, per name. */
export async function getIpGroups(context: CommandContext): Promise<CommandResult> {
  return ipGroupResult(await getNamed(context, "ipGroups", "ip_group_names"));
}

/** `azure-firewall-ip-group-delete`: DELETE …/ipGroups/{name}, per name. */
export async function deleteIpGroups(context: CommandContext): Promise<CommandResult> {
  const names = await deleteNamed(context, "ipGroups", "ip_group_names");
  return { readable: `IP Group ${names.join(", ")} deleted successfully.` };
}
