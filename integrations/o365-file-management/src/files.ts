import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";

type DriveItem = {
  id?: string;
  name?: string;
  size?: number;
  webUrl?: string;
  lastModifiedDateTime?: string;
  folder?: { childCount?: number };
  file?: { mimeType?: string };
};

/** `msgraph-list-sharepoint-sites`: GET /v1.0/sites?search={keyword}. */
export async function listSharePointSites(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{
    id?: string;
    name?: string;
    displayName?: string;
    webUrl?: string;
    createdDateTime?: string;
  }>(context.api, "/v1.0/sites", { search: context.args["keyword"] ?? "*" }, 200);
  return {
    readable: tableToMarkdown("List Sites:", items, [
      "name",
      "displayName",
      "webUrl",
      "id",
      "createdDateTime",
    ]),
    outputsPrefix: "MsGraphFiles.ListSites",
    outputs: { Sites: items },
    raw: items,
  };
}

/**
 * XSOAR's next_page_url: a previous answer's @odata.nextLink (its NextToken), read as it is on the same host;
 * otherwise the first page of `limit` entries.
 */
function pageRequest(context: CommandContext, path: string, limit: number) {
  const next = context.args["next_page_url"];
  return next ? { path: next, query: {} } : { path, query: { $top: limit } };
}

/** `msgraph-list-drives-in-site`: GET /v1.0/sites/{site_id}/drives. */
export async function listDrivesInSite(context: CommandContext<{ site_id: string }>): Promise<CommandResult> {
  const limit = limitArgument(context, 200);
  const { path, query } = pageRequest(
    context,
    `/v1.0/sites/${encodeURIComponent(context.args["site_id"])}/drives`,
    limit,
  );
  const { items, nextLink } = await collectPages<{
    id?: string;
    name?: string;
    driveType?: string;
    webUrl?: string;
  }>(context.api, path, query, limit);
  return {
    readable: tableToMarkdown("List Drives:", items, ["name", "driveType", "webUrl", "id"]),
    outputsPrefix: "MsGraphFiles.ListDrives",
    outputs: { Value: items, ...(nextLink ? { NextToken: nextLink } : {}) },
    raw: items,
  };
}

/** `msgraph-list-drive-content`: GET /v1.0/{object_type}/{id}/drive(s)/…/children. */
export async function listDriveContent(
  context: CommandContext<{ object_type_id: string }>,
): Promise<CommandResult> {
  const limit = limitArgument(context, 200);
  const type = context.args["object_type"] ?? "drives";
  const owner = encodeURIComponent(context.args["object_type_id"]);
  // A drive is addressed directly; a group, site or user through its default drive.
  const drive = type === "drives" ? `/v1.0/drives/${owner}` : `/v1.0/${type}/${owner}/drive`;
  const item = context.args["item_id"] ? `items/${encodeURIComponent(context.args["item_id"])}` : "root";
  const { path, query } = pageRequest(context, `${drive}/${item}/children`, limit);
  const { items, nextLink } = await collectPages<DriveItem>(context.api, path, query, limit);
  const rows = items.map((entry) => ({
    name: entry.name,
    id: entry.id,
    type: entry.folder ? "Folder" : "File",
    size: entry.size,
    lastModifiedDateTime: entry.lastModifiedDateTime,
    webUrl: entry.webUrl,
  }));
  return {
    readable: tableToMarkdown(`List Children for ${context.args["item_id"] ?? "root"}:`, rows),
    outputsPrefix: "MsGraphFiles.ListChildren",
    outputs: {
      ParentID: context.args["item_id"] ?? "root",
      Children: items,
      ...(nextLink ? { NextToken: nextLink } : {}),
    },
    raw: items,
  };
}
