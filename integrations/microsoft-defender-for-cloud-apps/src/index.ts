import { defenderForCloudApps, defineIntegration } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { closeAlerts } from "./close-alerts.js";
import { listActivities, listAlerts, listFiles, listUsersAccounts } from "./cloud-apps.js";

// Command names and arguments from demisto/content
// Packs/MicrosoftCloudAppSecurity/Integrations/MicrosoftCloudAppSecurity/MicrosoftCloudAppSecurity.yml, commit
// 00b87225 (data/xsoar/microsoft-defender-for-cloud-apps.json). That table is an older (2021) copy: the
// integration's later version (device code, microsoft-cas-auth-*) could not be read, so its app name and client
// ID are not known here.

const limit = {
  name: "limit",
  description: "The most entries to return (1-100).",
  defaultValue: "50",
} as const;
const skip = { name: "skip", description: "How many entries to skip.", defaultValue: "0" } as const;
const customFilter = {
  name: "custom_filter",
  description:
    'The API\'s filters as a JSON object, e.g. {"severity":{"eq":2}}; given, it replaces the other filter arguments.',
} as const;
const closeArguments = [
  { name: "alert_ids", description: "Comma-separated alert IDs." },
  customFilter,
  { name: "comment", description: "A comment." },
  {
    name: "sendFeedback",
    description: "Whether to send feedback to Microsoft.",
    predefined: ["false", "true"],
    defaultValue: "false",
  },
  { name: "feedbackText", description: "The feedback (with sendFeedback=true)." },
  {
    name: "allowContact",
    description: "Whether Microsoft may contact you about it.",
    predefined: ["false", "true"],
    defaultValue: "false",
  },
  { name: "contactEmail", description: "The e-mail address to contact (with allowContact=true)." },
] as const;
// learn.microsoft.com/defender-cloud-apps/api-alerts-close-benign, -false-positive, -true-positive
const investigationManage = { application: ["Investigation.manage"], delegated: ["investigation.manage"] };
// learn.microsoft.com/defender-cloud-apps/api-authentication-application: Investigation.read reads activities,
// alerts and files; Investigation.manage also closes alerts.
const investigationRead = {
  application: ["Investigation.read", "Investigation.manage"],
  delegated: ["investigation.read", "investigation.manage"],
} as const;

