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

function directoryPath(context: CommandContext<{ directory_path: string }>): string {
  const path = context.args["directory_path"].replace(/^\/+|\/+$/g, "");
  if (!path) throw new UsageError("directory_path is empty.");
  return `/${shareName(context)}/${path.split("/").map(encodeURIComponent).join("/")}`;
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
  context: CommandContext<{ directory_path: string }>,
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
  const directory = context.args["directory_path"];
  return {
    readable: `Directory ${directory} successfully created in ${context.args["share_name"]}.`,
    outputsPrefix: "AzureStorageFileShare.Share",
    outputsKeyField: "Name",
    outputs: { Name: context.args["share_name"], Directory: directory },
  };
}

/** `azure-storage-fileshare-directory-delete`: DELETE /{share}/{path}?restype=directory. */
export async function deleteDirectory(
  context: CommandContext<{ directory_path: string }>,
): Promise<CommandResult> {
  await context.api.request({
    method: "DELETE",
    path: directoryPath(context),
    query: { restype: "directory" },
  });
  return { readable: `Directory ${context.args["directory_path"]} successfully deleted.` };
}

/** `azure-storage-fileshare-list`: GET /?comp=list, following NextMarker up to `limit`. */
export async function listShares(context: CommandContext): Promise<CommandResult> {
  const { entries, nextMarker } = await listStorageEntries(context.api, {
    path: "/",
    query: { prefix: context.args["prefix"] },
    collection: "Shares",
    entries: ["Share"],
    limit: limitArgument(context, STORAGE_MAX_RESULTS),
  });
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
  const { entries, nextMarker } = await listStorageEntries(context.api, {
    path: directory ? `/${share}/${directory}` : `/${share}`,
    query: { restype: "directory", prefix: context.args["prefix"] },
    collection: "Entries",
    entries: ["File", "Directory"],
    limit: limitArgument(context, STORAGE_MAX_RESULTS),
  });
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
  const path = sharePath(context.args["file_path"]);
  if (!path)
    throw new UsageError("file_path is empty: give the file's path in the share, e.g. reports/a.txt.");
  const content = await context.api.getText(`/${share}/${path}`);
  const file = decodeURIComponent(path);
  return {
    readable: textContentMarkdown(`File ${file} of ${share}`, content),
    outputsPrefix: "AzureStorageFileShare.Share",
    outputsKeyField: "Name",
    outputs: { Name: share, File: { Path: file, Content: content, Size: Buffer.byteLength(content) } },
  };
}
