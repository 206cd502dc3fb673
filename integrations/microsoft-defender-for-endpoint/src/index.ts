import { defenderForEndpoint, defineIntegration } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { commands } from "./commands.js";

// XSOAR's integration "Microsoft Defender for Endpoint": the broker app name `ms-defender-atp` (APP_NAME) and the
// command prefix `microsoft-atp` from demisto/content
// Packs/MicrosoftDefenderAdvancedThreatProtection/Integrations/MicrosoftDefenderAdvancedThreatProtection/
// MicrosoftDefenderAdvancedThreatProtection.py and .yml (commit 85cc6399, data/xsoar/microsoft-defender-for-endpoint.json).

/** Microsoft Defender for Endpoint (Defender ATP): machines, alerts, response actions, indicators and hunting. */
export default defineIntegration({
  id: "microsoft-defender-for-endpoint",
  version: packageJson.version,
  displayName: "Microsoft Defender for Endpoint (Defender ATP)",
  commandPrefix: "microsoft-atp",
  brokerAppName: "ms-defender-atp",
  description:
    "Machines and their alerts, users, files and domains; isolation, app restriction, scans, investigation packages and other response actions; alerts, investigations, custom indicators, vulnerabilities and software, and advanced hunting.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: true,
  },
  resource: defenderForEndpoint({
    application: [".default"],
    delegated: [
      "Machine.Read",
      "Machine.ReadWrite",
      "Machine.Isolate",
      "Machine.RestrictExecution",
      "Machine.Scan",
      "Machine.CollectForensics",
      "Machine.StopAndQuarantine",
      "Machine.Offboard",
      "Alert.ReadWrite",
      "AdvancedQuery.Read",
      "Ti.ReadWrite",
      "File.Read.All",
      "URL.Read.All",
      "Ip.Read.All",
      "User.Read.All",
      "Software.Read",
      "Vulnerability.Read",
      "Machine.LiveResponse",
      "offline_access",
    ],
  }),
  permissions: {
    application: [
      "Machine.Read.All",
      "Machine.ReadWrite.All",
      "Machine.Isolate",
      "Machine.RestrictExecution",
      "Machine.Scan",
      "Machine.CollectForensics",
      "Machine.StopAndQuarantine",
      "Machine.Offboard",
      "Alert.ReadWrite.All",
      "AdvancedQuery.Read.All",
      "Ti.ReadWrite.All",
      "File.Read.All",
      "URL.Read.All",
      "Ip.Read.All",
      "User.Read.All",
      "Software.Read.All",
      "Vulnerability.Read.All",
      "Machine.LiveResponse",
    ],
    delegated: [
      "Machine.ReadWrite",
      "Machine.Isolate",
      "Machine.RestrictExecution",
      "Machine.Scan",
      "Machine.CollectForensics",
      "Machine.StopAndQuarantine",
      "Machine.Offboard",
      "Alert.ReadWrite",
      "AdvancedQuery.Read",
      "Ti.ReadWrite",
      "Software.Read",
      "Vulnerability.Read",
    ],
  },
  commands,
  async test({ api }) {
    // get-alerts: one alert, only the documented $top.
    await api.get("/api/alerts", { $top: 1 }, { expect: "collection" });
  },
});
