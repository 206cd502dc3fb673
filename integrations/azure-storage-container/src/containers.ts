import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
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
  xmlEscape,
  xmlText,
} from "@msint/integration-kit";

function containerName(context: CommandContext): string {
  return storageName(context, "container_name", "container");
}

function blobPath(context: CommandContext, blobName = context.args["blob_name"] ?? ""): string {
  const blob = blobName.split("/").map(encodeURIComponent).join("/");
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

/** What to upload: the local file `file_entry_id` names (XSOAR: a War Room file entry), or the text `content`. */
async function uploadContent(context: CommandContext): Promise<{ body: string | Uint8Array; file?: string }> {
  const file = context.args["file_entry_id"];
  if (file) {
    try {
      return { body: await readFile(file), file };
    } catch (error) {
      throw new UsageError(`file_entry_id: cannot read the file ${file} (${(error as Error).message}).`);
    }
  }
  const content = context.args["content"];
  if (content === undefined)
    throw new UsageError("Give file_entry_id (a file to upload) or content (its text).");
  return { body: content };
}

/** Put Blob: PUT /{container}/{blob} with x-ms-blob-type: BlockBlob (creates the blob or replaces it). */
async function putBlob(context: CommandContext, verb: "created" | "updated"): Promise<CommandResult> {
  const name = containerName(context);
  const { body, file } = await uploadContent(context);
  const blob = context.args["blob_name"] || (file ? basename(file) : "");
  if (!blob) throw new UsageError("blob_name is not set (and no file_entry_id to take the name from).");
  await context.api.request({
    method: "PUT",
    path: blobPath(context, blob),
    body,
    headers: {
      "x-ms-blob-type": "BlockBlob",
      "content-type":
        context.args["content_type"] ?? (file ? "application/octet-stream" : "text/plain; charset=utf-8"),
    },
  });
  return {
    readable: tableToMarkdown(`Blob ${verb}`, [
      { Container: name, Blob: blob, Size: typeof body === "string" ? Buffer.byteLength(body) : body.length },
    ]),
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Blob: [{ name: blob }] },
  };
}

/** `azure-storage-container-blob-create`: Put Blob of a new blob. */
export function createBlob(context: CommandContext): Promise<CommandResult> {
  return putBlob(context, "created");
}

