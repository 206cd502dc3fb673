import type { CloudEndpoints } from "@msint/auth-core";
import { UsageError } from "../args.js";
import type { CommandContext, CommandDefinition, ResourceDefinition } from "../manifest.js";
import { type ParameterDefinition, validators } from "../parameters.js";
import { type CommandResult, tableToMarkdown } from "../results.js";
import {
  type ArgsContext,
  argumentOrParameter,
  collectPages,
  limitArgument,
  type NamedParameter,
  type ScopeOptions,
} from "./common.js";

// ---------------------------------------------------------------------------------------------------------------
// Parameters Azure integrations share. The help texts follow the seed document's "How to find Azure Integrations
// Parameters": both values are on the Overview tab of the resource in the Azure Portal.

const PORTAL_OVERVIEW =
  "In the Azure Portal (https://portal.azure.com), search for your Azure product (for example SQL servers), open your resource, and find it on the Overview tab.";

/** The Azure subscription of the integration's resources; `key` and display name differ between integrations. */
export function subscriptionIdParameter(
  key = "subscription_id",
  displayName = "Default Subscription ID",
): ParameterDefinition {
  return {
    key,
    displayName,
    type: "string",
    help: `The ID of the Azure subscription that holds your resources (a GUID). ${PORTAL_OVERVIEW} Commands may override it with their subscription_id argument.`,
    validate: validators.guid,
  };
}

/** The resource group of the integration's resources. */
export function resourceGroupParameter(
  key = "resource_group_name",
  displayName = "Default Resource Group Name",
): ParameterDefinition {
  return {
    key,
    displayName,
    type: "string",
    help: `The name of the resource group that holds your resources. ${PORTAL_OVERVIEW} Commands may override it with their resource_group_name argument.`,
    validate: validators.noStraySpace,
  };
}

/** The name of a Log Analytics workspace (Microsoft Sentinel's workspace). */
export function workspaceNameParameter(
  key = "workspaceName",
  displayName = "Workspace Name",
): ParameterDefinition {
  return {
    key,
    displayName,
    type: "string",
    help: "The name of the Log Analytics workspace (for Microsoft Sentinel: the workspace Sentinel runs on). Azure Portal > Log Analytics workspaces: the Name column; its Overview tab shows the Resource group and Subscription ID too.",
    validate: validators.noStraySpace,
  };
}

const DEFAULT_SUBSCRIPTION: NamedParameter = {
  key: "subscription_id",
  displayName: "Default Subscription ID",
};
const DEFAULT_RESOURCE_GROUP: NamedParameter = {
  key: "resource_group_name",
  displayName: "Default Resource Group Name",
};

/** `/subscriptions/{id}`: the `subscription_id` argument, else the instance's subscription parameter. */
export function subscriptionPath(context: ArgsContext, subscription = DEFAULT_SUBSCRIPTION): string {
  return `/subscriptions/${encodeURIComponent(argumentOrParameter(context, "subscription_id", subscription))}`;
}

/**
 * `/subscriptions/{id}/resourceGroups/{name}`: the subscription as {@link subscriptionPath} finds it, then the
 * resource group from its argument (`resource_group_name` unless named otherwise), else the instance's parameter.
 */
export function resourceGroupPath(
  context: ArgsContext,
  names: {
    subscription?: NamedParameter;
    resourceGroup?: NamedParameter;
    resourceGroupArgument?: string;
  } = {},
): string {
  const subscription = subscriptionPath(context, names.subscription);
  const group = argumentOrParameter(
    context,
    names.resourceGroupArgument ?? "resource_group_name",
    names.resourceGroup ?? DEFAULT_RESOURCE_GROUP,
  );
  return `${subscription}/resourceGroups/${encodeURIComponent(group)}`;
}

/**
 * Parameter "Resource Manager URL": with Azure Cloud = Custom, the Azure Resource Manager endpoint of an
 * integration whose main API is another one (Key Vault, Log Analytics manage their vaults and workspaces there).
 */
export const RESOURCE_MANAGER_URL_PARAMETER: ParameterDefinition = {
  key: "resource_manager_url",
  displayName: "Resource Manager URL",
  type: "url",
  help: "With Azure Cloud = Custom: the Azure Resource Manager endpoint of your cloud (e.g. https://management.azure.com on Worldwide), for the commands that manage vaults or workspaces. Not used with a named Azure Cloud.",
  validate: validators.endpointUrl,
};

