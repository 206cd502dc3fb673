import {
  type CommandContext,
  type CommandResult,
  resourceGroupPath,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";
import { NSG_API_VERSION } from "./security-groups.js";

interface Rule {
  name?: string;
  id?: string;
  etag?: string;
  type?: string;
  properties?: Record<string, unknown>;
}

type RuleArgs = { security_group_name: string; security_rule_name: string };

/** XSOAR's protocol values and the API's (learn.microsoft.com/rest/api/virtualnetwork/security-rules/create-or-update). */
const PROTOCOLS: Readonly<Record<string, string>> = { Any: "*", TCP: "Tcp", UDP: "Udp", ICMP: "Icmp" };

const HEADERS = [
  "name",
  "priority",
  "direction",
  "access",
  "protocol",
  "sourceAddressPrefix",
  "sourcePortRange",
  "destinationAddressPrefix",
  "destinationPortRange",
];

function rulePath(context: CommandContext<RuleArgs>, name: string): string {
  const group = encodeURIComponent(context.args["security_group_name"]);
  return `${resourceGroupPath(context)}/providers/Microsoft.Network/networkSecurityGroups/${group}/securityRules/${encodeURIComponent(name)}`;
}

/** A rule as XSOAR writes it: its properties flattened next to name, id and etag. */
function flat(rule: Rule, securityGroupName: string): Record<string, unknown> {
  return {
    name: rule.name,
    id: rule.id,
    etag: rule.etag,
    type: rule.type,
    securityGroupName,
    ...(rule.properties ?? {}),
  };
}

function result(title: string, rules: Rule[], group: string): CommandResult {
  const outputs = rules.map((rule) => flat(rule, group));
  return {
    readable: tableToMarkdown(title, outputs, HEADERS),
    outputsPrefix: "AzureNSG.Rule",
    outputsKeyField: "id",
    outputs,
    raw: rules,
  };
}

/** One value → the singular property; several (comma-separated) → the plural one, as the API takes them. */
function oneOrMany(value: string, singular: string, plural: string): Record<string, unknown> {
  const values = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return values.length > 1
    ? { [plural]: values, [singular]: undefined }
    : { [singular]: values[0] ?? "*", [plural]: [] };
}

/** The properties the arguments set; `defaults` fills what a new rule needs. */
function ruleProperties(context: CommandContext, defaults: boolean): Record<string, unknown> {
  const args = context.args;
  const pick = (name: string, fallback: string) => args[name] ?? (defaults ? fallback : undefined);
  const properties: Record<string, unknown> = {};
  const protocol = pick("protocol", "Any");
  if (protocol !== undefined) {
    if (!(protocol in PROTOCOLS))
      throw new UsageError(`protocol must be Any, TCP, UDP or ICMP (got "${protocol}").`);
    properties["protocol"] = PROTOCOLS[protocol];
  }
  const access = pick("action", "Allow");
  if (access !== undefined) properties["access"] = access;
  if (args["direction"] !== undefined) properties["direction"] = args["direction"];
  const priority = pick("priority", "4096");
  if (priority !== undefined) {
    const value = Number(priority);
    if (!Number.isInteger(value) || value < 100 || value > 4096)
      throw new UsageError(`priority must be a whole number from 100 to 4096 (got "${priority}").`);
    properties["priority"] = value;
  }
  const source = pick("source", "*");
  if (source !== undefined)
    Object.assign(properties, oneOrMany(source, "sourceAddressPrefix", "sourceAddressPrefixes"));
  const destination = pick("destination", "*");
  if (destination !== undefined)
    Object.assign(
      properties,
      oneOrMany(destination, "destinationAddressPrefix", "destinationAddressPrefixes"),
    );
  const sourcePorts = pick("source_ports", "*");
  if (sourcePorts !== undefined)
    Object.assign(properties, oneOrMany(sourcePorts, "sourcePortRange", "sourcePortRanges"));
  const destinationPorts = pick("destination_ports", "*");
  if (destinationPorts !== undefined)
    Object.assign(properties, oneOrMany(destinationPorts, "destinationPortRange", "destinationPortRanges"));
  if (args["description"] !== undefined) properties["description"] = args["description"];
  return properties;
}

async function putRule(
  context: CommandContext<RuleArgs>,
  properties: Record<string, unknown>,
): Promise<Rule> {
  const rule = await context.api.request<Rule>({
    expect: "object",
    method: "PUT",
    path: rulePath(context, context.args["security_rule_name"]),
    query: { "api-version": NSG_API_VERSION },
    body: { properties: JSON.parse(JSON.stringify(properties)) },
  });
  return rule ?? {};
}

/** `azure-nsg-security-rule-get`: GET …/securityRules/{rule}, per comma-separated name. */
export async function getRules(context: CommandContext<RuleArgs>): Promise<CommandResult> {
  const names = context.args["security_rule_name"]
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const rules: Rule[] = [];
  for (const name of names) {
    rules.push(await context.api.get<Rule>(rulePath(context, name), { "api-version": NSG_API_VERSION }));
  }
  const group = context.args["security_group_name"];
  return result(`Rules ${names.join(", ")}`, rules, group);
}

/** `azure-nsg-security-rule-create`: PUT …/securityRules/{rule} with XSOAR's defaults (Allow, Any, *, 4096). */
export async function createRule(context: CommandContext<RuleArgs>): Promise<CommandResult> {
  const rule = await putRule(context, ruleProperties(context, true));
  return result(`Rule ${context.args["security_rule_name"]}`, [rule], context.args["security_group_name"]);
}

/** `azure-nsg-security-rule-update`: GET the rule, then PUT it with the given properties changed. */
export async function updateRule(context: CommandContext<RuleArgs>): Promise<CommandResult> {
  const current = await context.api.get<Rule>(rulePath(context, context.args["security_rule_name"]), {
    "api-version": NSG_API_VERSION,
  });
  const { provisioningState: _state, ...properties } = current.properties ?? {};
  const rule = await putRule(context, { ...properties, ...ruleProperties(context, false) });
  return result(`Rule ${context.args["security_rule_name"]}`, [rule], context.args["security_group_name"]);
}
