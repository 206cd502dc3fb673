import { defineIntegration, office365Management } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  listContent,
  listSubscriptions,
  startSubscription,
  stopSubscription,
  testFeed,
} from "./activity-feed.js";

// learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-reference: every
// operation needs ActivityFeed.Read; ActivityFeed.ReadDlp includes it (and DLP.All's sensitive data).
const activityFeed = {
  application: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
  delegated: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
} as const;

const contentType = {
  name: "content_type",
  description: "The content type.",
  required: true,
  predefined: [
    "Audit.AzureActiveDirectory",
    "Audit.Exchange",
    "Audit.SharePoint",
    "Audit.General",
    "DLP.All",
  ],
} as const;

// Command names, arguments, outputs and the broker app name from demisto/content
// Packs/MicrosoftManagementActivity/Integrations/MicrosoftManagementActivity/MicrosoftManagementActivity.yml (and
// .py), commit 5bd13364 (data/xsoar/microsoft-management-activity.json). The feed's tenant is the access token's
// tid claim, as there.

/** Microsoft Management Activity API (O365 Azure Events): the Office 365 Management Activity API's audit feed. */
export default defineIntegration({
  id: "microsoft-management-activity",
  version: packageJson.version,
  displayName: "Microsoft Management Activity API (O365 Azure Events)",
  commandPrefix: "ms-management-activity",
  // XSOAR's APP_NAME (MicrosoftManagementActivity.py).
  brokerAppName: "ms-management-api",
  description:
    "Starts, stops and lists audit-log subscriptions and returns the audit records of the available content.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: false,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: office365Management({
    application: [".default"],
    delegated: ["ActivityFeed.Read", "ActivityFeed.ReadDlp", "offline_access"],
  }),
  permissions: {
    delegated: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
    application: ["ActivityFeed.Read"],
  },
  parameters: [
    {
      key: "publisher_identifier",
      displayName: "Publisher Identifier",
      type: "string",
      help: "msint only: the PublisherIdentifier of every request, so Microsoft counts the throttling quota against it. Defaults to the tenant of the access token.",
    },
  ],
  commands: {
    "ms-management-activity-list-subscriptions": {
      description: "Lists the content types the tenant is subscribed to.",
      outputs: [
        {
          path: "MicrosoftManagement.Subscription.ContentType",
          type: "string",
          description: "The content type.",
        },
        {
          path: "MicrosoftManagement.Subscription.Enabled",
          type: "boolean",
          description: "Whether it is enabled.",
        },
      ],
      permissions: activityFeed,
      run: listSubscriptions,
    },
    "ms-management-activity-start-subscription": {
      description: "Starts a subscription to a content type.",
      arguments: [contentType],
      permissions: activityFeed,
      run: startSubscription,
    },
    "ms-management-activity-stop-subscription": {
      description: "Stops a subscription to a content type.",
      arguments: [contentType],
      permissions: activityFeed,
      run: stopSubscription,
    },
    "ms-management-activity-list-content": {
      description:
        "Downloads the content blobs of a content type in a time window (at most 24 hours) and returns their audit records.",
      arguments: [
        contentType,
        { name: "start_time", description: "Start of the window, ISO 8601 UTC (default: 24 hours ago)." },
        { name: "end_time", description: "End of the window, ISO 8601 UTC (default: now)." },
        {
          name: "record_types_filter",
          description:
            "Comma-separated record types (AuditLogRecordType names such as AzureActiveDirectoryStsLogon, or numbers) to keep.",
        },
        {
          name: "workloads_filter",
          description: "Comma-separated workloads (e.g. Exchange, SharePoint) to keep.",
        },
        { name: "operations_filter", description: "Comma-separated operations (e.g. UserLoggedIn) to keep." },
        { name: "timeout", description: "Seconds to wait for each answer of the API." },
      ],
      outputs: [
        { path: "MicrosoftManagement.ContentRecord.ID", type: "string", description: "The record's ID." },
        {
          path: "MicrosoftManagement.ContentRecord.CreationTime",
          type: "date",
          description: "When the activity happened (UTC).",
        },
        {
          path: "MicrosoftManagement.ContentRecord.RecordType",
          type: "number",
          description: "The record type (AuditLogRecordType).",
        },
        {
          path: "MicrosoftManagement.ContentRecord.Operation",
          type: "string",
          description: "The operation.",
        },
        {
          path: "MicrosoftManagement.ContentRecord.UserType",
          type: "number",
          description: "The type of user who performed it.",
        },
        {
          path: "MicrosoftManagement.ContentRecord.OrganizationID",
          type: "string",
          description: "The tenant's ID.",
        },
        {
          path: "MicrosoftManagement.ContentRecord.UserKey",
          type: "string",
          description: "An alternative ID of the user.",
        },
        {
          path: "MicrosoftManagement.ContentRecord.ClientIP",
          type: "string",
          description: "The client's IP.",
        },
        {
          path: "MicrosoftManagement.ContentRecord.Scope",
          type: "number",
          description: "Online or on-premises.",
        },
        { path: "MicrosoftManagement.ContentRecord.Workload", type: "string", description: "The workload." },
        {
          path: "MicrosoftManagement.ContentRecord.ResultsStatus",
          type: "string",
          description: "Whether the operation succeeded.",
        },
        {
          path: "MicrosoftManagement.ContentRecord.ObjectID",
          type: "string",
          description: "The object acted on.",
        },
        { path: "MicrosoftManagement.ContentRecord.UserID", type: "string", description: "The user's UPN." },
      ],
      permissions: activityFeed,
      run: listContent,
    },
  },
  test: testFeed,
});
