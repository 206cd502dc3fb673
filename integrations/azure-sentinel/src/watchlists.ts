import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { formatDate, listArgument, numberArgument, sentinelRequest, withoutEmpty } from "./client.js";

// Watchlists and their items (learn.microsoft.com/rest/api/securityinsights: Watchlists - List/Get/Create Or
// Update/Delete, Watchlist Items - List/Get/Create Or Update/Delete), as XSOAR's integration calls them.

interface Watchlist {
  name?: string;
  properties?: Record<string, unknown> & { createdBy?: { name?: string }; updatedBy?: { name?: string } };
}

/** A watchlist as XSOAR writes it under `AzureSentinel.Watchlist`. */
function toContextWatchlist(watchlist: Watchlist): Record<string, unknown> {
  const p = watchlist.properties ?? {};
  return withoutEmpty({
    Name: watchlist.name,
    ID: p["watchlistId"],
    DisplayName: p["displayName"],
    Description: p["description"],
    Provider: p["provider"],
    Source: p["source"],
    Created: formatDate(p["created"]),
    Updated: formatDate(p["updated"]),
    CreatedBy: p.createdBy?.name,
    UpdatedBy: p.updatedBy?.name,
    Alias: p["watchlistAlias"],
    Label: p["labels"],
    ItemsSearchKey: p["itemsSearchKey"],
  });
}

const HEADERS = ["Name", "ID", "Description"];
const alias = (context: CommandContext) => encodeURIComponent(context.args["watchlist_alias"] ?? "");

/** `azure-sentinel-list-watchlists`: GET …/watchlists, or …/watchlists/{alias} with watchlist_alias. */
export async function listWatchlists(context: CommandContext): Promise<CommandResult> {
  const one = context.args["watchlist_alias"];
  const result = await sentinelRequest<Watchlist & { value?: Watchlist[] }>(
    context,
    "GET",
    one ? `watchlists/${alias(context)}` : "watchlists",
  );
  const watchlists = (one ? [result] : (result.value ?? [])).map(toContextWatchlist);
  return {
    readable: tableToMarkdown("Watchlists results", watchlists, [...HEADERS, "DisplayName", "Alias"]),
    outputsPrefix: "AzureSentinel.Watchlist",
    outputsKeyField: "ID",
    outputs: watchlists,
    raw: result,
  };
}

/** `azure-sentinel-delete-watchlist`: DELETE …/watchlists/{alias}. */
export async function deleteWatchlist(context: CommandContext): Promise<CommandResult> {
  await sentinelRequest(context, "DELETE", `watchlists/${alias(context)}`);
  return { readable: `Watchlist ${context.args["watchlist_alias"]} was deleted successfully.` };
}

/**
 * The Watchlists - Create Or Update body as XSOAR builds it: watchlist_display_name → displayName, provider
 * (default XSOAR) → provider, labels → labels, lines_to_skip → numberOfLinesToSkip, the file's text → rawContent,
 * items_search_key → itemsSearchKey, content_type (default Text/Csv) → contentType, source always "Local file".
 */
export async function watchlistBody(context: CommandContext): Promise<Record<string, unknown>> {
  const file = context.args["file_entry_id"];
  let rawContent = "";
  if (file) {
    try {
      rawContent = await readFile(file, "utf8");
    } catch (error) {
      throw new UsageError(`file_entry_id: cannot read ${file} (${(error as Error).message}).`);
    }
  }
  return {
    properties: {
      watchlistAlias: context.args["watchlist_alias"],
      displayName: context.args["watchlist_display_name"],
      description: context.args["description"] ?? "",
      provider: context.args["provider"] || "XSOAR",
      source: "Local file",
      labels: listArgument(context.args["labels"]),
      numberOfLinesToSkip: numberArgument(context, "lines_to_skip") ?? 0,
      rawContent,
      itemsSearchKey: context.args["items_search_key"],
      contentType: context.args["content_type"] || "Text/Csv",
    },
  };
}