/** Microsoft Defender for Cloud Apps: alerts, activities and files of the Cloud Apps API. */
export default defineIntegration({
  id: "microsoft-defender-for-cloud-apps",
  version: packageJson.version,
  displayName: "Microsoft Defender for Cloud Apps",
  commandPrefix: "microsoft-cas",
  description:
    "Lists alerts, activities, files and users and accounts, and closes alerts as benign, false positive or true positive.",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: false,
    managedIdentities: false,
    nationalClouds: true,
  },
  resource: defenderForCloudApps({
    application: [".default"],
    delegated: ["investigation.read", "offline_access"],
  }),
  permissions: {
    application: ["Investigation.read", "Investigation.manage"],
    delegated: ["investigation.read"],
  },
  commands: {
    "microsoft-cas-alerts-list": {
      description: "Lists alerts, newest first.",
      arguments: [
        {
          name: "severity",
          description: "Only alerts of this severity.",
          predefined: ["Low", "Medium", "High"],
        },
        {
          name: "resolution_status",
          description: "Only alerts in this state.",
          predefined: ["Open", "Dismissed", "Resolved"],
        },
        limit,
        skip,
        customFilter,
        { name: "alert_id", description: "One alert by ID (the filters are then ignored)." },
      ],
      outputs: [
        { path: "MicrosoftCloudAppSecurity.Alerts._id", type: "string", description: "The alert's ID." },
        { path: "MicrosoftCloudAppSecurity.Alerts.title", type: "string", description: "The alert's title." },
        {
          path: "MicrosoftCloudAppSecurity.Alerts.severityValue",
          type: "number",
          description: "0 low, 1 medium, 2 high.",
        },
        {
          path: "MicrosoftCloudAppSecurity.Alerts.resolutionStatusValue",
          type: "number",
          description: "0 open, 1 dismissed, 2 resolved.",
        },
        {
          path: "MicrosoftCloudAppSecurity.Alerts.timestamp",
          type: "number",
          description: "When it was raised (epoch ms).",
        },
      ],
      permissions: investigationRead,
      run: listAlerts,
    },
    "microsoft-cas-activities-list": {
      description: "Lists activities, newest first.",
      arguments: [
        { name: "ip", description: "Only activities from this IP address." },
        {
          name: "ip_category",
          description: "Only activities from IP addresses of this category.",
          predefined: ["Corporate", "Administrative", "Risky", "VPN", "Cloud_provider", "Other"],
        },
        {
          name: "taken_action",
          description: "Only activities where this action was taken (e.g. block, proxy).",
        },
        {
          name: "source",
          description: "Only activities from this source.",
          predefined: [
            "Access_control",
            "Session_control",
            "App_connector",
            "App_connector_analysis",
            "Discovery",
            "MDATP",
          ],
        },
        limit,
        skip,
        customFilter,
        { name: "activity_id", description: "One activity by ID (the filters are then ignored)." },
      ],
      outputs: [
        {
          path: "MicrosoftCloudAppSecurity.Activities._id",
          type: "string",
          description: "The activity's ID.",
        },
        {
          path: "MicrosoftCloudAppSecurity.Activities.description",
          type: "string",
          description: "What happened.",
        },
        {
          path: "MicrosoftCloudAppSecurity.Activities.timestamp",
          type: "number",
          description: "When (epoch ms).",
        },
      ],
      permissions: investigationRead,
      run: listActivities,
    },
    "microsoft-cas-files-list": {
      description: "Lists files seen in connected apps.",
      arguments: [
        { name: "filename", description: "msint only: only files with this name." },
        {
          name: "file_type",
          description: "Only files of this type.",
          predefined: ["Other", "Document", "Spreadsheet", "Presentation", "Text", "Image", "Folder"],
        },
        {
          name: "sharing",
          description: "Only files shared this way.",
          predefined: ["Private", "Internal", "External", "Public", "Public_Internet"],
        },
        { name: "extension", description: "Only files with this extension (e.g. xlsx)." },
        {
          name: "quarantined",
          description: "Only quarantined (True) or other (False) files.",
          predefined: ["True", "False"],
        },
        limit,
        skip,
        customFilter,
        { name: "file_id", description: "One file by ID (the filters are then ignored)." },
      ],
      outputs: [
        { path: "MicrosoftCloudAppSecurity.Files._id", type: "string", description: "The file's ID." },
        { path: "MicrosoftCloudAppSecurity.Files.name", type: "string", description: "The file's name." },
        { path: "MicrosoftCloudAppSecurity.Files.ownerAddress", type: "string", description: "The owner." },
      ],
      permissions: investigationRead,
      run: listFiles,
    },
    "microsoft-cas-alert-close-true-positive": {
      description: "Closes alerts as true positives.",
      arguments: closeArguments,
      permissions: investigationManage,
      run: (context) => closeAlerts(context, "true_positive"),
    },
    "microsoft-cas-alert-close-benign": {
      description: "Closes alerts as benign (true, but not a threat).",
      arguments: [
        ...closeArguments,
        { name: "reasonId", description: "The reason, a number the API documents for close-benign (0-3)." },
      ],
      permissions: investigationManage,
      run: (context) => closeAlerts(context, "benign"),
    },
    "microsoft-cas-alert-close-false-positive": {
      description: "Closes alerts as false positives.",
      arguments: [
        ...closeArguments,
        {
          name: "reasonId",
          description: "The reason.",
          predefined: ["Not of interest", "Too many similar alerts", "Alert is not accurate", "Other"],
        },
      ],
      permissions: investigationManage,
      run: (context) => closeAlerts(context, "false_positive"),
    },
    "microsoft-cas-users-accounts-list": {
      description: "Lists users and accounts.",
      arguments: [
        skip,
        limit,
        { name: "type", description: "user or account." },
        { name: "group_id", description: "Only members of this user group (its _id)." },
        { name: "is_admin", description: "true: only administrators; false: only non-administrators." },
        {
          name: "is_external",
          description: "Only external, internal or unset entities.",
          predefined: ["External", "Internal", "No_value"],
        },
        {
          name: "status",
          description: "Only entities in this state.",
          predefined: ["N/A", "Staged", "Active", "Suspended", "Deleted"],
        },
        customFilter,
      ],
      outputs: [
        {
          path: "MicrosoftCloudAppSecurity.UsersAccounts._id",
          type: "string",
          description: "The entity's ID.",
        },
        { path: "MicrosoftCloudAppSecurity.UsersAccounts.id", type: "string", description: "The user's ID." },
        {
          path: "MicrosoftCloudAppSecurity.UsersAccounts.displayName",
          type: "string",
          description: "The display name.",
        },
        {
          path: "MicrosoftCloudAppSecurity.UsersAccounts.email",
          type: "string",
          description: "The e-mail address.",
        },
        {
          path: "MicrosoftCloudAppSecurity.UsersAccounts.isAdmin",
          type: "boolean",
          description: "An administrator.",
        },
        {
          path: "MicrosoftCloudAppSecurity.UsersAccounts.isExternal",
          type: "boolean",
          description: "From outside the organization.",
        },
        {
          path: "MicrosoftCloudAppSecurity.UsersAccounts.threatScore",
          type: "number",
          description: "The investigation priority score.",
        },
      ],
      // learn.microsoft.com/defender-cloud-apps/api-entities-list
      permissions: investigationRead,
      run: listUsersAccounts,
    },
  },
  async test({ api }) {
    await api.request({ expect: "object", method: "POST", path: "/api/v1/alerts/", body: { limit: 1 } });
  },
});