/** Azure Resource Manager in the instance's cloud. */
export function azureResourceManager(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "arm",
    displayName: "Azure Resource Manager",
    endpoint: (cloud: CloudEndpoints) => cloud.arm,
    cloudKey: "arm",
    customEndpoint: RESOURCE_MANAGER_URL_PARAMETER,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["user_impersonation"],
    // `-test`'s default read: the subscriptions the identity can see (Subscriptions - List, api-version
    // 2022-12-01, learn.microsoft.com/rest/api/resources/subscriptions/list). Resource Manager authorizes with
    // Azure RBAC: nothing in the token to compare.
    probe: {
      request: () => ({ path: "/subscriptions", query: { "api-version": "2022-12-01" } }),
      permissions: { rbac: ["Reader"] },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The scope arguments of Resource Manager commands. Neither is required: left out, the command uses the
// instance's parameter ({@link subscriptionPath}, {@link resourceGroupPath}), and says which to set when both
// are empty.

/** How a scope argument's description words its default: "(default: the instance's)" or "Another … than". */
export type ScopeWording = "default" | "override";

/** Argument `subscription_id`: another subscription than the instance's. */
export function subscriptionIdArgument(wording: ScopeWording = "default") {
  return {
    name: "subscription_id",
    description:
      wording === "default"
        ? "The subscription ID (default: the instance's)."
        : "Another subscription than the instance's.",
  } as const;
}

/**
 * Argument `resource_group_name` (or another `name`): another resource group than the instance's. `description`
 * replaces the wording where the argument narrows a list ("Only clusters of this resource group.").
 */
export function resourceGroupArgument<const N extends string = "resource_group_name">(
  options: { name?: N; wording?: ScopeWording; description?: string } = {},
): { readonly name: N; readonly description: string } {
  const description =
    options.description ??
    (options.wording === "override"
      ? "Another resource group than the instance's."
      : "The resource group (default: the instance's).");
  return { name: options.name ?? ("resource_group_name" as N), description };
}

/** The scope arguments of a command on one resource group: `subscription_id`, then `resource_group_name`. */
export function armScopeArguments(wording: ScopeWording = "default") {
  return [subscriptionIdArgument(wording), resourceGroupArgument({ wording })] as const;
}

// ---------------------------------------------------------------------------------------------------------------
// The subscription and resource-group lists that Resource Manager integrations offer.

/** The `api-version` of `GET /subscriptions` (Subscriptions - List). */
export const SUBSCRIPTIONS_API_VERSION = "2020-01-01";

/** The `api-version` of `GET /subscriptions/{id}/resourcegroups` (Resource Groups - List). */
export const RESOURCE_GROUPS_API_VERSION = "2021-04-01";

/** `/subscriptions/{id}/resourcegroups` of the command's subscription ({@link subscriptionPath}). */
export function resourceGroupsPath(context: ArgsContext): string {
  return `${subscriptionPath(context)}/resourcegroups`;
}

/** A Resource Groups - List `$filter` from a `{"key":"value"}` tag argument; undefined without one. */
export function resourceGroupTagFilter(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const usage = 'tag must be a JSON object with one key, e.g. {"Environment":"prod"}.';
  let parsed: unknown;
  try {
    parsed = JSON.parse(tag);
  } catch {
    throw new UsageError(usage);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError(usage);
  const [entry] = Object.entries(parsed);
  if (!entry) throw new UsageError(usage);
  return `tagName eq '${entry[0]}' and tagValue eq '${entry[1]}'`;
}

/** Where a list command puts its entries: the context prefix and the table's title. */
export interface ListLayout {
  /** E.g. `AzureKS.Subscription`. */
  outputsPrefix: string;
  /** The markdown table's title. */
  title: string;
}

/**
 * `<prefix>-subscriptions-list`: the subscriptions the identity can see (GET /subscriptions, every page), as
 * Resource Manager returns them (`subscriptionId`, `displayName`, `state`) under `layout.outputsPrefix`.
 */
export function subscriptionsListCommand(layout: ListLayout) {
  const field = (name: string, description: string) =>
    ({ path: `${layout.outputsPrefix}.${name}`, type: "string", description }) as const;
  return {
    description: "Lists the subscriptions the identity can see.",
    outputs: [
      field("subscriptionId", "The subscription ID."),
      field("displayName", "The subscription's name."),
      field("state", "Enabled, Disabled, Warned …"),
    ],
    run: async (context: CommandContext): Promise<CommandResult> => {
      const { items } = await collectPages<{ subscriptionId?: string; displayName?: string; state?: string }>(
        context.api,
        "/subscriptions",
        { "api-version": SUBSCRIPTIONS_API_VERSION },
      );
      const rows = items.map((subscription) => ({
        "Subscription ID": subscription.subscriptionId,
        "Subscription Name": subscription.displayName,
        State: subscription.state,
      }));
      return {
        readable: tableToMarkdown(layout.title, rows),
        outputsPrefix: layout.outputsPrefix,
        outputsKeyField: "subscriptionId",
        outputs: items,
        raw: items,
      };
    },
  } satisfies CommandDefinition;
}

/**
 * `<prefix>-resource-group-list`: the resource groups of the subscription (argument `subscription_id`, else the
 * instance's), optionally those with one tag, up to `limit` (1-1000), as Resource Manager returns them (`name`,
 * `location`, `tags`) under `layout.outputsPrefix`.
 */
export function resourceGroupListCommand(layout: ListLayout) {
  return {
    description: "Lists the resource groups of the subscription.",
    arguments: [
      subscriptionIdArgument(),
      { name: "tag", description: 'Only groups with this tag, as {"key":"value"}.' },
      { name: "limit", description: "The most entries to return (1-1000).", defaultValue: "50" },
    ],
    outputs: [
      { path: `${layout.outputsPrefix}.name`, type: "string", description: "The resource group's name." },
      {
        path: `${layout.outputsPrefix}.location`,
        type: "string",
        description: "The resource group's region.",
      },
      { path: `${layout.outputsPrefix}.tags`, type: "unknown", description: "The resource group's tags." },
    ],
    run: async (context: CommandContext): Promise<CommandResult> => {
      const { items } = await collectPages<{
        name?: string;
        location?: string;
        tags?: Record<string, string>;
      }>(
        context.api,
        resourceGroupsPath(context),
        { "api-version": RESOURCE_GROUPS_API_VERSION, $filter: resourceGroupTagFilter(context.args["tag"]) },
        limitArgument(context, 1000),
      );
      const rows = items.map((group) => ({ Name: group.name, Location: group.location, Tags: group.tags }));
      return {
        readable: tableToMarkdown(layout.title, rows),
        outputsPrefix: layout.outputsPrefix,
        outputsKeyField: "name",
        outputs: items,
        raw: items,
      };
    },
  } as const satisfies CommandDefinition;
}
