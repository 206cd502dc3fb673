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

/** Microsoft Management Activity API (O365 Azure Events): the Office 365 Management Activity API's audit feed. */
export default defineIntegration({
  id: "microsoft-management-activity",
  version: packageJson.version,
  displayName: "Microsoft Management Activity API (O365 Azure Events)",
  commandPrefix: "ms-management-activity",
  description: "Starts, stops and lists audit-log subscriptions and lists available audit content.",
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
      key: "audited_tenant_id",
      displayName: "Audited Tenant ID",
      type: "string",
      help: "The Directory (tenant) ID whose audit logs the feed returns: Azure Portal > Microsoft Entra ID > Overview > Tenant ID.",
    },
    {
      key: "publisher_identifier",
      displayName: "Publisher Identifier",
      type: "string",
      help: "Your tenant ID as the PublisherIdentifier of every request, so Microsoft counts the throttling quota against it. Defaults to Audited Tenant ID.",
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
        "Lists the content blobs available for a content type in a time window (at most 24 hours).",
      arguments: [
        contentType,
        { name: "start_time", description: "Start of the window, ISO 8601 UTC (default: 24 hours ago)." },
        { name: "end_time", description: "End of the window, ISO 8601 UTC (default: now)." },
      ],
      outputs: [
        {
          path: "MicrosoftManagement.Content.contentId",
          type: "string",
          description: "The content blob's ID.",
        },
        {
          path: "MicrosoftManagement.Content.contentUri",
          type: "string",
          description: "Where to download it.",
        },
        {
          path: "MicrosoftManagement.Content.contentCreated",
          type: "date",
          description: "When it was created.",
        },
      ],
      permissions: activityFeed,
      run: listContent,
    },
  },
  test: testFeed,
});