/** `azure-sentinel-watchlist-create-update`: PUT …/watchlists/{alias}. */
export async function createUpdateWatchlist(context: CommandContext): Promise<CommandResult> {
  const result = await sentinelRequest<Watchlist>(context, "PUT", `watchlists/${alias(context)}`, {
    body: await watchlistBody(context),
  });
  const watchlist = toContextWatchlist(result ?? {});
  return {
    readable: tableToMarkdown(
      "Create watchlist results",
      [watchlist],
      [...HEADERS, "Alias", "ItemsSearchKey"],
    ),
    outputsPrefix: "AzureSentinel.Watchlist",
    outputsKeyField: "ID",
    outputs: watchlist,
    raw: result,
  };
}

interface WatchlistItem {
  name?: string;
  properties?: Record<string, unknown> & { createdBy?: { name?: string }; updatedBy?: { name?: string } };
}

function toContextItem(watchlistAlias: string, item: WatchlistItem): Record<string, unknown> {
  const p = item.properties ?? {};
  return withoutEmpty({
    WatchlistAlias: watchlistAlias,
    Name: item.name,
    ID: p["watchlistItemId"],
    Created: formatDate(p["created"]),
    Updated: formatDate(p["updated"]),
    CreatedBy: p.createdBy?.name,
    UpdatedBy: p.updatedBy?.name,
    ItemsKeyValue: p["itemsKeyValue"],
  });
}

/** `azure-sentinel-list-watchlist-items`: GET …/watchlists/{alias}/watchlistItems[/{id}]. */
export async function listWatchlistItems(context: CommandContext): Promise<CommandResult> {
  const itemId = context.args["watchlist_item_id"];
  const path = `watchlists/${alias(context)}/watchlistItems${itemId ? `/${encodeURIComponent(itemId)}` : ""}`;
  const result = await sentinelRequest<WatchlistItem & { value?: WatchlistItem[] }>(context, "GET", path);
  const items = (itemId ? [result] : (result.value ?? [])).map((item) =>
    toContextItem(context.args["watchlist_alias"] ?? "", item),
  );
  return {
    readable: tableToMarkdown("Watchlist items results", items, ["ID", "ItemsKeyValue"]),
    outputsPrefix: "AzureSentinel.WatchlistItem",
    outputsKeyField: "ID",
    outputs: items,
    raw: result,
  };
}

/** `azure-sentinel-delete-watchlist-item`: DELETE …/watchlists/{alias}/watchlistItems/{id}. */
export async function deleteWatchlistItem(context: CommandContext): Promise<CommandResult> {
  const itemId = context.args["watchlist_item_id"] ?? "";
  await sentinelRequest(
    context,
    "DELETE",
    `watchlists/${alias(context)}/watchlistItems/${encodeURIComponent(itemId)}`,
  );
  return { readable: `Watchlist item ${itemId} was deleted successfully.` };
}

/** `azure-sentinel-create-update-watchlist-item`: PUT …/watchlistItems/{id or a new GUID} with item_key_value. */
export async function createUpdateWatchlistItem(context: CommandContext): Promise<CommandResult> {
  let itemsKeyValue: unknown;
  try {
    itemsKeyValue = JSON.parse(context.args["item_key_value"] ?? "{}");
  } catch {
    throw new UsageError('item_key_value must be a JSON object, e.g. {"AssetName":"WIN-SRV-02"}.');
  }
  const itemId = context.args["watchlist_item_id"] || randomUUID();
  const result = await sentinelRequest<WatchlistItem>(
    context,
    "PUT",
    `watchlists/${alias(context)}/watchlistItems/${encodeURIComponent(itemId)}`,
    { body: { properties: { itemsKeyValue } } },
  );
  const item = toContextItem(context.args["watchlist_alias"] ?? "", result ?? {});
  return {
    readable: tableToMarkdown("Create watchlist item results", [item], ["ID", "ItemsKeyValue"]),
    outputsPrefix: "AzureSentinel.WatchlistItem",
    outputsKeyField: "ID",
    outputs: item,
    raw: result,
  };
}
