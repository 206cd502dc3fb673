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
  xmlText,
} from "@msint/integration-kit";

function containerName(context: CommandContext): string {
  return storageName(context, "container_name", "container");
}

function blobPath(context: CommandContext<{ blob_name: string }>): string {
  const blob = context.args["blob_name"].split("/").map(encodeURIComponent).join("/");
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
export async function createBlob(
  context: CommandContext<{ blob_name: string; content: string }>,
): Promise<CommandResult> {
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
  const blob = context.args["blob_name"];
  return {
    readable: tableToMarkdown("Blob created", [
      { Container: name, Blob: blob, Size: Buffer.byteLength(context.args["content"]) },
    ]),
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Blob: [{ name: blob }] },
  };
}

/** `azure-storage-container-blob-delete`: DELETE /{container}/{blob} with its snapshots. */
export async function deleteBlob(context: CommandContext<{ blob_name: string }>): Promise<CommandResult> {
  await context.api.request({
    method: "DELETE",
    path: blobPath(context),
    headers: { "x-ms-delete-snapshots": "include" },
  });
  return { readable: `Blob ${context.args["blob_name"]} successfully deleted.` };
}

/** `azure-storage-container-list`: GET /?comp=list, following NextMarker up to `limit`. */
export async function listContainers(context: CommandContext): Promise<CommandResult> {
  const { entries, nextMarker } = await listStorageEntries(context.api, {
    path: "/",
    query: { prefix: context.args["prefix"] },
    collection: "Containers",
    entries: ["Container"],
    limit: limitArgument(context, STORAGE_MAX_RESULTS),
  });
  const containers = entries.map((entry) => ({
    name: xmlText(entry, "Name") ?? "",
    Property: {
      last_modified: xmlText(entry, "Properties", "Last-Modified"),
      public_access: xmlText(entry, "Properties", "PublicAccess") ?? "none",
      lease_state: xmlText(entry, "Properties", "LeaseState"),
    },
  }));
  const rows = containers.map(({ name, Property }) => ({
    Name: name,
    "Last Modified": Property.last_modified,
    "Public Access": Property.public_access,
    "Lease State": Property.lease_state,
  }));
  return {
    readable: `${tableToMarkdown("Containers", rows, ["Name", "Last Modified", "Public Access", "Lease State"])}${moreEntriesNote(nextMarker !== undefined, STORAGE_MAX_RESULTS)}`,
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: containers,
    raw: entries,
  };
}

/** `azure-storage-container-blob-list`: GET /{container}?restype=container&comp=list, up to `limit`. */
export async function listBlobs(context: CommandContext): Promise<CommandResult> {
  const name = containerName(context);
  const { entries, nextMarker } = await listStorageEntries(context.api, {
    path: `/${name}`,
    query: { restype: "container", prefix: context.args["prefix"] },
    collection: "Blobs",
    entries: ["Blob"],
    limit: limitArgument(context, STORAGE_MAX_RESULTS),
  });
  const blobs = entries.map((entry) => ({
    name: xmlText(entry, "Name") ?? "",
    Property: {
      content_length: Number(xmlText(entry, "Properties", "Content-Length") ?? "0"),
      content_type: xmlText(entry, "Properties", "Content-Type"),
      last_modified: xmlText(entry, "Properties", "Last-Modified"),
      blob_type: xmlText(entry, "Properties", "BlobType"),
    },
  }));
  const rows = blobs.map(({ name: blob, Property }) => ({
    Name: blob,
    Size: Property.content_length,
    "Content Type": Property.content_type,
    "Last Modified": Property.last_modified,
  }));
  return {
    readable: `${tableToMarkdown(`Blobs of ${name}`, rows, ["Name", "Size", "Content Type", "Last Modified"])}${moreEntriesNote(nextMarker !== undefined, STORAGE_MAX_RESULTS)}`,
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Blob: blobs },
    raw: entries,
  };
}

/** `azure-storage-container-blob-get`: GET /{container}/{blob}, the content as text. */
export async function getBlob(context: CommandContext<{ blob_name: string }>): Promise<CommandResult> {
  const name = containerName(context);
  const blob = context.args["blob_name"];
  const content = await context.api.getText(blobPath(context));
  return {
    readable: textContentMarkdown(`Blob ${blob} of ${name}`, content),
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Blob: { name: blob, content, size: Buffer.byteLength(content) } },
  };
}
