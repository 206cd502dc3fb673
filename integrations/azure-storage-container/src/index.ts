import { defineIntegration, storage } from "@msint/integration-kit";
import { createBlob, createContainer, deleteBlob, deleteContainer } from "./containers.js";

const containerName = {
  name: "container_name",
  description: "The container's name.",
  required: true,
} as const;
const blobName = { name: "blob_name", description: "The blob's name (path).", required: true } as const;

/** Azure Storage Container: blob containers and blobs of a storage account's Blob service. */
export default defineIntegration({
  id: "azure-storage-container",
  displayName: "Azure Storage Container",
  commandPrefix: "azure-storage-container",
  description: "Creates and deletes blob containers, and uploads and deletes blobs.",
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
      run: createContainer,
    },
    "azure-storage-container-delete": {
      description: "Deletes a container and its blobs.",
      arguments: [containerName],
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
      outputs: [
        {
          path: "AzureStorageContainer.Container.name",
          type: "string",
          description: "The container's name.",
        },
        {
          path: "AzureStorageContainer.Container.Blob.name",
          type: "string",
          description: "The blob's name.",
        },
      ],
      run: createBlob,
    },
    "azure-storage-container-blob-delete": {
      description: "Deletes a blob and its snapshots.",
      arguments: [containerName, blobName],
      run: deleteBlob,
    },
  },
});
