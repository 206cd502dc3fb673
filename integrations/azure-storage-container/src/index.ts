import { defineIntegration, storage } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  blockPublicAccess,
  createBlob,
  createContainer,
  deleteBlob,
  deleteContainer,
  getBlob,
  getBlobProperties,
  getBlobTags,
  getContainerProperties,
  listBlobs,
  listContainers,
  setBlobProperties,
  setBlobTags,
  updateBlob,
} from "./containers.js";
import { createSas } from "./sas.js";

// Command names, arguments and context paths as XSOAR's Azure Storage Container (demisto/content
// Packs/AzureStorageContainer/Integrations/AzureStorageContainer/AzureStorageContainer.yml and .py,
// data/xsoar/azure-storage-container.json).

const containerName = {
  name: "container_name",
  description: "The container's name.",
  required: true,
} as const;
const blobName = { name: "blob_name", description: "The blob's name (path).", required: true } as const;
const containerAndBlobOutputs = [
  { path: "AzureStorageContainer.Container.name", type: "string", description: "The container's name." },
  { path: "AzureStorageContainer.Container.Blob.name", type: "string", description: "The blob's name." },
] as const;
const prefix = { name: "prefix", description: "Only names that start with this." } as const;
const limit = {
  name: "limit",
  description: "How many to list per page (1-5000).",
  defaultValue: "50",
} as const;
const page = {
  name: "page",
  description: "Which page of limit entries (1-based).",
  defaultValue: "1",
} as const;
// Least privileged role first (learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory
// "Permissions for calling data operations" and each operation's "Authorization" section).
const BLOB_READ = {
  rbac: ["Storage Blob Data Reader", "Storage Blob Data Contributor", "Storage Blob Data Owner"],
} as const;
const BLOB_WRITE = { rbac: ["Storage Blob Data Contributor", "Storage Blob Data Owner"] } as const;
// Blob index tags: …/blobs/tags/read and …/tags/write, which only Storage Blob Data Owner of the built-in data roles
// holds (learn.microsoft.com/rest/api/storageservices/get-blob-tags, …/set-blob-tags "Authorization").
const BLOB_TAGS = { rbac: ["Storage Blob Data Owner"] } as const;
const uploadArguments = [
  {
    name: "file_entry_id",
    description: "The local file to upload (XSOAR: a War Room file entry ID); give it or content.",
  },
  { name: "content", description: "msint only: the blob's text content, instead of a file." },
  {
    name: "content_type",
    description: "msint only: the blob's content type (default: by what is uploaded).",
  },
] as const;

