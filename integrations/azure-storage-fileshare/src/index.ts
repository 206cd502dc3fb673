import { defineIntegration, storage } from "@msint/integration-kit";
import { createDirectory, createShare, deleteDirectory, deleteShare } from "./shares.js";

const shareName = { name: "share_name", description: "The share's name.", required: true } as const;
const directoryPath = {
  name: "directory_path",
  description: "The directory's path in the share, e.g. reports/2024.",
  required: true,
} as const;

/** Azure Storage FileShare: file shares and directories of a storage account's File service (account SAS only). */
export default defineIntegration({
  id: "azure-storage-fileshare",
  displayName: "Azure Storage FileShare",
  commandPrefix: "azure-storage-fileshare",
  description:
    "Creates and deletes file shares and directories. Authenticates with an account SAS token only.",
  flows: {
    xsoarApp: false,
    clientCredentials: false,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: false,
    nationalClouds: false,
  },
  resource: storage("file"),
  commands: {
    "azure-storage-fileshare-create": {
      description: "Creates a file share.",
      arguments: [shareName, { name: "quota_gb", description: "The share's quota in GiB (1-102400)." }],
      outputs: [
        { path: "AzureStorageFileShare.Share.Name", type: "string", description: "The share's name." },
      ],
      run: createShare,
    },
    "azure-storage-fileshare-delete": {
      description: "Deletes a file share and its snapshots.",
      arguments: [shareName],
      run: deleteShare,
    },
    "azure-storage-fileshare-directory-create": {
      description: "Creates a directory in a share (its parent must exist).",
      arguments: [shareName, directoryPath],
      outputs: [
        { path: "AzureStorageFileShare.Share.Name", type: "string", description: "The share's name." },
        {
          path: "AzureStorageFileShare.Share.Directory",
          type: "string",
          description: "The directory created.",
        },
      ],
      run: createDirectory,
    },
    "azure-storage-fileshare-directory-delete": {
      description: "Deletes an empty directory.",
      arguments: [shareName, directoryPath],
      run: deleteDirectory,
    },
  },
});
