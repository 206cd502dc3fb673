import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { advancedHunting, getAlertDetails, listIncidents, searchAlerts, updateAlert } from "./security.js";

// learn.microsoft.com/graph/api/security-list-alerts_v2 and /security-alert-get, "Permissions":
// SecurityAlert.Read.All (least privileged), then SecurityAlert.ReadWrite.All.
const READ_ALERTS = {
  application: ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"],
  delegated: ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"],
};
// learn.microsoft.com/graph/api/security-alert-update: SecurityAlert.ReadWrite.All.
const WRITE_ALERTS = {
  application: ["SecurityAlert.ReadWrite.All"],
  delegated: ["SecurityAlert.ReadWrite.All"],
};
// learn.microsoft.com/graph/api/security-list-incidents: SecurityIncident.Read.All, then SecurityIncident.ReadWrite.All.
const READ_INCIDENTS = {
  application: ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"],
  delegated: ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"],
};
// learn.microsoft.com/graph/api/security-security-runhuntingquery: ThreatHunting.Read.All.
const HUNTING = { application: ["ThreatHunting.Read.All"], delegated: ["ThreatHunting.Read.All"] };

const alertOutputs = [
  { path: "MsGraph.Alert.id", type: "string", description: "The alert's ID." },
  { path: "MsGraph.Alert.title", type: "string", description: "The alert's title." },
  { path: "MsGraph.Alert.severity", type: "string", description: "informational, low, medium or high." },
  { path: "MsGraph.Alert.status", type: "string", description: "new, inProgress or resolved." },
  { path: "MsGraph.Alert.serviceSource", type: "string", description: "The product that raised the alert." },
  { path: "MsGraph.Alert.createdDateTime", type: "date", description: "When the alert was created." },
  { path: "MsGraph.Alert.incidentId", type: "string", description: "The incident the alert belongs to." },
] as const;

