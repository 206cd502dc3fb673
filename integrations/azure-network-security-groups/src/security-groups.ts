import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  resourceGroupPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The Microsoft.Network API version of the XSOAR integration. */
export const NSG_API_VERSION = "2022-09-01";

interface ArmResource {
  name?: string;
  id?: string;
  etag?: string;
  location?: string;
  properties?: Record<string, unknown>;
}

function groupsPath(context: CommandContext): string {
  return `${resourceGroupPath(context)}/providers/Microsoft.Network/networkSecurityGroups`;
}

/** A rule as the XSOAR integration writes it: its properties flattened next to name and id. */
function toRule(rule: ArmResource, securityGroupName: string): Record<string, unknown> {
  return { name: rule.name, id: rule.id, etag: rule.etag, securityGroupName, ...(rule.properties ?? {}) };
}

/** `azure-nsg-security-groups-list`: GET …/providers/Microsoft.Network/networkSecurityGroups. */
export async function listSecurityGroups(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<ArmResource>(context.api, groupsPath(context), {
    "api-version": NSG_API_VERSION,
  });
  const groups = items.map((group) => ({
    name: group.name,
    id: group.id,
    etag: group.etag,
    location: group.location,
  }));
  return {
    readable: tableToMarkdown("Network Security Groups", groups, ["name", "id", "etag", "location"]),
    outputsPrefix: "AzureNSG.SecurityGroup",
    outputsKeyField: "id",
    outputs: groups,
    raw: items,
  };
}

/** `azure-nsg-security-rules-list`: GET …/networkSecurityGroups/{nsg}/securityRules, per group. */
export async function listRules(
  context: CommandContext<{ security_group_name: string; offset?: string }>,
): Promise<CommandResult> {
  const limit = limitArgument(context, 1000);
  // XSOAR's offset: the position of the first rule, counted from 1 across the listed groups.
  const offset = Math.max(Number.parseInt(context.args["offset"] ?? "1", 10) || 1, 1) - 1;
  const wanted = offset + limit;
  const names = context.args["security_group_name"]
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const rules: Record<string, unknown>[] = [];
  for (const name of names) {
    const { items } = await collectPages<ArmResource>(
      context.api,
      `${groupsPath(context)}/${encodeURIComponent(name)}/securityRules`,
      { "api-version": NSG_API_VERSION },
      wanted - rules.length,
    );
    rules.push(...items.map((rule) => toRule(rule, name)));
    if (rules.length >= wanted) break;
  }
  rules.splice(0, offset);
  rules.splice(limit);
  return {
    readable: tableToMarkdown(`Rules in ${names.join(", ")}`, rules, [
      "name",
      "priority",
      "direction",
      "access",
      "protocol",
      "sourceAddressPrefix",
      "sourcePortRange",
      "destinationAddressPrefix",
      "destinationPortRange",
    ]),
    outputsPrefix: "AzureNSG.Rule",
    outputsKeyField: "id",
    outputs: rules,
    raw: rules,
  };
}

/** `azure-nsg-security-rule-delete`: DELETE …/networkSecurityGroups/{nsg}/securityRules/{rule}. */
export async function deleteRule(
  context: CommandContext<{ security_group_name: string; security_rule_name: string }>,
): Promise<CommandResult> {
  const group = context.args["security_group_name"];
  const rule = context.args["security_rule_name"];
  await context.api.request({
    method: "DELETE",
    path: `${groupsPath(context)}/${encodeURIComponent(group)}/securityRules/${encodeURIComponent(rule)}`,
    query: { "api-version": NSG_API_VERSION },
  });
  return { readable: `Rule ${rule} deleted.` };
}
