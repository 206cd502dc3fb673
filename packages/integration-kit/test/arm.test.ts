// The kit's Resource Manager helpers: the scope arguments several integrations declare, and the shared
// subscription / resource-group list commands. Requests follow the Azure REST reference (search corpus docs,
// "Subscriptions - List": GET https://management.azure.com/subscriptions?api-version=2020-01-01; "Resource
// Groups - List": GET …/subscriptions/{subscriptionId}/resourcegroups?api-version=2021-04-01 with an optional
// `$filter` "tagName eq 'x' and tagValue eq 'y'" and `$top`, following `nextLink`).
import { describe, expect, it } from "vitest";
import {
  armScopeArguments,
  type CommandContext,
  RESOURCE_GROUPS_API_VERSION,
  resourceGroupArgument,
  resourceGroupListCommand,
  resourceGroupTagFilter,
  SUBSCRIPTIONS_API_VERSION,
  subscriptionIdArgument,
  subscriptionsListCommand,
} from "../src/index.js";

type Query = Record<string, string | number | boolean | undefined> | undefined;

/** A command context whose API answers `pages` in turn and records each GET's path and query. */
function context(args: Record<string, string>, params: Record<string, string>, pages: unknown[]) {
  const requested: Array<{ path: string; query: Query }> = [];
  const ctx = {
    args,
    params,
    instance: "test",
    api: {
      baseUrl: "https://management.azure.com",
      request: async () => undefined as never,
      get: async (path: string, query?: Query) => {
        requested.push({ path, query });
        return pages.shift() as never;
      },
      getText: async () => "",
    },
    apiFor: () => {
      throw new Error("no additional resources here");
    },
    formatCommand: (command: string) => `!${command}`,
  } satisfies CommandContext;
  return { ctx, requested };
}

describe("Resource Manager scope arguments", () => {
  it("have the names and wordings the integrations declared, none required", () => {
    expect(armScopeArguments()).toEqual([
      { name: "subscription_id", description: "The subscription ID (default: the instance's)." },
      { name: "resource_group_name", description: "The resource group (default: the instance's)." },
    ]);
    expect(armScopeArguments("override")).toEqual([
      { name: "subscription_id", description: "Another subscription than the instance's." },
      { name: "resource_group_name", description: "Another resource group than the instance's." },
    ]);
    expect(subscriptionIdArgument()).not.toHaveProperty("required");
    expect(resourceGroupArgument({ name: "resource_group" })).toEqual({
      name: "resource_group",
      description: "The resource group (default: the instance's).",
    });
    expect(resourceGroupArgument({ description: "Only clusters of this resource group." }).description).toBe(
      "Only clusters of this resource group.",
    );
  });
});

describe("shared list commands", () => {
  it("subscriptions list: GET /subscriptions on every page, entries as Resource Manager returns them", async () => {
    const { ctx, requested } = context({}, {}, [
      {
        value: [{ subscriptionId: "s-1", displayName: "One", state: "Enabled" }],
        nextLink: "https://management.azure.com/subscriptions?api-version=2020-01-01&$skiptoken=2",
      },
      { value: [{ subscriptionId: "s-2", displayName: "Two", state: "Disabled" }] },
    ]);
    const command = subscriptionsListCommand({
      outputsPrefix: "Example.Subscription",
      title: "Subscriptions",
    });
    const result = await command.run(ctx);
    expect(requested).toEqual([
      { path: "/subscriptions", query: { "api-version": SUBSCRIPTIONS_API_VERSION } },
      {
        path: "https://management.azure.com/subscriptions?api-version=2020-01-01&$skiptoken=2",
        query: undefined,
      },
    ]);
    expect(SUBSCRIPTIONS_API_VERSION).toBe("2020-01-01");
    expect(result.outputsPrefix).toBe("Example.Subscription");
    expect(result.outputs).toEqual([
      { subscriptionId: "s-1", displayName: "One", state: "Enabled" },
      { subscriptionId: "s-2", displayName: "Two", state: "Disabled" },
    ]);
    expect(result.readable).toBe(
      "### Subscriptions\n|Subscription ID|Subscription Name|State|\n|---|---|---|\n|s-1|One|Enabled|\n|s-2|Two|Disabled|\n",
    );
    expect(command.outputs.map((output) => output.path)).toEqual([
      "Example.Subscription.subscriptionId",
      "Example.Subscription.displayName",
      "Example.Subscription.state",
    ]);
  });

  it("resource group list: the argument's subscription, else the instance's; a tag filter; the limit", async () => {
    const { ctx, requested } = context(
      { tag: '{"Environment":"prod"}', limit: "1" },
      { subscription_id: "sub 1" },
      [
        {
          value: [{ name: "rg-1", location: "eastus", tags: { Environment: "prod" } }],
          nextLink: "https://management.azure.com/next",
        },
      ],
    );
    const command = resourceGroupListCommand({ outputsPrefix: "Example.ResourceGroup", title: "Groups" });
    const result = await command.run(ctx);
    expect(requested).toEqual([
      {
        path: "/subscriptions/sub%201/resourcegroups",
        query: {
          "api-version": RESOURCE_GROUPS_API_VERSION,
          $filter: "tagName eq 'Environment' and tagValue eq 'prod'",
        },
      },
    ]);
    expect(RESOURCE_GROUPS_API_VERSION).toBe("2021-04-01");
    expect(result.outputs).toEqual([{ name: "rg-1", location: "eastus", tags: { Environment: "prod" } }]);
    expect(command.arguments.map((argument) => argument.name)).toEqual(["subscription_id", "tag", "limit"]);

    const other = context({ subscription_id: "sub-2", limit: "50" }, { subscription_id: "sub 1" }, [
      { value: [] },
    ]);
    await command.run(other.ctx);
    expect(other.requested[0]?.path).toBe("/subscriptions/sub-2/resourcegroups");
    expect(other.requested[0]?.query?.["$filter"]).toBeUndefined();
  });

  it("refuses a tag that is not a one-key JSON object, and a missing subscription, before any request", async () => {
    for (const tag of ["Environment=prod", "{}", "null", "[]", '"prod"']) {
      expect(() => resourceGroupTagFilter(tag)).toThrow(
        'tag must be a JSON object with one key, e.g. {"Environment":"prod"}.',
      );
    }
    expect(resourceGroupTagFilter(undefined)).toBeUndefined();
    const { ctx, requested } = context({ limit: "50" }, {}, []);
    const command = resourceGroupListCommand({ outputsPrefix: "Example.ResourceGroup", title: "Groups" });
    await expect(command.run(ctx)).rejects.toThrow(
      "Default Subscription ID is not set: add subscription_id=<value> to the command or set the instance parameter subscription_id.",
    );
    expect(requested).toEqual([]);
  });
});
