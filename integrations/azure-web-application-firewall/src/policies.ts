import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  subscriptionPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The API versions of the XSOAR integration: Application Gateway WAF policies and Front Door WAF policies. */
export const WAF_API_VERSION = "2020-05-01";
export const FRONT_DOOR_API_VERSION = "2020-11-01";

interface Policy {
  id?: string;
  name?: string;
  location?: string;
  properties?: {
    policySettings?: { mode?: string; state?: string; enabledState?: string };
    customRules?: unknown[] | { rules?: unknown[] };
    provisioningState?: string;
    resourceState?: string;
  };
}

function groupPath(context: CommandContext): string {
  const group = argumentOrParameter(context, "resource_group_name", {
    key: "resource_group_name",
    displayName: "Default Resource Group Name",
  });
  return `${subscriptionPath(context)}/resourceGroups/${encodeURIComponent(group)}`;
}

const APP_GATEWAY_POLICIES = "providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies";

function rows(policies: Policy[], verbose = false) {
  return policies.map((policy) => {
    const rules = policy.properties?.customRules;
    const details = verbose
      ? {
          customRules: rules,
          managedRules: (policy.properties as Record<string, unknown> | undefined)?.["managedRules"],
        }
      : {};
    return {
      name: policy.name,
      location: policy.location,
      mode: policy.properties?.policySettings?.mode,
      state: policy.properties?.policySettings?.state ?? policy.properties?.policySettings?.enabledState,
      customRules: Array.isArray(rules) ? rules.length : (rules?.rules?.length ?? 0),
      provisioningState: policy.properties?.provisioningState,
      ...details,
    };
  });
}

/** `azure-waf-policies-get`: GET …/resourceGroups/{rg}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies[/{name}]. */
export async function getPolicies(context: CommandContext): Promise<CommandResult> {
  const base = `${groupPath(context)}/${APP_GATEWAY_POLICIES}`;
  const name = context.args["policy_name"];
  const policies = name
    ? [
        await context.api.get<Policy>(`${base}/${encodeURIComponent(name)}`, {
          "api-version": WAF_API_VERSION,
        }),
      ]
    : (
        await collectPages<Policy>(
          context.api,
          base,
          { "api-version": WAF_API_VERSION },
          limitArgument(context, 1000),
        )
      ).items;
  return {
    readable: tableToMarkdown("Policies", rows(policies, context.args["verbose"] === "true")),
    outputsPrefix: "AzureWAF.Policy",
    outputsKeyField: "id",
    outputs: policies,
    raw: policies,
  };
}

/** `azure-waf-policies-list-all-in-subscription`: GET /subscriptions/{id}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies. */
export async function listPoliciesInSubscription(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<Policy>(
    context.api,
    `${subscriptionPath(context)}/${APP_GATEWAY_POLICIES}`,
    { "api-version": WAF_API_VERSION },
    limitArgument(context, 1000),
  );
  return {
    readable: tableToMarkdown("Policies", rows(items, context.args["verbose"] === "true")),
    outputsPrefix: "AzureWAF.Policy",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}

/** `azure-waf-policy-delete`: DELETE …/ApplicationGatewayWebApplicationFirewallPolicies/{name}. */
export async function deletePolicy(context: CommandContext<{ policy_name: string }>): Promise<CommandResult> {
  const name = context.args["policy_name"];
  await context.api.request({
    method: "DELETE",
    path: `${groupPath(context)}/${APP_GATEWAY_POLICIES}/${encodeURIComponent(name)}`,
    query: { "api-version": WAF_API_VERSION },
  });
  return { readable: `Policy ${name} was deleted successfully.` };
}

/** `azure-waf-front-door-policies-list`: GET …/providers/Microsoft.Network/FrontDoorWebApplicationFirewallPolicies. */
export async function listFrontDoorPolicies(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<Policy>(
    context.api,
    `${groupPath(context)}/providers/Microsoft.Network/FrontDoorWebApplicationFirewallPolicies`,
    { "api-version": FRONT_DOOR_API_VERSION },
    limitArgument(context, 1000),
  );
  return {
    readable: tableToMarkdown("Front Door Policies", rows(items)),
    outputsPrefix: "AzureWAF.FrontDoorPolicy",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}