/** Azure Storage Container: blob containers and blobs of a storage account's Blob service. */
export default defineIntegration({
  id: "azure-storage-container",
  version: packageJson.version,
  displayName: "Azure Storage Container",
  commandPrefix: "azure-storage-container",
  description: "Lists, creates and deletes blob containers, and lists, reads, uploads and deletes blobs.",
  flows: {
    xsoarApp: false,
    clientCredentials: false,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: storage("blob"),
  permissions: { application: ["Storage Blob Data Contributor (Azure RBAC role of the managed identity)"] },
  commands: {
    "azure-storage-container-list": {
      description: "Lists the storage account's containers.",
      arguments: [limit, prefix, page],
      outputs: [
        {
          path: "AzureStorageContainer.Container.name",
          type: "string",
          description: "The container's name.",
        },
        {
          path: "AzureStorageContainer.Container.Property.last_modified",
          type: "date",
          description: "When the container last changed.",
        },
        {
          path: "AzureStorageContainer.Container.Property.public_access",
          type: "string",
          description: "Anonymous read access: none, blob or container.",
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/list-containers2 ("Authorization"); least privileged role first.
      permissions: {
        rbac: ["Storage Blob Data Reader", "Storage Blob Data Contributor", "Storage Blob Data Owner"],
      },
      run: listContainers,
    },
    "azure-storage-container-blob-list": {
      description: "Lists the blobs of a container.",
      arguments: [containerName, limit, prefix, page],
      outputs: [
        ...containerAndBlobOutputs,
        {
          path: "AzureStorageContainer.Container.Blob.Property.content_length",
          type: "number",
          description: "The blob's size in bytes.",
        },
        {
          path: "AzureStorageContainer.Container.Blob.Property.content_type",
          type: "string",
          description: "The blob's content type.",
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/list-blobs ("Authorization"); least privileged role first.
      permissions: {
        rbac: ["Storage Blob Data Reader", "Storage Blob Data Contributor", "Storage Blob Data Owner"],
      },
      run: listBlobs,
    },
    "azure-storage-container-blob-get": {
      description: "Reads a text blob.",
      arguments: [containerName, blobName],
      outputs: [
        {
          path: "AzureStorageContainer.Container.Blob.name",
          type: "string",
          description: "The blob's name.",
        },
        { path: "AzureStorageContainer.Container.Blob.content", type: "string", description: "Its content." },
        {
          path: "AzureStorageContainer.Container.Blob.size",
          type: "number",
          description: "Its size in bytes.",
        },
        { path: "File.Name", type: "string", description: "The file's name." },
        { path: "File.Size", type: "number", description: "Its size in bytes." },
        { path: "File.MD5", type: "string", description: "Its MD5 hash." },
        { path: "File.SHA1", type: "string", description: "Its SHA-1 hash." },
        { path: "File.SHA256", type: "string", description: "Its SHA-256 hash." },
        { path: "File.Extension", type: "string", description: "Its extension." },
        { path: "File.Type", type: "string", description: "Its type." },
      ],
      // learn.microsoft.com/rest/api/storageservices/get-blob ("Authorization"); least privileged role first.
      permissions: {
        rbac: ["Storage Blob Data Reader", "Storage Blob Data Contributor", "Storage Blob Data Owner"],
      },
      run: getBlob,
    },
    "azure-storage-container-create": {
      description: "Creates a container.",
      arguments: [
        containerName,
        {
          name: "public_access",
          description: "msint only: anonymous read access, blob or container (default: none).",
          predefined: ["blob", "container"],
        },
      ],
      outputs: [
        {
          path: "AzureStorageContainer.Container.name",
          type: "string",
          description: "The container's name.",
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/create-container ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Blob Data Contributor", "Storage Blob Data Owner"] },
      run: createContainer,
    },
    "azure-storage-container-delete": {
      description: "Deletes a container and its blobs.",
      arguments: [containerName],
      // learn.microsoft.com/rest/api/storageservices/delete-container ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Blob Data Contributor", "Storage Blob Data Owner"] },
      run: deleteContainer,
    },
    "azure-storage-container-blob-create": {
      description: "Uploads a text blob (a block blob).",
      arguments: [
        containerName,
        ...uploadArguments,
        { name: "blob_name", description: "The blob's name (default: the file's name)." },
      ],
      outputs: [...containerAndBlobOutputs],
      // learn.microsoft.com/rest/api/storageservices/put-blob ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Blob Data Contributor", "Storage Blob Data Owner"] },
      run: createBlob,
    },
    "azure-storage-container-blob-delete": {
      description: "Deletes a blob and its snapshots.",
      arguments: [containerName, blobName],
      // learn.microsoft.com/rest/api/storageservices/delete-blob ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Blob Data Contributor", "Storage Blob Data Owner"] },
      run: deleteBlob,
    },
    "azure-storage-container-blob-update": {
      description: "Replaces a blob's content (Put Blob over it).",
      arguments: [containerName, ...uploadArguments, blobName],
      outputs: [...containerAndBlobOutputs],
      // learn.microsoft.com/rest/api/storageservices/put-blob ("Authorization"); least privileged role first.
      permissions: BLOB_WRITE,
      run: updateBlob,
    },
    "azure-storage-container-property-get": {
      description: "Shows a container's properties.",
      arguments: [containerName],
      outputs: [
        ...(
          [
            ["last_modified", "date", "When it last changed."],
            ["etag", "string", "Its ETag."],
            ["lease_status", "string", "locked or unlocked."],
            ["lease_state", "string", "available, leased, expired, breaking or broken."],
            ["has_immutability_policy", "string", "Whether an immutability policy is set."],
            ["has_legal_hold", "string", "Whether a legal hold is set."],
          ] as const
        ).map(([field, type, description]) => ({
          path: `AzureStorageContainer.Container.Property.${field}`,
          type,
          description,
        })),
        {
          path: "AzureStorageContainer.Container.name",
          type: "string",
          description: "The container's name.",
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/get-container-properties ("Authorization").
      permissions: BLOB_READ,
      run: getContainerProperties,
    },
    "azure-storage-container-blob-property-get": {
      description: "Shows a blob's properties.",
      arguments: [containerName, blobName],
      outputs: [
        ...(
          [
            ["last_modified", "date", "When it last changed."],
            ["etag", "string", "Its ETag."],
            ["lease_status", "string", "locked or unlocked."],
            ["lease_state", "string", "Its lease state."],
            ["blob_type", "string", "BlockBlob, PageBlob or AppendBlob."],
            ["content_length", "number", "Its size in bytes."],
            ["content_type", "string", "Its content type."],
            ["content-md5", "string", "Its MD5 hash (base64)."],
            ["creation_time", "date", "When it was created."],
          ] as const
        ).map(([field, type, description]) => ({
          path: `AzureStorageContainer.Container.Blob.Property.${field}`,
          type,
          description,
        })),
        ...containerAndBlobOutputs.slice(1),
      ],
      // learn.microsoft.com/rest/api/storageservices/get-blob-properties ("Authorization").
      permissions: BLOB_READ,
      run: getBlobProperties,
    },
    "azure-storage-container-blob-property-set": {
      description: "Sets a blob's content properties (those not given are cleared, as the service does).",
      arguments: [
        containerName,
        blobName,
        { name: "content_type", description: "The blob's content type." },
        { name: "content_md5", description: "The blob's MD5 hash (base64)." },
        { name: "content_encoding", description: "The blob's content encoding." },
        { name: "content_language", description: "The blob's content language." },
        { name: "content_disposition", description: "The blob's Content-Disposition." },
        { name: "cache_control", description: "The blob's Cache-Control." },
        { name: "request_id", description: "A client request ID for the service's logs." },
        { name: "lease_id", description: "The blob's active lease ID, if it has one." },
      ],
      // learn.microsoft.com/rest/api/storageservices/set-blob-properties ("Authorization").
      permissions: BLOB_WRITE,
      run: setBlobProperties,
    },
    "azure-storage-container-blob-tag-get": {
      description: "Shows a blob's index tags.",
      arguments: [containerName, blobName],
      outputs: [
        { path: "AzureStorageContainer.Container.Blob.Tag.Key", type: "string", description: "A tag's key." },
        { path: "AzureStorageContainer.Container.Blob.Tag.Value", type: "string", description: "Its value." },
        ...containerAndBlobOutputs,
      ],
      // learn.microsoft.com/rest/api/storageservices/get-blob-tags ("Authorization").
      permissions: BLOB_TAGS,
      run: getBlobTags,
    },
    "azure-storage-container-blob-tag-set": {
      description: "Replaces a blob's index tags.",
      arguments: [
        containerName,
        blobName,
        { name: "tags", description: 'The tags as JSON: {"tag-name-1": "tag-value-1"}.', required: true },
      ],
      // learn.microsoft.com/rest/api/storageservices/set-blob-tags ("Authorization").
      permissions: BLOB_TAGS,
      run: setBlobTags,
    },
    "azure-storage-container-block-public-access": {
      description: "Makes a container's data private (no anonymous read access).",
      arguments: [containerName],
      // Set Container ACL (learn.microsoft.com/rest/api/storageservices/set-container-acl): with Microsoft Entra ID,
      // the Microsoft.Storage/storageAccounts/blobServices/containers/setAcl/action of Storage Blob Data Owner.
      permissions: { rbac: ["Storage Blob Data Owner"] },
      run: blockPublicAccess,
    },
    "azure-storage-container-sas-create": {
      description:
        "Creates a service SAS token for the container (or one blob), signed with the storage account key; nothing is sent to Azure.",
      arguments: [
        containerName,
        {
          name: "expiry_time",
          description: "Hours until the token expires.",
          required: true,
          defaultValue: "1",
        },
        {
          name: "signed_resources",
          description:
            "c: the container; b, bv, bs: one blob (give blob_name). d (a directory) is not offered.",
          required: true,
          defaultValue: "c",
          predefined: ["c", "b", "bv", "bs", "d"],
        },
        {
          name: "signed_permissions",
          description: "Permission letters, e.g. r, rl, racwdl.",
          required: true,
          defaultValue: "r",
        },
        { name: "signed_ip", description: "An IP address or range the token is limited to." },
        { name: "account_key", description: "The storage account's key (base64), which signs the token." },
        { name: "blob_name", description: "msint only: the blob a b, bv or bs token signs." },
      ],
      outputs: [
        {
          path: "AzureStorageContainer.Container.SAS.token",
          type: "string",
          description: "msint: the SAS token (query string).",
        },
        {
          path: "AzureStorageContainer.Container.SAS.expiry",
          type: "date",
          description: "msint: when the token expires.",
        },
      ],
      // No Azure call: the account key signs the token (learn.microsoft.com/rest/api/storageservices/create-service-sas).
      // Whoever holds the key has the account's full access (Storage Account Key Operator Service Role lists keys).
      permissions: {
        rbac: ["the storage account key (Storage Account Key Operator Service Role to list it)"],
      },
      run: createSas,
    },
  },
});
