import {
  type ArgumentDefinition,
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  resourceGroupPath,
  UsageError,
} from "@msint/integration-kit";

/**
 * The Microsoft.SecurityInsights api-version XSOAR's integration sends on every Sentinel call (API_VERSION of
 * demisto/content Packs/AzureSentinel/Integrations/AzureSentinel/AzureSentinel.py).
 */
export const SENTINEL_API_VERSION = "2024-03-01";

/** XSOAR's per-command overrides of the instance's subscription and resource group. */
export const SCOPE_ARGUMENTS: readonly ArgumentDefinition[] = [
  {
    name: "subscription_id",
    description: "The subscription ID, instead of the instance's Subscription ID.",
  },
  {
    name: "resource_group_name",
    description: "The resource group, instead of the instance's Resource Group Name.",
  },
];

/** `{ARM}/subscriptions/…/workspaces/{ws}/providers/Microsoft.SecurityInsights` from the arguments or parameters. */
export function sentinelPath(context: CommandContext): string {
  const group = resourceGroupPath(context, {
    subscription: { key: "subscriptionID", displayName: "Subscription ID" },
    resourceGroup: { key: "resourceGroupName", displayName: "Resource Group Name" },
  });
  const workspace = argumentOrParameter(context, "workspace_name", {
    key: "workspaceName",
    displayName: "Workspace Name",
  });
  return `${group}/providers/Microsoft.OperationalInsights/workspaces/${encodeURIComponent(workspace)}/providers/Microsoft.SecurityInsights`;
}

/** A request to the workspace's Sentinel provider with XSOAR's api-version. */
export function sentinelRequest<T>(
  context: CommandContext,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  options: { body?: unknown; query?: Record<string, string | number | undefined> } = {},
): Promise<T> {
  return context.api.request<T>({
    method,
    path: `${sentinelPath(context)}/${path}`,
    query: { "api-version": SENTINEL_API_VERSION, ...options.query },
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(method === "GET" ? { expect: "object" as const } : {}),
  });
}

/** A page of a Sentinel collection. */
export interface Page<T> {
  value?: T[];
  nextLink?: string;
}

/** A list read: the next link when given (as it came), else the collection with the query. */
export function readPage<T>(
  context: CommandContext,
  path: string,
  query: Record<string, string | number | undefined>,
): Promise<Page<T>> {
  const next = context.args["next_link"];
  if (next) return context.api.get<Page<T>>(next, undefined, { expect: "collection" });
  return context.api.get<Page<T>>(
    `${sentinelPath(context)}/${path}`,
    { "api-version": SENTINEL_API_VERSION, ...query },
    { expect: "collection" },
  );
}

/** XSOAR's `AzureSentinel.NextLink` entry and the line that runs the next page. */
export function nextLinkParts(
  context: CommandContext,
  command: string,
  page: Page<unknown>,
  extraArgs: Record<string, string> = {},
): { readable: string; additionalOutputs?: CommandResult["additionalOutputs"] } {
  if (!page.nextLink) return { readable: "" };
  return {
    readable: `\nMore results: ${context.formatCommand(command, { ...extraArgs, next_link: page.nextLink })}\n`,
    additionalOutputs: {
      "AzureSentinel.NextLink": { Description: "NextLink for listing commands", URL: page.nextLink },
    },
  };
}

/** XSOAR's date form of Sentinel's timestamps: `YYYY-MM-DDTHH:MM:SSZ`. */
export function formatDate(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : `${date.toISOString().slice(0, 19)}Z`;
}

/** A comma-separated argument as a list (empty items dropped). */
export function listArgument(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A whole-number argument, or undefined when not given. */
export function numberArgument(context: CommandContext, name: string): number | undefined {
  const raw = context.args[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`${name} must be a number (got "${raw}").`);
  return value;
}

/** Drops undefined, null, empty-string and empty-list values of an object (one level). */
export function withoutEmpty<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, entry]) =>
        entry !== undefined &&
        entry !== null &&
        entry !== "" &&
        !(Array.isArray(entry) && entry.length === 0),
    ),
  ) as Partial<T>;
}