// Names, arguments and the broker app name from demisto/content
// Packs/MicrosoftGraphSecurity/Integrations/MicrosoftGraphSecurity/MicrosoftGraphSecurity.yml
// (data/xsoar/microsoft-graph-security.json).
/** Microsoft Graph Security: alerts (v2), incidents and advanced hunting of Microsoft 365 Defender through Microsoft Graph. */
export default defineIntegration({
  id: "microsoft-graph-security",
  version: packageJson.version,
  displayName: "Microsoft Graph Security",
  commandPrefix: "msg",
  description:
    "Searches, reads and updates security alerts, lists incidents and runs advanced hunting queries.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it (APP_NAME in
  // MicrosoftGraphSecurity.py).
  brokerAppName: "ms-graph-security",
  // The seed's troubleshooting tells users to run !ms-graph-security-auth-reset; msg-auth-reset keeps working.
  generatedCommandNames: { "auth-reset": "ms-graph-security-auth-reset" },
  resource: graph({
    application: [".default"],
    delegated: [
      "SecurityAlert.ReadWrite.All",
      "SecurityIncident.Read.All",
      "ThreatHunting.Read.All",
      "offline_access",
    ],
  }),
  permissions: {
    application: ["SecurityAlert.ReadWrite.All", "SecurityIncident.Read.All", "ThreatHunting.Read.All"],
    delegated: ["SecurityAlert.ReadWrite.All", "SecurityIncident.Read.All", "ThreatHunting.Read.All"],
  },
  commands: {
    "msg-search-alerts": {
      description: "Searches security alerts (alerts_v2), newest first.",
      arguments: [
        {
          name: "last_modified",
          description: "Only alerts updated in this period.",
          predefined: ["Last24Hours", "Last48Hours", "LastWeek"],
        },
        {
          name: "severity",
          description: "Only alerts of this severity.",
          predefined: ["unknown", "informational", "low", "medium", "high"],
        },
        { name: "category", description: "Only alerts of this category, e.g. Malware." },
        { name: "time_from", description: "Only alerts created at or after this time (ISO 8601)." },
        { name: "time_to", description: "Only alerts created at or before this time (ISO 8601)." },
        { name: "filter", description: "A further OData $filter." },
        {
          name: "classification",
          description: "Only alerts with this classification.",
          predefined: ["unknown", "truePositive", "falsePositive", "benignPositive"],
        },
        {
          name: "service_source",
          description: "Only alerts of this product.",
          predefined: [
            "microsoftDefenderForEndpoint",
            "microsoftDefenderForIdentity",
            "microsoftDefenderForOffice365",
            "microsoft365Defender",
            "microsoftAppGovernance",
            "microsoftDefenderForCloudApps",
          ],
        },
        {
          name: "status",
          description: "Only alerts in this status.",
          predefined: ["unknown", "new", "inProgress", "resolved"],
        },
        { name: "page", description: "With page_size: the page number, from 0." },
        { name: "page_size", description: "Alerts a page (1-2000); with page, instead of limit." },
        { name: "limit", description: "The most alerts to return (1-2000).", defaultValue: "50" },
      ],
      outputs: alertOutputs,
      permissions: READ_ALERTS,
      run: searchAlerts,
    },
    "msg-get-alert-details": {
      description: "Gets one alert with its evidence.",
      arguments: [{ name: "alert_id", description: "The alert's ID.", required: true }],
      outputs: alertOutputs,
      permissions: READ_ALERTS,
      run: getAlertDetails,
    },
    "msg-update-alert": {
      description: "Updates an alert's status, classification, determination or owner.",
      arguments: [
        { name: "alert_id", description: "The alert's ID.", required: true },
        { name: "status", description: "The new status.", predefined: ["new", "inProgress", "resolved"] },
        {
          name: "classification",
          description: "The classification.",
          predefined: ["unknown", "falsePositive", "truePositive", "informationalExpectedActivity"],
        },
        { name: "determination", description: "The determination, e.g. malware or phishing." },
        { name: "assigned_to", description: "The owner's address." },
      ],
      permissions: WRITE_ALERTS,
      run: updateAlert,
    },
    "msg-list-security-incident": {
      description: "Lists incidents, newest first, or gets one by its ID.",
      arguments: [
        { name: "incident_id", description: "Get this incident only." },
        { name: "limit", description: "The most incidents to return (1-50).", defaultValue: "50" },
        {
          name: "status",
          description: "Only incidents in this status.",
          predefined: [
            "active",
            "redirected",
            "resolved",
            "inProgress",
            "unknownFutureValue",
            "awaitingAction",
          ],
        },
        { name: "assigned_to", description: "Only incidents assigned to this owner." },
        {
          name: "severity",
          description: "Only incidents of this severity.",
          predefined: ["unknown", "informational", "low", "medium", "high", "unknownFutureValue"],
        },
        { name: "classification", description: "Only incidents with this classification." },
        {
          name: "odata",
          description: "A further OData $filter, e.g. createdDateTime ge 2024-06-01T00:00:00Z.",
        },
      ],
      outputs: [
        { path: "MsGraph.Incident.id", type: "string", description: "The incident's ID." },
        { path: "MsGraph.Incident.displayName", type: "string", description: "The incident's name." },
        { path: "MsGraph.Incident.severity", type: "string", description: "The incident's severity." },
        { path: "MsGraph.Incident.status", type: "string", description: "The incident's status." },
        { path: "MsGraph.Incident.createdDateTime", type: "date", description: "When it was created." },
      ],
      permissions: READ_INCIDENTS,
      run: listIncidents,
    },
    "msg-advanced-hunting": {
      description: "Runs an advanced hunting (KQL) query.",
      arguments: [{ name: "query", description: "The KQL query.", required: true }],
      outputs: [
        { path: "MsGraph.HuntingQueryResults.query", type: "string", description: "The query." },
        { path: "MsGraph.HuntingQueryResults.results", type: "unknown", description: "The result rows." },
      ],
      permissions: HUNTING,
      run: advancedHunting,
    },
  },
  testPermissions: READ_ALERTS,
  async test({ api }) {
    await api.get("/v1.0/security/alerts_v2", { $top: 1 }, { expect: "collection" });
  },
});
