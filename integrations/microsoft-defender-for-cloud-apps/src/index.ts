import { defenderForCloudApps, defineIntegration } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { closeAlertTruePositive, listActivities, listAlerts, listFiles } from "./cloud-apps.js";

const limit = {
  name: "limit",
  description: "The most entries to return (1-100).",
  defaultValue: "50",
} as const;
const skip = { name: "skip", description: "How many entries to skip.", defaultValue: "0" } as const;
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
  description: "Lists alerts, activities and files, and closes alerts as true positives.",
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
      arguments: [{ name: "ip", description: "Only activities from this IP address." }, limit, skip],
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
      arguments: [{ name: "filename", description: "Only files with this name." }, limit, skip],
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
      arguments: [
        { name: "alert_ids", description: "Comma-separated alert IDs.", required: true },
        { name: "comment", description: "A comment." },
      ],
      // learn.microsoft.com/defender-cloud-apps/api-alerts-close-true-positive
      permissions: { application: ["Investigation.manage"], delegated: ["investigation.manage"] },
      run: closeAlertTruePositive,
    },
  },
  async test({ api }) {
    await api.request({ expect: "object", method: "POST", path: "/api/v1/alerts/", body: { limit: 1 } });
  },
});
