import { azureResourceManager, defineIntegration, subscriptionIdParameter } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { ALERTS_API_VERSION, getEvent, getEvents } from "./events.js";

// Defender for Cloud authorizes with Azure RBAC (learn.microsoft.com/azure/defender-for-cloud/permissions):
// Security Reader (or Security Admin, or Reader) on the subscription reads its alerts.
const SECURITY_READ = {
  delegated: ["user_impersonation"],
  rbac: ["Security Reader", "Security Admin", "Reader"],
} as const;

const eventOutputs = [
  { path: "MicrosoftDefenderForCloud.Alert.id", type: "string", description: "The alert's resource ID." },
  { path: "MicrosoftDefenderForCloud.Alert.name", type: "string", description: "The alert's name." },
  {
    path: "MicrosoftDefenderForCloud.Alert.properties.alertDisplayName",
    type: "string",
    description: "The alert's display name.",
  },
  {
    path: "MicrosoftDefenderForCloud.Alert.properties.severity",
    type: "string",
    description: "The alert's severity.",
  },
  {
    path: "MicrosoftDefenderForCloud.Alert.properties.timeGeneratedUtc",
    type: "date",
    description: "When the alert was generated.",
  },
] as const;

/**
 * Microsoft Defender for Cloud Event Collector (XSIAM): collects Defender for Cloud security alerts as events.
 * Command and argument names are XSOAR's, from demisto/content
 * Packs/AzureSecurityCenter/Integrations/MicrosoftDefenderForCloudEventCollector/MicrosoftDefenderForCloudEventCollector.yml
 * (data/xsoar/ms-defender-for-cloud-event-collector.json).
 */
export default defineIntegration({
  id: "ms-defender-for-cloud-event-collector",
  version: packageJson.version,
  displayName: "Microsoft Defender for Cloud Event Collector",
  commandPrefix: "ms-defender-for-cloud",
  description:
    "Reads Microsoft Defender for Cloud security alerts of a subscription as events, oldest first.",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: false,
    nationalClouds: false,
  },
  resource: azureResourceManager(),
  permissions: { application: ["Security Reader (Azure RBAC role on the subscription)"] },
  parameters: [subscriptionIdParameter("sub_id", "Subscription ID to use")],
  commands: {
    "ms-defender-for-cloud-get-events": {
      description:
        "Gets the subscription's security alerts generated after a time, oldest first (what fetch-events collects).",
      arguments: [
        {
          name: "should_push_events",
          description:
            "true to push the events to Cortex XSIAM; msint has no XSIAM dataset and only shows them.",
          defaultValue: "false",
          predefined: ["true", "false"],
        },
        { name: "limit", description: "The most events to return (1-1000).", defaultValue: "50" },
        {
          name: "first_fetch",
          description:
            "msint only (XSOAR's fetch keeps its own state): only alerts generated after this ISO 8601 time.",
        },
      ],
      outputs: eventOutputs,
      // Alerts - List (learn.microsoft.com/rest/api/defenderforcloud/alerts/list).
      permissions: SECURITY_READ,
      run: getEvents,
    },
    "ms-defender-for-cloud-get-event": {
      description: "msint only: gets one security alert by its location and name.",
      arguments: [
        {
          name: "location",
          description: "The Defender for Cloud location of the alert, e.g. centralus.",
          required: true,
        },
        { name: "alert_name", description: "The alert's name.", required: true },
      ],
      outputs: eventOutputs,
      // Alerts - Get Subscription Level (learn.microsoft.com/rest/api/defenderforcloud/alerts/get-subscription-level).
      permissions: SECURITY_READ,
      run: getEvent,
    },
  },
  // The subscription's alerts (what fetch-events reads); without a subscription the kit's probe lists
  // subscriptions instead.
  async test({ api, params }) {
    if (params["sub_id"]) {
      await api.get(
        `/subscriptions/${encodeURIComponent(String(params["sub_id"]).trim())}/providers/Microsoft.Security/alerts`,
        { "api-version": ALERTS_API_VERSION },
        { expect: "collection" },
      );
    }
  },
  testPermissions: SECURITY_READ,
});
