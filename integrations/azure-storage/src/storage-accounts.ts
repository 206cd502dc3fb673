import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  resourceGroupPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The Microsoft.Storage API version of the XSOAR integration. */
export const STORAGE_MANAGEMENT_API_VERSION = "2022-09-01";

interface ArmResource {
  id?: string;
  name?: string;
  kind?: string;
  type?: string;
  location?: string;
  sku?: { name?: string; tier?: string };
  properties?: Record<string, unknown>;
}

function accountsPath(context: CommandContext): string {
  return `${resourceGroupPath(context)}/providers/Microsoft.Storage/storageAccounts`;
}

function blobServicePath(context: CommandContext<{ account_name: string }>): string {
  return `${accountsPath(context)}/${encodeURIComponent(context.args["account_name"])}/blobServices/default`;
}

const query = { "api-version": STORAGE_MANAGEMENT_API_VERSION };

/** `azure-storage-account-list`: GET …/providers/Microsoft.Storage/storageAccounts[/{name}]. */
export async function listAccounts(context: CommandContext): Promise<CommandResult> {
  const name = context.args["account_name"];
  const accounts = name
    ? [await context.api.get<ArmResource>(`${accountsPath(context)}/${encodeURIComponent(name)}`, query)]
    : (await collectPages<ArmResource>(context.api, accountsPath(context), query)).items;
  const rows = accounts.map((account) => ({
    "Account Name": account.name,
    "Subscription ID": /\/subscriptions\/([^/]+)/.exec(account.id ?? "")?.[1],
    "Resource Group": /\/resourceGroups\/([^/]+)/i.exec(account.id ?? "")?.[1],
    Kind: account.kind,
    SKU: account.sku?.name,
    Location: account.location,
    "Allow Blob Public Access": account.properties?.["allowBlobPublicAccess"],
    "Minimum TLS Version": account.properties?.["minimumTlsVersion"],
  }));
  return {
    readable: tableToMarkdown("Azure Storage Account List", rows),
    outputsPrefix: "AzureStorage.StorageAccount",
    outputsKeyField: "id",
    outputs: name ? accounts[0] : accounts,
    raw: accounts,
  };
}

/** `azure-storage-blob-service-properties-get`: GET …/storageAccounts/{name}/blobServices/default. */
export async function getBlobServiceProperties(
  context: CommandContext<{ account_name: string }>,
): Promise<CommandResult> {
  const service = await context.api.get<ArmResource>(blobServicePath(context), query);
  const properties = service.properties ?? {};
  const retention = properties["deleteRetentionPolicy"] as { enabled?: boolean; days?: number } | undefined;
  return {
    readable: tableToMarkdown(`Azure Storage Blob Service Properties of ${context.args["account_name"]}`, [
      {
        Name: service.name,
        "Versioning Enabled": properties["isVersioningEnabled"],
        "Delete Retention Enabled": retention?.enabled,
        "Delete Retention Days": retention?.days,
        "Change Feed Enabled": (properties["changeFeed"] as { enabled?: boolean } | undefined)?.enabled,
      },
    ]),
    outputsPrefix: "AzureStorage.BlobServiceProperties",
    outputsKeyField: "id",
    outputs: service,
    raw: service,
  };
}

/** `azure-storage-blob-containers-list`: GET …/storageAccounts/{name}/blobServices/default/containers. */
export async function listBlobContainers(
  context: CommandContext<{ account_name: string }>,
): Promise<CommandResult> {
  const name = context.args["container_name"];
  // XSOAR's maxpagesize is the most containers returned.
  const size = limitArgument(context, 1000, "maxpagesize");
  const items = name
    ? // Blob Containers - Get (learn.microsoft.com/rest/api/storagerp/blob-containers/get).
      [
        await context.api.get<ArmResource>(
          `${blobServicePath(context)}/containers/${encodeURIComponent(name)}`,
          query,
        ),
      ]
    : (
        await collectPages<ArmResource>(
          context.api,
          `${blobServicePath(context)}/containers`,
          // Blob Containers - List takes $maxpagesize and $include=deleted
          // (learn.microsoft.com/rest/api/storagerp/blob-containers/list).
          {
            ...query,
            $maxpagesize: size,
            ...(context.args["include_deleted"] === "true" ? { $include: "deleted" } : {}),
          },
          size,
        )
      ).items;
  const rows = items.map((container) => ({
    "Container Name": container.name,
    "Public Access": container.properties?.["publicAccess"],
    "Lease State": container.properties?.["leaseState"],
    "Last Modified Time": container.properties?.["lastModifiedTime"],
  }));
  return {
    readable: tableToMarkdown(`Azure Storage Blob Containers of ${context.args["account_name"]}`, rows),
    outputsPrefix: "AzureStorage.BlobContainer",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}

/** `azure-storage-blob-containers-create`: PUT …/blobServices/default/containers/{name}. */
export async function createBlobContainer(
  context: CommandContext<{ account_name: string; container_name: string }>,
): Promise<CommandResult> {
  const name = context.args["container_name"];
  const properties: Record<string, unknown> = {};
  if (context.args["default_encryption_scope"])
    properties["defaultEncryptionScope"] = context.args["default_encryption_scope"];
  if (context.args["deny_encryption_scope_override"])
    properties["denyEncryptionScopeOverride"] = context.args["deny_encryption_scope_override"] === "true";
  if (context.args["public_access"]) properties["publicAccess"] = context.args["public_access"];
  // Blob Containers - Create (learn.microsoft.com/rest/api/storagerp/blob-containers/create).
  const container = await context.api.request<ArmResource>({
    expect: "object",
    method: "PUT",
    path: `${blobServicePath(context)}/containers/${encodeURIComponent(name)}`,
    query,
    body: { properties },
  });
  const entry = { id: container?.id, name: container?.name ?? name, type: container?.type };
  return {
    readable: tableToMarkdown(`Azure Storage Blob Containers Properties`, [
      { Name: entry.name, "Account Name": context.args["account_name"], ID: entry.id },
    ]),
    outputsPrefix: "AzureStorage.BlobContainer",
    outputsKeyField: "id",
    outputs: container ?? entry,
    raw: container,
  };
}

/** `azure-storage-blob-container-delete`: DELETE …/blobServices/default/containers/{name}. */
export async function deleteBlobContainer(
  context: CommandContext<{ account_name: string; container_name: string }>,
): Promise<CommandResult> {
  const name = context.args["container_name"];
  // Blob Containers - Delete (learn.microsoft.com/rest/api/storagerp/blob-containers/delete).
  await context.api.request({
    method: "DELETE",
    path: `${blobServicePath(context)}/containers/${encodeURIComponent(name)}`,
    query,
  });
  return { readable: `The blob container ${name} was deleted successfully.` };
}
