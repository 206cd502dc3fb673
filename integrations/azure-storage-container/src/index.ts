import { defineIntegration, storage } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  createBlob,
  createContainer,
  deleteBlob,
  deleteContainer,
  getBlob,
  listBlobs,
  listContainers,
} from "./containers.js";

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
  description: "How many to list, at most (1-5000).",
  defaultValue: "50",
} as const;

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
      arguments: [prefix, limit],
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
      arguments: [containerName, prefix, limit],
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
          description: "Anonymous read access: blob or container (default: none).",
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
        blobName,
        { name: "content", description: "The blob's text content.", required: true },
        {
          name: "content_type",
          description: "The blob's content type.",
          defaultValue: "text/plain; charset=utf-8",
        },
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
  },
});
