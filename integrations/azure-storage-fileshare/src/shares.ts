import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  listStorageEntries,
  moreEntriesNote,
  STORAGE_MAX_RESULTS,
  storageName,
  tableToMarkdown,
  textContentMarkdown,
  UsageError,
  xmlText,
} from "@msint/integration-kit";

/** `a/b c/` → `a/b%20c`, for a path inside a share; "" for the share's root. */
function sharePath(raw: string | undefined): string {
  return (raw ?? "")
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .filter(Boolean)
    .map(encodeURIComponent)
    .join("/");
}

function shareName(context: CommandContext): string {
  return storageName(context, "share_name", "share");
}

/** XSOAR's directory_path (the parent, optional) and directory_name, as one path in the share. */
function fullDirectory(context: CommandContext<{ directory_name: string }>): string {
  const name = context.args["directory_name"].replace(/^\/+|\/+$/g, "");
  if (!name) throw new UsageError("directory_name is empty.");
  const parent = (context.args["directory_path"] ?? "").replace(/^\/+|\/+$/g, "");
  return parent ? `${parent}/${name}` : name;
}

function directoryPath(context: CommandContext<{ directory_name: string }>): string {
  return `/${shareName(context)}/${fullDirectory(context).split("/").map(encodeURIComponent).join("/")}`;
}

/** XSOAR's page (from 1) of limit entries: the entries to read, and where the page starts. */
function pageWindow(context: CommandContext): { read: number; skip: number } {
  const limit = limitArgument(context, STORAGE_MAX_RESULTS);
  const page = Math.max(Number.parseInt(context.args["page"] ?? "1", 10) || 1, 1);
  return { read: page * limit, skip: (page - 1) * limit };
}

/** `azure-storage-fileshare-create`: PUT /{share}?restype=share. */
export async function createShare(context: CommandContext): Promise<CommandResult> {
  const name = shareName(context);
  const quota = context.args["quota_gb"];
  if (quota !== undefined && !/^\d+$/.test(quota))
    throw new UsageError(`quota_gb must be a whole number of GiB (got "${quota}").`);
  await context.api.request({
    method: "PUT",
    path: `/${name}`,
    query: { restype: "share" },
    headers: quota ? { "x-ms-share-quota": quota } : {},
  });
  return {
    readable: `Share ${name} successfully created.`,
    outputsPrefix: "AzureStorageFileShare.Share",
    outputsKeyField: "Name",
    outputs: { Name: name },
  };
}

/** `azure-storage-fileshare-delete`: DELETE /{share}?restype=share. */
export async function deleteShare(context: CommandContext): Promise<CommandResult> {
  const name = shareName(context);
  await context.api.request({
    method: "DELETE",
    path: `/${name}`,
    query: { restype: "share" },
    headers: { "x-ms-delete-snapshots": "include" },
  });
  return { readable: `Share ${name} successfully deleted.` };
}

/** `azure-storage-fileshare-directory-create`: PUT /{share}/{path}?restype=directory. */
export async function createDirectory(
  context: CommandContext<{ directory_name: string }>,
): Promise<CommandResult> {
  await context.api.request({
    method: "PUT",
    path: directoryPath(context),
    query: { restype: "directory" },
    // Required by the versions from 2019-02-02 on: inherit permissions and attributes from the parent.
    headers: {
      "x-ms-file-permission": "inherit",
      "x-ms-file-attributes": "None",
      "x-ms-file-creation-time": "now",
      "x-ms-file-last-write-time": "now",
    },
  });
  const directory = fullDirectory(context);
  return {
    readable: `Directory ${directory} successfully created in ${context.args["share_name"]}.`,
    outputsPrefix: "AzureStorageFileShare.Share",
    outputsKeyField: "Name",
    outputs: { Name: context.args["share_name"], Directory: directory },
  };
}

/** `azure-storage-fileshare-directory-delete`: DELETE /{share}/{path}?restype=directory. */
export async function deleteDirectory(
  context: CommandContext<{ directory_name: string }>,
): Promise<CommandResult> {
  await context.api.request({
    method: "DELETE",
    path: directoryPath(context),
    query: { restype: "directory" },
  });
  return { readable: `Directory ${fullDirectory(context)} successfully deleted.` };
}

