import { defineIntegration, storage } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  createDirectory,
  createShare,
  deleteDirectory,
  deleteShare,
  getFile,
  listContent,
  listShares,
} from "./shares.js";

const shareName = { name: "share_name", description: "The share's name.", required: true } as const;
const directoryName = {
  name: "directory_name",
  description: "The directory's name.",
  required: true,
} as const;
const parentPath = {
  name: "directory_path",
  description:
    "The path of the parent directory in the share, e.g. reports/2024 (default: the share's root).",
} as const;

const prefix = { name: "prefix", description: "Only names that start with this." } as const;
const limit = {
  name: "limit",
  description: "How many to list, at most (1-5000).",
  defaultValue: "50",
} as const;
const page = {
  name: "page",
  description: "The page to return, from 1 (pages of limit entries).",
  defaultValue: "1",
} as const;

/**
 * Azure Storage FileShare: file shares and directories of a storage account's File service (account SAS only).
 * Command and argument names are XSOAR's, from demisto/content
 * Packs/AzureStorageFileShare/Integrations/AzureStorageFileShare/AzureStorageFileShare.yml
 * (data/xsoar/azure-storage-fileshare.json).
 */
export default defineIntegration({
  id: "azure-storage-fileshare",
  version: packageJson.version,
  displayName: "Azure Storage FileShare",
  commandPrefix: "azure-storage-fileshare",
  description:
    "Lists, creates and deletes file shares and directories, and lists and reads files. Authenticates with an account SAS token only.",
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
    "azure-storage-fileshare-list": {
      description: "Lists the storage account's file shares.",
      arguments: [prefix, limit, page],
      outputs: [
        { path: "AzureStorageFileShare.Share.Name", type: "string", description: "The share's name." },
        { path: "AzureStorageFileShare.Share.QuotaGb", type: "number", description: "Its quota in GiB." },
        {
          path: "AzureStorageFileShare.Share.LastModified",
          type: "date",
          description: "When the share last changed.",
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/list-shares ("Authorization"); least privileged role first.
      permissions: {
        rbac: ["Storage File Data Privileged Reader", "Storage File Data Privileged Contributor"],
      },
      run: listShares,
    },
    "azure-storage-fileshare-content-list": {
      description: "Lists the files and directories of a directory (the share's root by default).",
      arguments: [
        shareName,
        { name: "directory_path", description: "The directory's path in the share (default: its root)." },
        prefix,
        limit,
        page,
      ],
      outputs: [
        { path: "AzureStorageFileShare.Share.Name", type: "string", description: "The share's name." },
        {
          path: "AzureStorageFileShare.Share.Content.File.Name",
          type: "string",
          description: "A file's name.",
        },
        {
          path: "AzureStorageFileShare.Share.Content.File.Size",
          type: "number",
          description: "Its size in bytes.",
        },
        {
          path: "AzureStorageFileShare.Share.Content.Directory.Name",
          type: "string",
          description: "A directory's name.",
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/list-directories-and-files ("Authorization"); least privileged role first.
      permissions: {
        rbac: ["Storage File Data Privileged Reader", "Storage File Data Privileged Contributor"],
      },
      run: listContent,
    },
    "azure-storage-fileshare-file-get": {
      description: "Reads a text file.",
      arguments: [
        shareName,
        { name: "file_name", description: "The file's name.", required: true },
        {
          name: "directory_path",
          description: "The path of the file's directory in the share (default: its root).",
        },
      ],
      outputs: [
        { path: "AzureStorageFileShare.Share.File.Path", type: "string", description: "The file's path." },
        { path: "AzureStorageFileShare.Share.File.Content", type: "string", description: "Its content." },
        { path: "AzureStorageFileShare.Share.File.Size", type: "number", description: "Its size in bytes." },
      ],
      // learn.microsoft.com/rest/api/storageservices/get-file ("Authorization"); least privileged role first.
      permissions: {
        rbac: ["Storage File Data Privileged Reader", "Storage File Data Privileged Contributor"],
      },
      run: getFile,
    },
    "azure-storage-fileshare-create": {
      description: "Creates a file share.",
      arguments: [
        shareName,
        { name: "quota_gb", description: "msint only: the share's quota in GiB (1-102400)." },
      ],
      outputs: [
        { path: "AzureStorageFileShare.Share.Name", type: "string", description: "The share's name." },
      ],
      // learn.microsoft.com/rest/api/storageservices/create-share ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage File Data Privileged Contributor"] },
      run: createShare,
    },
    "azure-storage-fileshare-delete": {
      description: "Deletes a file share and its snapshots.",
      arguments: [shareName],
      // learn.microsoft.com/rest/api/storageservices/delete-share ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage File Data Privileged Contributor"] },
      run: deleteShare,
    },
    "azure-storage-fileshare-directory-create": {
      description: "Creates a directory in a share (its parent must exist).",
      arguments: [shareName, directoryName, parentPath],
      outputs: [
        { path: "AzureStorageFileShare.Share.Name", type: "string", description: "The share's name." },
        {
          path: "AzureStorageFileShare.Share.Directory",
          type: "string",
          description: "The directory created.",
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/create-directory ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage File Data Privileged Contributor"] },
      run: createDirectory,
    },
    "azure-storage-fileshare-directory-delete": {
      description: "Deletes an empty directory.",
      arguments: [shareName, directoryName, parentPath],
      // learn.microsoft.com/rest/api/storageservices/delete-directory ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage File Data Privileged Contributor"] },
      run: deleteDirectory,
    },
  },
});
