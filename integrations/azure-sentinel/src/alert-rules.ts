import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  subscriptionPath,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";
import { listArgument, type Page, sentinelRequest, withoutEmpty } from "./client.js";

// Analytics (alert) rules and rule templates (learn.microsoft.com/rest/api/securityinsights: Alert Rules -
// List/Get/Create Or Update/Delete, Alert Rule Templates - List/Get), and the Resource Manager lists XSOAR offers
// beside them (learn.microsoft.com/rest/api/resources/subscriptions/list, …/resource-groups/list).

interface Rule {
  id?: string;
  name?: string;
  etag?: string;
  kind?: string;
  properties?: Record<string, unknown>;
}

/** Rules or templates: one by ID, else the list's pages until `limit`. */
async function readRules(
  context: CommandContext,
  collection: string,
  id: string | undefined,
): Promise<Rule[]> {
  const limit = limitArgument(context, 1000);
  if (id) return [await sentinelRequest<Rule>(context, "GET", `${collection}/${encodeURIComponent(id)}`)];
  const rules: Rule[] = [];
  let page = await sentinelRequest<Page<Rule>>(context, "GET", collection);
  rules.push(...(page.value ?? []));
  while (page.nextLink && rules.length < limit) {
    page = await context.api.get<Page<Rule>>(page.nextLink, undefined, { expect: "collection" });
    rules.push(...(page.value ?? []));
  }
  return rules.slice(0, limit);
}

const row = (rule: Rule) => ({
  ID: rule.name,
  Kind: rule.kind,
  Severity: rule.properties?.["severity"],
  "Display Name": rule.properties?.["displayName"],
  Description: rule.properties?.["description"],
  Enabled: rule.properties?.["enabled"],
});

/** `azure-sentinel-list-alert-rule`: GET …/alertRules[/{id}]; the rules as the API returns them. */
export async function listAlertRules(context: CommandContext): Promise<CommandResult> {
  const rules = await readRules(context, "alertRules", context.args["rule_id"]);
  return {
    readable: tableToMarkdown(`Azure Sentinel Alert Rules (${rules.length} results)`, rules.map(row)),
    outputsPrefix: "AzureSentinel.AlertRule",
    outputsKeyField: "name",
    outputs: rules,
    raw: rules,
  };
}

/** `azure-sentinel-list-alert-rule-template`: GET …/alertRuleTemplates[/{id}]. */
export async function listAlertRuleTemplates(context: CommandContext): Promise<CommandResult> {
  const templates = await readRules(context, "alertRuleTemplates", context.args["template_id"]);
  const rows = templates.map((template) => ({
    ...row(template),
    Status: template.properties?.["status"],
    "Created Date UTC": template.properties?.["createdDateUTC"],
    "Last Updated Date UTC": template.properties?.["lastUpdatedDateUTC"],
    "Alert Rules Created By Template Count": template.properties?.["alertRulesCreatedByTemplateCount"],
  }));
  return {
    readable: tableToMarkdown(`Azure Sentinel Alert Rule Template (${templates.length} results)`, rows),
    outputsPrefix: "AzureSentinel.AlertRuleTemplate",
    outputsKeyField: "name",
    outputs: templates,
    raw: templates,
  };
}

/** `azure-sentinel-delete-alert-rule`: DELETE …/alertRules/{id}. */
export async function deleteAlertRule(context: CommandContext): Promise<CommandResult> {
  const id = context.args["rule_id"] ?? "";
  await sentinelRequest(context, "DELETE", `alertRules/${encodeURIComponent(id)}`);
  return {
    readable: `Alert rule ${id} was deleted successfully.`,
    outputsPrefix: "AzureSentinel.AlertRule",
    outputsKeyField: "ID",
    outputs: { ID: id, Deleted: true },
  };
}

/** The arguments each kind needs (XSOAR checks them before sending). */
const REQUIRED_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  fusion: ["rule_name", "template_name", "enabled"],
  microsoft_security_incident_creation: ["rule_name", "displayName", "enabled", "product_filter"],
  scheduled: [
    "rule_name",
    "displayName",
    "enabled",
    "query",
    "query_frequency",
    "query_period",
    "severity",
    "suppression_duration",
    "suppression_enabled",
    "trigger_operator",
    "trigger_threshold",
  ],
};

/** `snake_case` → `PascalCase` (kind, trigger operator), `snake_case` → `Title Case` (product filter). */
const pascal = (value: string) =>
  value
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
const titled = (value: string) =>
  value
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
const yes = (value: string | undefined) =>
  value === undefined || value === "" ? undefined : value === "yes" || value === "true";