/** `azure-storage-fileshare-list`: GET /?comp=list, following NextMarker up to `limit`. */
export async function listShares(context: CommandContext): Promise<CommandResult> {
  const window = pageWindow(context);
  const listing = await listStorageEntries(context.api, {
    path: "/",
    query: { prefix: context.args["prefix"] },
    collection: "Shares",
    entries: ["Share"],
    limit: window.read,
  });
  const { nextMarker } = listing;
  const entries = listing.entries.slice(window.skip);
  const shares = entries.map((entry) => ({
    Name: xmlText(entry, "Name") ?? "",
    LastModified: xmlText(entry, "Properties", "Last-Modified"),
    QuotaGb: Number(xmlText(entry, "Properties", "Quota") ?? "0") || undefined,
  }));
  const rows = shares.map((share) => ({
    Name: share.Name,
    "Quota (GiB)": share.QuotaGb,
    "Last Modified": share.LastModified,
  }));
  return {
    readable: `${tableToMarkdown("File shares", rows, ["Name", "Quota (GiB)", "Last Modified"])}${moreEntriesNote(nextMarker !== undefined, STORAGE_MAX_RESULTS)}`,
    outputsPrefix: "AzureStorageFileShare.Share",
    outputsKeyField: "Name",
    outputs: shares,
    raw: entries,
  };
}

/** `azure-storage-fileshare-content-list`: GET /{share}/{directory}?restype=directory&comp=list. */
export async function listContent(context: CommandContext): Promise<CommandResult> {
  const share = shareName(context);
  const directory = sharePath(context.args["directory_path"]);
  const window = pageWindow(context);
  const listing = await listStorageEntries(context.api, {
    path: directory ? `/${share}/${directory}` : `/${share}`,
    query: { restype: "directory", prefix: context.args["prefix"] },
    collection: "Entries",
    entries: ["File", "Directory"],
    limit: window.read,
  });
  const { nextMarker } = listing;
  const entries = listing.entries.slice(window.skip);
  const content = entries.map((entry) => ({
    Name: xmlText(entry, "Name") ?? "",
    Type: entry.name === "Directory" ? "Directory" : "File",
    Size: entry.name === "File" ? Number(xmlText(entry, "Properties", "Content-Length") ?? "0") : undefined,
  }));
  const where = directory ? `${share}/${decodeURIComponent(directory)}` : share;
  return {
    readable: `${tableToMarkdown(`Content of ${where}`, content, ["Name", "Type", "Size"])}${moreEntriesNote(nextMarker !== undefined, STORAGE_MAX_RESULTS)}`,
    outputsPrefix: "AzureStorageFileShare.Share",
    outputsKeyField: "Name",
    outputs: {
      Name: share,
      Content: { Path: directory ? decodeURIComponent(directory) : "", ...splitContent(content) },
    },
    raw: entries,
  };
}

function splitContent(content: Array<{ Name: string; Type: string; Size: number | undefined }>) {
  return {
    File: content.filter(({ Type }) => Type === "File").map(({ Name, Size }) => ({ Name, Size })),
    Directory: content.filter(({ Type }) => Type === "Directory").map(({ Name }) => ({ Name })),
  };
}

/** `azure-storage-fileshare-file-get`: GET /{share}/{path}, the content as text. */
export async function getFile(context: CommandContext): Promise<CommandResult> {
  const share = shareName(context);
  const name = (context.args["file_name"] ?? "").replace(/^\/+|\/+$/g, "");
  if (!name)
    throw new UsageError("file_name is empty: give the file's name, and its directory in directory_path.");
  const path = sharePath(context.args["directory_path"] ? `${context.args["directory_path"]}/${name}` : name);
  const content = await context.api.getText(`/${share}/${path}`);
  const file = decodeURIComponent(path);
  return {
    readable: textContentMarkdown(`File ${file} of ${share}`, content),
    outputsPrefix: "AzureStorageFileShare.Share",
    outputsKeyField: "Name",
    outputs: { Name: share, File: { Path: file, Content: content, Size: Buffer.byteLength(content) } },
  };
}
