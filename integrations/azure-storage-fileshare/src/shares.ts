import { type CommandContext, type CommandResult, UsageError } from "@msint/integration-kit";

function shareName(context: CommandContext): string {
  const name = context.args["share_name"]!;
  if (!/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    throw new UsageError(
      `share_name "${name}" is not a share name: use 3-63 lower-case letters, digits and single dashes.`,
    );
  }
  return name;
}

function directoryPath(context: CommandContext): string {
  const path = context.args["directory_path"]!.replace(/^\/+|\/+$/g, "");
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
export async function createDirectory(context: CommandContext): Promise<CommandResult> {
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
  const directory = context.args["directory_path"]!;
  return {
    readable: `Directory ${directory} successfully created in ${context.args["share_name"]}.`,
    outputsPrefix: "AzureStorageFileShare.Share",
    outputsKeyField: "Name",
    outputs: { Name: context.args["share_name"], Directory: directory },
  };
}

/** `azure-storage-fileshare-directory-delete`: DELETE /{share}/{path}?restype=directory. */
export async function deleteDirectory(context: CommandContext): Promise<CommandResult> {
  await context.api.request({
    method: "DELETE",
    path: directoryPath(context),
    query: { restype: "directory" },
  });
  return { readable: `Directory ${context.args["directory_path"]} successfully deleted.` };
}
