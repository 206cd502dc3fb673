import { defenderForEndpoint, defineIntegration } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { advancedHunting, getMachines, isolateMachine, listAlerts } from "./defender.js";

const machineOutputs = [
  { path: "MicrosoftATP.Machine.ID", type: "string", description: "The machine's ID." },
  { path: "MicrosoftATP.Machine.ComputerDNSName", type: "string", description: "The machine's DNS name." },
  { path: "MicrosoftATP.Machine.OSPlatform", type: "string", description: "The operating system." },
  { path: "MicrosoftATP.Machine.LastIPAddress", type: "string", description: "The last local IP address." },
  { path: "MicrosoftATP.Machine.HealthStatus", type: "string", description: "Active, Inactive …" },
  { path: "MicrosoftATP.Machine.RiskScore", type: "string", description: "None, Low, Medium or High." },
  { path: "MicrosoftATP.Machine.ExposureLevel", type: "string", description: "The exposure level." },
] as const;

/** Microsoft Defender for Endpoint (Defender ATP): machines, alerts, response actions and advanced hunting. */
export default defineIntegration({
  id: "microsoft-defender-for-endpoint",
  version: packageJson.version,
  displayName: "Microsoft Defender for Endpoint (Defender ATP)",
  commandPrefix: "microsoft-atp",
  description: "Lists machines and alerts, isolates machines and runs advanced hunting queries.",
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
    delegated: ["Machine.Read", "Machine.Isolate", "Alert.Read", "AdvancedQuery.Read", "offline_access"],
  }),
  permissions: {
    application: ["Machine.Read.All", "Machine.Isolate", "Alert.Read.All", "AdvancedQuery.Read.All"],
    delegated: ["Machine.Read", "Machine.Isolate", "Alert.Read", "AdvancedQuery.Read"],
  },
  commands: {
    "microsoft-atp-get-machines": {
      description: "Lists machines, optionally by name, IP or risk.",
      arguments: [
        { name: "hostname", description: "Only machines whose DNS name starts with this." },
        { name: "ip", description: "Only machines with this last IP address." },
        {
          name: "risk_score",
          description: "Only machines of this risk.",
          predefined: ["Low", "Medium", "High"],
        },
        { name: "limit", description: "The most machines to return (1-10000).", defaultValue: "50" },
      ],
      outputs: machineOutputs,
      // learn.microsoft.com/defender-endpoint/api/get-machines
      permissions: {
        application: ["Machine.Read.All", "Machine.ReadWrite.All"],
        delegated: ["Machine.Read", "Machine.ReadWrite"],
      },
      run: getMachines,
    },
    "microsoft-atp-list-alerts": {
      description: "Lists alerts, newest first.",
      arguments: [
        {
          name: "severity",
          description: "Only alerts of this severity.",
          predefined: ["Informational", "Low", "Medium", "High"],
        },
        {
          name: "status",
          description: "Only alerts in this status.",
          predefined: ["New", "InProgress", "Resolved"],
        },
        { name: "limit", description: "The most alerts to return (1-10000).", defaultValue: "50" },
      ],
      outputs: [
        { path: "MicrosoftATP.Alert.ID", type: "string", description: "The alert's ID." },
        { path: "MicrosoftATP.Alert.Title", type: "string", description: "The alert's title." },
        { path: "MicrosoftATP.Alert.Severity", type: "string", description: "The alert's severity." },
        { path: "MicrosoftATP.Alert.Status", type: "string", description: "The alert's status." },
        { path: "MicrosoftATP.Alert.MachineID", type: "string", description: "The machine of the alert." },
        {
          path: "MicrosoftATP.Alert.AlertCreationTime",
          type: "date",
          description: "When the alert was created.",
        },
      ],
      // learn.microsoft.com/defender-endpoint/api/get-alerts
      permissions: {
        application: ["Alert.Read.All", "Alert.ReadWrite.All"],
        delegated: ["Alert.Read", "Alert.ReadWrite"],
      },
      run: listAlerts,
    },
    "microsoft-atp-isolate-machine": {
      description: "Isolates a machine from the network.",
      arguments: [
        { name: "machine_id", description: "The machine's ID.", required: true },
        { name: "comment", description: "Why it is isolated.", required: true },
        {
          name: "isolation_type",
          description: "Full or Selective (Outlook, Teams and Skype keep working).",
          defaultValue: "Full",
          predefined: ["Full", "Selective"],
        },
      ],
      outputs: [
        { path: "MicrosoftATP.MachineAction.ID", type: "string", description: "The machine action's ID." },
        { path: "MicrosoftATP.MachineAction.Type", type: "string", description: "Isolate." },
        { path: "MicrosoftATP.MachineAction.Status", type: "string", description: "Pending, Succeeded …" },
        { path: "MicrosoftATP.MachineAction.MachineID", type: "string", description: "The machine's ID." },
      ],
      // learn.microsoft.com/defender-endpoint/api/isolate-machine
      permissions: { application: ["Machine.Isolate"], delegated: ["Machine.Isolate"] },
      run: isolateMachine,
    },
    "microsoft-atp-advanced-hunting": {
      description: "Runs an advanced hunting query.",
      arguments: [{ name: "query", description: "The KQL query.", required: true }],
      outputs: [{ path: "MicrosoftATP.Hunt.Result", type: "unknown", description: "The result rows." }],
      // learn.microsoft.com/defender-endpoint/api/run-advanced-query-api
      permissions: { application: ["AdvancedQuery.Read.All"], delegated: ["AdvancedQuery.Read"] },
      run: advancedHunting,
    },
  },
  async test({ api }) {
    await api.get("/api/alerts", { $top: 1 }, { expect: "collection" });
  },
});