/** The Alert Rules - Create Or Update body from the arguments (or rule_json as it is). */
export function alertRuleBody(context: CommandContext): Record<string, unknown> {
  const args = context.args;
  if (args["rule_json"]) {
    try {
      return JSON.parse(args["rule_json"]) as Record<string, unknown>;
    } catch {
      throw new UsageError("rule_json must be the JSON of an alert rule (kind, etag, properties).");
    }
  }
  const kind = args["kind"];
  if (!kind) throw new UsageError('The "kind" argument is required for alert rule.');
  for (const name of REQUIRED_BY_KIND[kind] ?? []) {
    if (!args[name]) throw new UsageError(`"${name}" is required for "${kind}" alert rule.`);
  }
  const threshold = args["trigger_threshold"];
  const properties = withoutEmpty({
    alertRuleTemplateName: args["template_name"],
    enabled: yes(args["enabled"]),
    displayName: args["displayName"],
    productFilter: args["product_filter"] ? titled(args["product_filter"]) : undefined,
    description: args["description"],
    displayNamesExcludeFilter: args["name_exclude_filter"]
      ? listArgument(args["name_exclude_filter"])
      : undefined,
    displayNamesFilter: args["name_include_filter"] ? listArgument(args["name_include_filter"]) : undefined,
    severitiesFilter: args["severity_filter"] ? listArgument(args["severity_filter"]) : undefined,
    query: args["query"],
    queryFrequency: args["query_frequency"],
    queryPeriod: args["query_period"],
    severity: args["severity"] ? titled(args["severity"]) : undefined,
    suppressionDuration: args["suppression_duration"],
    suppressionEnabled: yes(args["suppression_enabled"]),
    triggerOperator: args["trigger_operator"] ? pascal(args["trigger_operator"]) : undefined,
    triggerThreshold: threshold ? Number(threshold) : undefined,
    tactics: args["tactics"] ? listArgument(args["tactics"]) : undefined,
    techniques: args["techniques"] ? listArgument(args["techniques"]) : undefined,
  });
  return withoutEmpty({ kind: pascal(kind), etag: args["etag"], properties });
}

/** `azure-sentinel-create-alert-rule` and `-update-alert-rule`: PUT …/alertRules/{rule_name}. */
export async function putAlertRule(context: CommandContext): Promise<CommandResult> {
  const body = alertRuleBody(context);
  const rule = await sentinelRequest<Rule>(
    context,
    "PUT",
    `alertRules/${encodeURIComponent(context.args["rule_name"] ?? "")}`,
    { body },
  );
  return {
    readable: tableToMarkdown("Azure Sentinel Alert Rule successfully created/updated", [
      { ...row(rule), Etag: rule.etag },
    ]),
    outputsPrefix: "AzureSentinel.AlertRule",
    outputsKeyField: "name",
    outputs: rule,
    raw: rule,
  };
}

/** `azure-sentinel-subscriptions-list`: GET /subscriptions (api-version 2020-01-01, as XSOAR sends). */
export async function listSubscriptions(context: CommandContext): Promise<CommandResult> {
  const page = await context.api.get<Page<Record<string, unknown>>>(
    "/subscriptions",
    { "api-version": "2020-01-01" },
    { expect: "collection" },
  );
  const subscriptions = page.value ?? [];
  return {
    readable: tableToMarkdown("Azure Sentinel Subscriptions", subscriptions, [
      "subscriptionId",
      "tenantId",
      "displayName",
      "state",
    ]),
    outputsPrefix: "AzureSentinel.Subscription",
    outputsKeyField: "subscriptionId",
    outputs: subscriptions,
    raw: page,
  };
}

/** `azure-sentinel-resource-group-list`: GET /subscriptions/{id}/resourcegroups (api-version 2021-04-01). */
export async function listResourceGroups(context: CommandContext): Promise<CommandResult> {
  const tag = context.args["tag"];
  let filter: string | undefined;
  if (tag) {
    let parsed: Record<string, string>;
    try {
      parsed = JSON.parse(tag) as Record<string, string>;
    } catch {
      throw new UsageError('tag must be JSON, e.g. {"environment": "production"}.');
    }
    const [name, value] = Object.entries(parsed)[0] ?? [];
    filter = `tagName eq '${name}' and tagValue eq '${value}'`;
  }
  const path = subscriptionPath(context, { key: "subscriptionID", displayName: "Subscription ID" });
  const page = await context.api.get<Page<Record<string, unknown>>>(
    `${path}/resourcegroups`,
    { "api-version": "2021-04-01", $filter: filter, $top: limitArgument(context, 1000) },
    { expect: "collection" },
  );
  const groups = page.value ?? [];
  return {
    readable: tableToMarkdown(
      "Azure Sentinel Resource Groups",
      groups.map((group) => ({
        Name: group["name"],
        Location: group["location"],
        Tags: group["tags"],
        "Provisioning State": (group["properties"] as Record<string, unknown> | undefined)?.[
          "provisioningState"
        ],
      })),
    ),
    outputsPrefix: "AzureSentinel.ResourceGroup",
    outputsKeyField: "name",
    outputs: groups,
    raw: page,
  };
}
