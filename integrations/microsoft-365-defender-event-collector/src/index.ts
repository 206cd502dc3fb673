import { defenderForEndpoint, defineIntegration } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { getEvent, getEvents } from "./events.js";

const eventOutputs = [
  { path: "Microsoft365Defender.Alert.id", type: "string", description: "The alert's ID." },
  { path: "Microsoft365Defender.Alert.title", type: "string", description: "The alert's title." },
  { path: "Microsoft365Defender.Alert.severity", type: "string", description: "The alert's severity." },
  { path: "Microsoft365Defender.Alert.alertCreationTime", type: "date", description: "When it was created." },
  { path: "Microsoft365Defender.Alert.evidence", type: "unknown", description: "The alert's evidence." },
] as const;

// Command names and arguments from demisto/content Packs/MicrosoftDefenderAdvancedThreatProtection/Integrations/
// Microsoft365DefenderEventCollector/Microsoft365DefenderEventCollector.yml, commit 7a5519d6
// (data/xsoar/microsoft-365-defender-event-collector.json), where the integration and its commands are now deprecated.

/** Microsoft 365 Defender Event Collector (XSIAM): collects Defender for Endpoint alerts, with their evidence, as events. */
export default defineIntegration({
  id: "microsoft-365-defender-event-collector",
  version: packageJson.version,
  displayName: "Microsoft 365 Defender Event Collector - XSIAM",
  commandPrefix: "microsoft-365-defender",
  description: "Reads Defender alerts with evidence as events, oldest first, from a time on.",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: "saas",
    nationalClouds: false,
  },
  resource: defenderForEndpoint({ application: [".default"] }),
  permissions: { application: ["Alert.Read.All"] },
  commands: {
    "microsoft-365-defender-get-events": {
      description:
        "Gets alerts created after a time, oldest first, with their evidence (what fetch-events collects).",
      arguments: [
        { name: "limit", description: "The most events to return (1-10000).", defaultValue: "1000" },
        {
          name: "first_fetch",
          description: 'Only alerts created after this time: relative ("3 days", "12 hours") or ISO 8601.',
          defaultValue: "3 days",
        },
        {
          name: "push_to_xsiam",
          description: "XSOAR pushes the events to XSIAM with true; msint only prints them and refuses true.",
          predefined: ["false", "true"],
          defaultValue: "false",
        },
      ],
      outputs: eventOutputs,
      // learn.microsoft.com/defender-endpoint/api/get-alerts
      permissions: { application: ["Alert.Read.All", "Alert.ReadWrite.All"] },
      run: getEvents,
    },
    "microsoft-365-defender-get-event": {
      description: "msint only: gets one alert with its evidence.",
      arguments: [{ name: "alert_id", description: "The alert's ID.", required: true }],
      outputs: eventOutputs,
      // learn.microsoft.com/defender-endpoint/api/get-alert-info-by-id
      permissions: { application: ["Alert.Read.All", "Alert.ReadWrite.All"] },
      run: getEvent,
    },
  },
  async test({ api }) {
    await api.get("/api/alerts", { $top: 1 }, { expect: "collection" });
  },
});