/** `azure-storage-container-blob-update`: Put Blob over an existing blob. */
export function updateBlob(context: CommandContext): Promise<CommandResult> {
  return putBlob(context, "updated");
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

/** `page` (1-based) of `limit` entries, as XSOAR pages its lists. */
function pageArgument(context: CommandContext): { limit: number; page: number } {
  const limit = limitArgument(context, STORAGE_MAX_RESULTS);
  const page = Number(context.args["page"] ?? "1");
  if (!Number.isInteger(page) || page < 1) {
    throw new UsageError(`page must be a whole number from 1 (got "${context.args["page"]}").`);
  }
  return { limit, page };
}

/** How many entries to read: every page up to the asked one. */
function pageEnd(context: CommandContext): number {
  const { limit, page } = pageArgument(context);
  return limit * page;
}

function pageOf<T>(context: CommandContext, entries: T[]): T[] {
  const { limit, page } = pageArgument(context);
  return entries.slice(limit * (page - 1), limit * page);
}

/** `azure-storage-container-list`: GET /?comp=list, following NextMarker up to `limit`. */
export async function listContainers(context: CommandContext): Promise<CommandResult> {
  const { entries, nextMarker } = await listStorageEntries(context.api, {
    path: "/",
    query: { prefix: context.args["prefix"] },
    collection: "Containers",
    entries: ["Container"],
    limit: pageEnd(context),
  });
  const containers = pageOf(context, entries).map((entry) => ({
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
    limit: pageEnd(context),
  });
  const blobs = pageOf(context, entries).map((entry) => ({
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

/** `azure-storage-container-blob-get`: Get Blob, GET /{container}/{blob}; XSOAR's File entry of its content. */
export async function getBlob(context: CommandContext<{ blob_name: string }>): Promise<CommandResult> {
  const name = containerName(context);
  const blob = context.args["blob_name"];
  const content = await context.api.getText(blobPath(context));
  const bytes = Buffer.from(content);
  const hash = (algorithm: string) => createHash(algorithm).update(bytes).digest("hex");
  const fileName = basename(blob);
  return {
    readable: textContentMarkdown(`Blob ${blob} of ${name}`, content),
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Blob: { name: blob, content, size: bytes.length } },
    additionalOutputs: {
      File: {
        Name: fileName,
        Size: bytes.length,
        MD5: hash("md5"),
        SHA1: hash("sha1"),
        SHA256: hash("sha256"),
        Extension: extname(fileName).replace(/^\./, "") || undefined,
        Type: "data",
      },
    },
  };
}

/** Response headers of Get Container Properties / Get Blob Properties. */
type Headers = Record<string, string | undefined>;

/** `azure-storage-container-property-get`: Get Container Properties, GET /{container}?restype=container. */
export async function getContainerProperties(context: CommandContext): Promise<CommandResult> {
  const name = containerName(context);
  const headers = await context.api.request<Headers>({
    path: `/${name}`,
    query: { restype: "container" },
    responseType: "headers",
  });
  const Property = {
    last_modified: headers["last-modified"],
    etag: headers["etag"],
    lease_status: headers["x-ms-lease-status"],
    lease_state: headers["x-ms-lease-state"],
    has_immutability_policy: headers["x-ms-has-immutability-policy"],
    has_legal_hold: headers["x-ms-has-legal-hold"],
    public_access: headers["x-ms-blob-public-access"] ?? "none",
  };
  return {
    readable: tableToMarkdown(`Container ${name} Properties`, [Property]),
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Property },
  };
}

/** `azure-storage-container-blob-property-get`: Get Blob Properties, HEAD /{container}/{blob}. */
export async function getBlobProperties(
  context: CommandContext<{ blob_name: string }>,
): Promise<CommandResult> {
  const name = containerName(context);
  const blob = context.args["blob_name"];
  const headers = await context.api.request<Headers>({
    method: "HEAD",
    path: blobPath(context),
    responseType: "headers",
  });
  const Property = {
    last_modified: headers["last-modified"],
    etag: headers["etag"],
    lease_status: headers["x-ms-lease-status"],
    lease_state: headers["x-ms-lease-state"],
    blob_type: headers["x-ms-blob-type"],
    content_length: headers["content-length"] === undefined ? undefined : Number(headers["content-length"]),
    content_type: headers["content-type"],
    "content-md5": headers["content-md5"],
    creation_time: headers["x-ms-creation-time"],
  };
  return {
    readable: tableToMarkdown(`Blob ${blob} Properties`, [Property]),
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Blob: { name: blob, Property } },
  };
}

/**
 * `azure-storage-container-blob-property-set`: Set Blob Properties, PUT /{container}/{blob}?comp=properties. The
 * service clears each content property the request does not send, as XSOAR's command does.
 */
export async function setBlobProperties(
  context: CommandContext<{ blob_name: string }>,
): Promise<CommandResult> {
  const { args } = context;
  const headers: Record<string, string> = {};
  for (const [argument, header] of [
    ["content_type", "x-ms-blob-content-type"],
    ["content_md5", "x-ms-blob-content-md5"],
    ["content_encoding", "x-ms-blob-content-encoding"],
    ["content_language", "x-ms-blob-content-language"],
    ["content_disposition", "x-ms-blob-content-disposition"],
    ["cache_control", "x-ms-blob-cache-control"],
    ["request_id", "x-ms-client-request-id"],
    ["lease_id", "x-ms-lease-id"],
  ] as const) {
    const value = args[argument];
    if (value !== undefined) headers[header] = value;
  }
  await context.api.request({
    method: "PUT",
    path: blobPath(context),
    query: { comp: "properties" },
    headers,
    expect: "none",
  });
  return { readable: `Blob ${args["blob_name"]} properties successfully updated.` };
}

/** `azure-storage-container-blob-tag-get`: Get Blob Tags, GET /{container}/{blob}?comp=tags. */
export async function getBlobTags(context: CommandContext<{ blob_name: string }>): Promise<CommandResult> {
  const name = containerName(context);
  const blob = context.args["blob_name"];
  const body = await context.api.getText(blobPath(context), { comp: "tags" });
  const tags = [
    ...body.matchAll(/<Tag>\s*<Key>([\s\S]*?)<\/Key>\s*<Value>([\s\S]*?)<\/Value>\s*<\/Tag>/g),
  ].map((match) => ({ Key: unescapeXml(match[1]!), Value: unescapeXml(match[2]!) }));
  return {
    readable: tableToMarkdown(`Blob ${blob} Tags`, tags, ["Key", "Value"]),
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name, Blob: { name: blob, Tag: tags } },
  };
}

function unescapeXml(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&amp;", "&");
}

/** `azure-storage-container-blob-tag-set`: Set Blob Tags, PUT /{container}/{blob}?comp=tags (replaces them all). */
export async function setBlobTags(
  context: CommandContext<{ blob_name: string; tags: string }>,
): Promise<CommandResult> {
  let tags: Record<string, unknown>;
  try {
    tags = JSON.parse(context.args["tags"]) as Record<string, unknown>;
  } catch {
    throw new UsageError('tags must be JSON: {"tag-name-1": "tag-value-1", …}.');
  }
  if (!tags || typeof tags !== "object" || Array.isArray(tags)) {
    throw new UsageError('tags must be a JSON object: {"tag-name-1": "tag-value-1", …}.');
  }
  const entries = Object.entries(tags)
    .map(
      ([key, value]) => `<Tag><Key>${xmlEscape(key)}</Key><Value>${xmlEscape(String(value))}</Value></Tag>`,
    )
    .join("");
  await context.api.request({
    method: "PUT",
    path: blobPath(context),
    query: { comp: "tags" },
    body: `<?xml version="1.0" encoding="utf-8"?><Tags><TagSet>${entries}</TagSet></Tags>`,
    headers: { "content-type": "application/xml; charset=utf-8" },
    expect: "none",
  });
  return { readable: `${context.args["blob_name"]} Tags successfully updated.` };
}

/**
 * `azure-storage-container-block-public-access`: Set Container ACL, PUT /{container}?restype=container&comp=acl
 * without x-ms-blob-public-access: the container's data is private from then on.
 */
export async function blockPublicAccess(context: CommandContext): Promise<CommandResult> {
  const name = containerName(context);
  await context.api.request({
    method: "PUT",
    path: `/${name}`,
    query: { restype: "container", comp: "acl" },
    expect: "none",
  });
  return { readable: `Public access to container '${name}' has been successfully blocked` };
}
