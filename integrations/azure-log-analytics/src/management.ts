import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  RESOURCE_GROUPS_API_VERSION,
  resourceGroupPath,
  resourceGroupTagFilter,
  SUBSCRIPTIONS_API_VERSION,
  subscriptionPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** api-version of Microsoft.OperationalInsights workspaces and saved searches, as the XSOAR integration uses. */
const WORKSPACES_API_VERSION = "2022-10-01";
const SAVED_SEARCHES_API_VERSION = "2020-08-01";

function groupPath(context: CommandContext): string {
  return resourceGroupPath(context, {
    subscription: { key: "subscriptionID", displayName: "Subscription ID" },
    resourceGroup: { key: "resourceGroupName", displayName: "Resource Group Name" },
  });
}

interface Workspace {
  id?: string;
  name?: string;
  location?: string;
  properties?: {
    customerId?: string;
    provisioningState?: string;
    retentionInDays?: number;
    sku?: { name?: string };
  };
}

/** `azure-log-analytics-workspace-list`: the resource group's workspaces, through Azure Resource Manager. */
export async function listWorkspaces(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<Workspace>(
    context.apiFor("arm"),
    `${groupPath(context)}/providers/Microsoft.OperationalInsights/workspaces`,
    { "api-version": WORKSPACES_API_VERSION },
    limitArgument(context, 500),
  );
  const workspaces = items.map((workspace) => ({
    id: workspace.id,
    name: workspace.name,
    location: workspace.location,
    customerId: workspace.properties?.customerId,
    provisioningState: workspace.properties?.provisioningState,
    retentionInDays: workspace.properties?.retentionInDays,
    sku: workspace.properties?.sku?.name,
  }));
  const rows = workspaces.map((workspace) => ({
    Name: workspace.name,
    "Workspace ID": workspace.customerId,
    Location: workspace.location,
    "Retention (days)": workspace.retentionInDays,
    State: workspace.provisioningState,
  }));
  return {
    readable: tableToMarkdown("Log Analytics workspaces", rows, [
      "Name",
      "Workspace ID",
      "Location",
      "Retention (days)",
      "State",
    ]),
    outputsPrefix: "AzureLogAnalytics.Workspace",
    outputsKeyField: "id",
    outputs: workspaces,
    raw: items,
  };
}

/**
 * `azure-log-analytics-test`'s read of Resource Manager: the workspace itself (Workspaces - Get), when the
 * instance names it; otherwise the kit's probe lists the subscriptions.
 */
export async function testWorkspace(context: CommandContext): Promise<void> {
  const { params } = context;
  if (!params["subscriptionID"] || !params["resourceGroupName"] || !params["workspaceName"]) return;
  const workspace = encodeURIComponent(String(params["workspaceName"]).trim());
  await context
    .apiFor("arm")
    .get(`${groupPath(context)}/providers/Microsoft.OperationalInsights/workspaces/${workspace}`, {
      "api-version": WORKSPACES_API_VERSION,
    });
}

interface SavedSearch {
  id?: string;
  etag?: string;
  properties?: {
    category?: string;
    displayName?: string;
    functionAlias?: string;
    functionParameters?: string;
    query?: string;
    tags?: Array<{ name?: string; value?: string }>;
    version?: number;
  };
}

/** `azure-log-analytics-list-saved-searches`: the workspace's saved searches, through Azure Resource Manager. */
export async function listSavedSearches(context: CommandContext): Promise<CommandResult> {
  const workspace = argumentOrParameter(context, "workspace_name", {
    key: "workspaceName",
    displayName: "Workspace Name",
  });
  const limit = limitArgument(context, 500);
  // XSOAR's page counts from 0, in pages of limit saved searches.
  const page = Math.max(Number.parseInt(context.args["page"] ?? "0", 10) || 0, 0);
  const response = await context
    .apiFor("arm")
    .get<{ value?: SavedSearch[] }>(
      `${groupPath(context)}/providers/Microsoft.OperationalInsights/workspaces/${encodeURIComponent(workspace)}/savedSearches`,
      { "api-version": SAVED_SEARCHES_API_VERSION },
      { expect: "collection" },
    );
  const searches = (response?.value ?? []).slice(page * limit, (page + 1) * limit).map((search) => ({
    id: search.id?.split("/").at(-1),
    etag: search.etag,
    category: search.properties?.category,
    displayName: search.properties?.displayName,
    functionAlias: search.properties?.functionAlias,
    functionParameters: search.properties?.functionParameters,
    query: search.properties?.query,
    tags: search.properties?.tags,
    version: search.properties?.version,
  }));
  const rows = searches.map((search) => ({
    ID: search.id,
    Category: search.category,
    "Display Name": search.displayName,
    Query: search.query,
  }));
  return {
    readable: tableToMarkdown(`Saved searches of ${workspace}`, rows, [
      "ID",
      "Category",
      "Display Name",
      "Query",
    ]),
    outputsPrefix: "AzureLogAnalytics.SavedSearch",
    outputsKeyField: "id",
    outputs: searches,
    raw: response,
  };
}

/** `azure-log-analytics-subscriptions-list`: GET /subscriptions, through Azure Resource Manager. */
export async function listSubscriptions(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{ subscriptionId?: string; displayName?: string; state?: string }>(
    context.apiFor("arm"),
    "/subscriptions",
    { "api-version": SUBSCRIPTIONS_API_VERSION },
  );
  const rows = items.map((subscription) => ({
    "Subscription ID": subscription.subscriptionId,
    "Subscription Name": subscription.displayName,
    State: subscription.state,
  }));
  return {
    readable: tableToMarkdown("Azure Log Analytics Subscriptions list", rows),
    outputsPrefix: "AzureLogAnalytics.Subscription",
    outputsKeyField: "subscriptionId",
    outputs: items,
    raw: items,
  };
}

/** `azure-log-analytics-resource-group-list`: GET /subscriptions/{id}/resourcegroups, through Azure Resource Manager. */
export async function listResourceGroups(context: CommandContext): Promise<CommandResult> {
  const subscription = subscriptionPath(context, { key: "subscriptionID", displayName: "Subscription ID" });
  const { items } = await collectPages<{ name?: string; location?: string; tags?: Record<string, string> }>(
    context.apiFor("arm"),
    `${subscription}/resourcegroups`,
    { "api-version": RESOURCE_GROUPS_API_VERSION, $filter: resourceGroupTagFilter(context.args["tag"]) },
    limitArgument(context, 1000),
  );
  const rows = items.map((group) => ({ Name: group.name, Location: group.location, Tags: group.tags }));
  return {
    readable: tableToMarkdown("Resource Groups List", rows),
    outputsPrefix: "AzureLogAnalytics.ResourceGroup",
    outputsKeyField: "name",
    outputs: items,
    raw: items,
  };
}
