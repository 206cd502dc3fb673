import { ApiError, type CloudEndpoints, ParameterError } from "@msint/auth-core";
import type { ApiClient } from "../api-client.js";
import { UsageError } from "../args.js";
import type { ResolvedParams, ResourceDefinition, ResourceProbe } from "../manifest.js";
import { parseXml, type XmlElement, xmlFind, xmlText } from "../xml.js";
import { type ArgsContext, text } from "./common.js";

/** The four Azure Storage data-plane services. */
export type StorageService = "blob" | "file" | "queue" | "table";

const STORAGE_SERVICE_NAMES: Record<StorageService, string> = {
  blob: "Azure Blob Storage",
  file: "Azure Files",
  queue: "Azure Queue Storage",
  table: "Azure Table Storage",
};

/** The REST version every Azure Storage request of the XSOAR integrations carries. */
export const STORAGE_API_VERSION = "2020-10-02";

/** The token audience of Azure Storage in every cloud. */
export const STORAGE_AUDIENCE = "https://storage.azure.com";

/**
 * An Azure Storage data-plane service of the instance's storage account:
 * `https://<account>.<blob|file|queue|table>.<storage suffix>`, the `x-ms-version` header, and the account SAS
 * token (parameters "Storage account name" and "Account SAS Token"); managed identities get tokens for
 * `https://storage.azure.com` when the integration's flows allow them.
 */
export function storage(service: StorageService): ResourceDefinition {
  return {
    kind: `storage-${service}`,
    displayName: STORAGE_SERVICE_NAMES[service],
    endpoint: (cloud: CloudEndpoints, params: ResolvedParams) => {
      const account = text(params, "account_name");
      if (!account) {
        throw new ParameterError(
          "Storage account name is not set. Copy the storage account's name from the Azure Portal (Storage accounts) and set it with --param account_name=<name>.",
          "Storage account name",
        );
      }
      return `https://${account}.${service}.${cloud.storageSuffix}`;
    },
    audience: () => STORAGE_AUDIENCE,
    applicationScopes: [".default"],
    delegatedScopes: ["user_impersonation"],
    headers: { "x-ms-version": STORAGE_API_VERSION },
    sharedAccessSignature: true,
    probe: STORAGE_PROBES[service],
    permissionsApi: "Azure Storage",
  };
}

/**
 * `-test`'s read of each service: one entry of the account's containers, shares or queues (List Containers, List
 * Shares, List Queues: `GET /?comp=list&maxresults=1`), or of its tables (Query Tables: `GET /Tables?$top=1`).
 * Source: learn.microsoft.com/rest/api/storageservices (list-containers2, list-shares, list-queues1,
 * query-tables); roles: learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access and the
 * built-in roles list.
 */
const STORAGE_PROBES: Record<StorageService, ResourceProbe> = {
  blob: {
    request: () => ({ path: "/", query: { comp: "list", maxresults: 1 }, responseType: "text" }),
    permissions: { rbac: ["Storage Blob Data Reader", "Storage Blob Data Contributor"] },
  },
  file: {
    request: () => ({ path: "/", query: { comp: "list", maxresults: 1 }, responseType: "text" }),
    // Share-level operations such as List Shares take Shared Key or a SAS; with a SAS no role applies (list-shares).
    permissions: {
      rbac: ["Storage File Data Privileged Reader", "Storage File Data Privileged Contributor"],
    },
  },
  queue: {
    request: () => ({ path: "/", query: { comp: "list", maxresults: 1 }, responseType: "text" }),
    permissions: { rbac: ["Storage Queue Data Reader", "Storage Queue Data Contributor"] },
  },
  table: {
    request: () => ({
      path: "/Tables",
      query: { $top: 1 },
      headers: { accept: "application/json;odata=nometadata" },
    }),
    permissions: { rbac: ["Storage Table Data Reader", "Storage Table Data Contributor"] },
  },
};

/** What {@link listStorageEntries} reads: one `comp=list` listing of the Blob, File or Queue service. */
export interface StorageListing {
  /** Path of the listing (`/` for the account's containers, shares or queues). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** The element holding the entries (`Containers`, `Blobs`, `Entries`, `Queues`, `Shares`). */
  collection: string;
  /** The entries' element names (`Container`; `Blob` and `BlobPrefix`; `File` and `Directory`…). */
  entries: readonly string[];
  /** At most this many entries. */
  limit: number;
}

/** The root element of a storage service's XML answer; an ApiError saying what came instead. */
export function storageXml(body: string): XmlElement {
  try {
    return parseXml(body);
  } catch (error) {
    throw new ApiError(
      `The storage service answered with a body that is not XML (${error instanceof Error ? error.message : String(error)}): ${body.slice(0, 80).replace(/\s+/g, " ")}…`,
    );
  }
}

/** Page size cap of the storage services' `maxresults`, and so the largest `limit` of a storage listing. */
export const STORAGE_MAX_RESULTS = 5000;

/**
 * A container, file share or queue name from `argument`: 3-63 lower-case letters, digits and single dashes,
 * starting and ending with a letter or digit.
 */
export function storageName(context: ArgsContext, argument: string, kind: string): string {
  const name = context.args[argument] ?? "";
  if (!/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    throw new UsageError(
      `${argument} "${name}" is not a ${kind} name: use 3-63 lower-case letters, digits and single dashes.`,
    );
  }
  return name;
}

/**
 * Reads an Azure Storage listing (XML `EnumerationResults`) page by page, following `NextMarker`, until `limit`
 * entries or the last page. Returns the entries in order and the marker of the rest, if any.
 */
export async function listStorageEntries(
  api: ApiClient,
  listing: StorageListing,
): Promise<{ entries: XmlElement[]; nextMarker?: string }> {
  const entries: XmlElement[] = [];
  let marker: string | undefined;
  for (;;) {
    const body = await api.getText(listing.path, {
      ...listing.query,
      comp: "list",
      maxresults: Math.min(listing.limit - entries.length, STORAGE_MAX_RESULTS),
      marker,
    });
    const root = storageXml(body);
    const collection = xmlFind(root, listing.collection);
    for (const child of collection?.children ?? []) {
      if (listing.entries.includes(child.name)) entries.push(child);
    }
    marker = xmlText(root, "NextMarker");
    if (!marker) return { entries: entries.slice(0, listing.limit) };
    if (entries.length >= listing.limit)
      return { entries: entries.slice(0, listing.limit), nextMarker: marker };
  }
}
