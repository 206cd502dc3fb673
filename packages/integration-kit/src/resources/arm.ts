import type { CloudEndpoints } from "@msint/auth-core";
import type { CommandContext, ResourceDefinition } from "../manifest.js";
import { type ParameterDefinition, validators } from "../parameters.js";
import { argumentOrParameter, type NamedParameter, type ScopeOptions } from "./common.js";

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
export function subscriptionPath(context: CommandContext, subscription = DEFAULT_SUBSCRIPTION): string {
  return `/subscriptions/${encodeURIComponent(argumentOrParameter(context, "subscription_id", subscription))}`;
}

/**
 * `/subscriptions/{id}/resourceGroups/{name}`: the subscription as {@link subscriptionPath} finds it, then the
 * resource group from its argument (`resource_group_name` unless named otherwise), else the instance's parameter.
 */
export function resourceGroupPath(
  context: CommandContext,
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
  };
}
