import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";

function containerName(context: CommandContext): string {
  const name = context.args["container_name"]!;
  // Container names: 3-63 lower-case letters, digits and single dashes, starting with a letter or digit.
  if (!/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    throw new UsageError(
      `container_name "${name}" is not a container name: use 3-63 lower-case letters, digits and single dashes.`,
    );
  }
  return name;
}

function blobPath(context: CommandContext): string {
  const blob = context.args["blob_name"]!.split("/").map(encodeURIComponent).join("/");
  return `/${containerName(context)}/${blob}`;
}

/** `azure-storage-container-create`: PUT /{container}?restype=container (201 Created). */
export async function createContainer(context: CommandContext): Promise<CommandResult> {
  const name = containerName(context);
  const access = context.args["public_access"];
  await context.api.request({
    method: "PUT",
    path: `/${name}`,
    query: { restype: "container" },
    headers: access ? { "x-ms-blob-public-access": access } : {},
  });
  return {
    readable: `Container ${name} successfully created.`,
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name },
  };
}

/** `azure-storage-container-delete`: DELETE /{container}?restype=container (202 Accepted). */
export async function deleteContainer(context: CommandContext): Promise<CommandResult> {
  const name = containerName(context);
  await context.api.request({ method: "DELETE", path: `/${name}`, query: { restype: "container" } });
  return { readable: `Container ${name} successfully deleted.` };
}

/** `azure-storage-container-blob-create`: PUT /{container}/{blob} with x-ms-blob-type: BlockBlob. */
export async function createBlob(context: CommandContext): Promise<CommandResult> {
  const name = containerName(context);
  await context.api.request({
    method: "PUT",
    path: blobPath(context),
    body: context.args["content"],
    headers: {
      "x-ms-blob-type": "BlockBlob",
      "content-type": context.args["content_type"] ?? "text/plain; charset=utf-8",
    },
  });
  const blob = context.args["blob_name"]!;
  return {
    readable: tableToMarkdown("Blob created", [
      { Container: name, Blob: blob, Size: Buffer.byteLength(context.args["content"]!) },
    ]),
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Blob: [{ name: blob }] },
  };
}

/** `azure-storage-container-blob-delete`: DELETE /{container}/{blob} with its snapshots. */
export async function deleteBlob(context: CommandContext): Promise<CommandResult> {
  await context.api.request({
    method: "DELETE",
    path: blobPath(context),
    headers: { "x-ms-delete-snapshots": "include" },
  });
  return { readable: `Blob ${context.args["blob_name"]} successfully deleted.` };
}
