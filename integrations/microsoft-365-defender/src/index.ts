import { defineIntegration, microsoft365Defender } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { advancedHunting, getIncident, listIncidents, updateIncident } from "./incidents.js";

const incidentOutputs = [
  { path: "Microsoft365Defender.Incident.incidentId", type: "number", description: "The incident's ID." },
  { path: "Microsoft365Defender.Incident.incidentName", type: "string", description: "The incident's name." },
  {
    path: "Microsoft365Defender.Incident.status",
    type: "string",
    description: "Active, InProgress, Resolved or Redirected.",
  },
  { path: "Microsoft365Defender.Incident.severity", type: "string", description: "The incident's severity." },
  { path: "Microsoft365Defender.Incident.assignedTo", type: "string", description: "The owner." },
  {
    path: "Microsoft365Defender.Incident.classification",
    type: "string",
    description: "The classification.",
  },
  { path: "Microsoft365Defender.Incident.createdTime", type: "date", description: "When it was created." },
] as const;

/** Microsoft 365 Defender: incidents and advanced hunting of the Microsoft 365 Defender (Defender XDR) API. */
export default defineIntegration({
  id: "microsoft-365-defender",
  version: packageJson.version,
  displayName: "Microsoft 365 Defender",
  commandPrefix: "microsoft-365-defender",
  description: "Lists, reads and updates incidents and runs advanced hunting queries.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: microsoft365Defender({
    application: [".default"],
    delegated: ["Incident.ReadWrite", "AdvancedHunting.Read", "offline_access"],
  }),
  permissions: {
    application: ["Incident.ReadWrite.All", "AdvancedHunting.Read.All"],
    delegated: ["Incident.ReadWrite", "AdvancedHunting.Read"],
  },
  commands: {
    "microsoft-365-defender-incidents-list": {
      description: "Lists incidents, newest first.",
      arguments: [
        {
          name: "status",
          description: "Only incidents in this status.",
          predefined: ["Active", "Resolved", "InProgress", "Redirected"],
        },
        { name: "assigned_to", description: "Only incidents of this owner." },
        { name: "limit", description: "The most incidents to return (1-100).", defaultValue: "50" },
        { name: "offset", description: "How many incidents to skip.", defaultValue: "0" },
      ],
      outputs: incidentOutputs,
      // learn.microsoft.com/defender-xdr/api-list-incidents
      permissions: {
        application: ["Incident.Read.All", "Incident.ReadWrite.All"],
        delegated: ["Incident.Read", "Incident.ReadWrite"],
      },
      run: listIncidents,
    },
    "microsoft-365-defender-incident-get": {
      description: "Gets one incident with its alerts.",
      arguments: [{ name: "id", description: "The incident's ID.", required: true }],
      outputs: incidentOutputs,
      // learn.microsoft.com/defender-xdr/api-get-incident
      permissions: {
        application: ["Incident.Read.All", "Incident.ReadWrite.All"],
        delegated: ["Incident.Read", "Incident.ReadWrite"],
      },
      run: getIncident,
    },
    "microsoft-365-defender-incident-update": {
      description: "Updates an incident's status, owner, classification or tags.",
      arguments: [
        { name: "id", description: "The incident's ID.", required: true },
        {
          name: "status",
          description: "The new status.",
          predefined: ["Active", "Resolved", "InProgress", "Redirected"],
        },
        { name: "assigned_to", description: "The new owner." },
        {
          name: "classification",
          description: "The classification.",
          predefined: ["Unknown", "FalsePositive", "TruePositive", "InformationalExpectedActivity"],
        },
        { name: "determination", description: "The determination, e.g. Malware or Phishing." },
        { name: "tags", description: "Comma-separated tags (replace the current ones)." },
        { name: "comment", description: "A comment to add." },
      ],
      outputs: incidentOutputs,
      // learn.microsoft.com/defender-xdr/api-update-incidents
      permissions: { application: ["Incident.ReadWrite.All"], delegated: ["Incident.ReadWrite"] },
      run: updateIncident,
    },
    "microsoft-365-defender-advanced-hunting": {
      description: "Runs an advanced hunting query.",
      arguments: [{ name: "query", description: "The KQL query.", required: true }],
      outputs: [
        { path: "Microsoft365Defender.Hunt.query", type: "string", description: "The query." },
        { path: "Microsoft365Defender.Hunt.results", type: "unknown", description: "The result rows." },
      ],
      // learn.microsoft.com/defender-xdr/api-advanced-hunting
      permissions: { application: ["AdvancedHunting.Read.All"], delegated: ["AdvancedHunting.Read"] },
      run: advancedHunting,
    },
  },
  async test({ api }) {
    await api.get("/api/incidents", { $top: 1 }, { expect: "collection" });
  },
});
