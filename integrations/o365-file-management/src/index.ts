import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { listDriveContent, listDrivesInSite, listSharePointSites } from "./files.js";

// Permissions: the "Permissions" table of each call's page under learn.microsoft.com/graph/api/, least privileged
// first.
/** site-search. */
const SITES_READ = {
  application: ["Sites.Read.All", "Sites.ReadWrite.All"],
  delegated: ["Sites.Read.All", "Sites.ReadWrite.All"],
};
/** drive-list, driveitem-list-children. */
const FILES_READ = {
  application: ["Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"],
  delegated: [
    "Files.Read",
    "Files.ReadWrite",
    "Files.Read.All",
    "Files.ReadWrite.All",
    "Sites.Read.All",
    "Sites.ReadWrite.All",
  ],
};

// Names, arguments and the broker app name from demisto/content
// Packs/MicrosoftGraphFiles/Integrations/MicrosoftGraphFiles/MicrosoftGraphFiles.yml (data/xsoar/o365-file-management.json).
/** O365 File Management: SharePoint sites, OneDrive drives and their files through Microsoft Graph. */
export default defineIntegration({
  id: "o365-file-management",
  version: packageJson.version,
  displayName: "O365 File Management",
  commandPrefix: "msgraph-files",
  description: "Searches SharePoint sites and browses their drives and files, with XSOAR's command names.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it.
  brokerAppName: "ms-graph-files",
  resource: graph({
    application: [".default"],
    delegated: ["Sites.Read.All", "Files.ReadWrite.All", "offline_access"],
  }),
  permissions: {
    application: ["Sites.ReadWrite.All", "Files.ReadWrite.All"],
    delegated: ["Sites.Read.All", "Files.ReadWrite.All"],
  },
  deprecatedAliases: {
    "msgraph-files-list-sharepoint-sites": "msgraph-list-sharepoint-sites",
    "msgraph-files-list-drives-in-site": "msgraph-list-drives-in-site",
    "msgraph-files-list-drive-content": "msgraph-list-drive-content",
  },
  commands: {
    "msgraph-list-sharepoint-sites": {
      description: "Searches the SharePoint sites of the tenant.",
      arguments: [
        { name: "keyword", description: "The search keyword (* for every site).", defaultValue: "*" },
      ],
      outputs: [
        { path: "MsGraphFiles.ListSites.Sites.id", type: "string", description: "The site's ID." },
        { path: "MsGraphFiles.ListSites.Sites.name", type: "string", description: "The site's name." },
        { path: "MsGraphFiles.ListSites.Sites.webUrl", type: "string", description: "The site's URL." },
        {
          path: "MsGraphFiles.ListSites.Sites.displayName",
          type: "string",
          description: "The site's display name.",
        },
      ],
      // site-search
      permissions: SITES_READ,
      run: listSharePointSites,
    },
    "msgraph-list-drives-in-site": {
      description: "Lists the document libraries (drives) of a site.",
      arguments: [
        { name: "site_id", description: "The site's ID.", required: true },
        { name: "limit", description: "The most drives to return (1-200).", defaultValue: "50" },
        {
          name: "next_page_url",
          description: "A previous answer's NextToken (@odata.nextLink): read that page.",
        },
      ],
      outputs: [
        { path: "MsGraphFiles.ListDrives.Value.id", type: "string", description: "The drive's ID." },
        { path: "MsGraphFiles.ListDrives.Value.name", type: "string", description: "The drive's name." },
        {
          path: "MsGraphFiles.ListDrives.Value.driveType",
          type: "string",
          description: "documentLibrary, business …",
        },
        { path: "MsGraphFiles.ListDrives.Value.webUrl", type: "string", description: "The drive's URL." },
      ],
      // drive-list (GET /sites/{id}/drives)
      permissions: FILES_READ,
      run: listDrivesInSite,
    },
    "msgraph-list-drive-content": {
      description: "Lists the files and folders of a drive's root or of a folder.",
      arguments: [
        {
          name: "object_type",
          description: "Where the drive is.",
          defaultValue: "drives",
          predefined: ["drives", "groups", "sites", "users"],
        },
        { name: "object_type_id", description: "The ID of the drive, group, site or user.", required: true },
        { name: "item_id", description: "A folder's ID (default: the root)." },
        { name: "limit", description: "The most items to return (1-200).", defaultValue: "50" },
        {
          name: "next_page_url",
          description: "A previous answer's NextToken (@odata.nextLink): read that page.",
        },
      ],
      outputs: [
        { path: "MsGraphFiles.ListChildren.Children.id", type: "string", description: "The item's ID." },
        { path: "MsGraphFiles.ListChildren.Children.name", type: "string", description: "The item's name." },
        {
          path: "MsGraphFiles.ListChildren.Children.size",
          type: "number",
          description: "The item's size in bytes.",
        },
        {
          path: "MsGraphFiles.ListChildren.Children.lastModifiedDateTime",
          type: "date",
          description: "When it last changed.",
        },
      ],
      // driveitem-list-children
      permissions: FILES_READ,
      run: listDriveContent,
    },
  },
  testPermissions: SITES_READ,
  async test({ api }) {
    await api.get("/v1.0/sites", { search: "*", $top: 1 }, { expect: "collection" });
  },
});
