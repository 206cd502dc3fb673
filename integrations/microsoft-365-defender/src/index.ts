import { defineIntegration, microsoft365Defender } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { advancedHunting, getIncident, listIncidents, updateIncident } from "./incidents.js";
import { getMappingFields, getModifiedRemoteData, getRemoteData, updateRemoteSystem } from "./mirroring.js";

// Command names, arguments, outputs and the built-in client ID from demisto/content
// Packs/Microsoft365Defender/Integrations/Microsoft365Defender/Microsoft365Defender.yml (and .py), commit 0100a8bb
// (data/xsoar/microsoft-365-defender.json).

const incidentOutputs = [
  { path: "Microsoft365Defender.Incident.incidentId", type: "number", description: "The incident's ID." },
  {
    path: "Microsoft365Defender.Incident.redirectIncidentId",
    type: "unknown",
    description: "The incident this one was merged into, if any.",
  },
  { path: "Microsoft365Defender.Incident.incidentName", type: "string", description: "The incident's name." },
  { path: "Microsoft365Defender.Incident.createdTime", type: "date", description: "When it was created." },
  {
    path: "Microsoft365Defender.Incident.lastUpdateTime",
    type: "date",
    description: "When it was last updated.",
  },
  { path: "Microsoft365Defender.Incident.assignedTo", type: "string", description: "The owner." },
  {
    path: "Microsoft365Defender.Incident.classification",
    type: "string",
    description: "The classification.",
  },
  { path: "Microsoft365Defender.Incident.determination", type: "string", description: "The determination." },
  {
    path: "Microsoft365Defender.Incident.status",
    type: "string",
    description: "Active, InProgress, Resolved or Redirected.",
  },
  { path: "Microsoft365Defender.Incident.severity", type: "string", description: "The incident's severity." },
  { path: "Microsoft365Defender.Incident.alerts", type: "unknown", description: "The incident's alerts." },
  { path: "Microsoft365Defender.Incident.tags", type: "unknown", description: "The incident's tags." },
  {
    path: "Microsoft365Defender.Incident.comments",
    type: "unknown",
    description: "The incident's comments.",
  },
] as const;

const timeout = {
  name: "timeout",
  description: "Seconds to wait for the API's answer.",
  defaultValue: "30",
} as const;

// learn.microsoft.com/defender-xdr/api-list-incidents and api-get-incident
const readIncidents = {
  application: ["Incident.Read.All", "Incident.ReadWrite.All"],
  delegated: ["Incident.Read", "Incident.ReadWrite"],
};
// learn.microsoft.com/defender-xdr/api-update-incidents
const writeIncidents = { application: ["Incident.ReadWrite.All"], delegated: ["Incident.ReadWrite"] };

/** Microsoft 365 Defender: incidents and advanced hunting of the Microsoft 365 Defender (Defender XDR) API. */
export default defineIntegration({
  id: "microsoft-365-defender",
  version: packageJson.version,
  displayName: "Microsoft 365 Defender",
  commandPrefix: "microsoft-365-defender",
  description:
    "Lists, reads and updates incidents, runs advanced hunting queries and runs XSOAR's mirroring commands.",
  flows: {
    // XSOAR reaches its application through device code with the built-in public client below, not the broker.
    xsoarApp: "device",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  // XSOAR's hidden "Application ID" (_app_id) default (Microsoft365Defender.yml).
  builtInClientId: "9093c354-630a-47f1-b087-6768eb9427e6",
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
      description: "Lists incidents, most recent first.",
      arguments: [
        {
          name: "status",
          description: "Only incidents in this status.",
          predefined: ["Active", "Resolved", "Redirected", "InProgress"],
        },
        { name: "assigned_to", description: "Only incidents of this owner." },
        { name: "limit", description: "The most incidents to return (1-100).", defaultValue: "100" },
        { name: "offset", description: "How many incidents to skip.", defaultValue: "0" },
        timeout,
        {
          name: "odata",
          description:
            'OData query options as a JSON object, e.g. {"$filter":"lastUpdateTime gt 2026-12-01T00:00:00Z"}; a $filter is joined to status and assigned_to with "and".',
        },
      ],
      outputs: incidentOutputs,
      permissions: readIncidents,
      run: listIncidents,
    },
    "microsoft-365-defender-incident-get": {
      description: "Gets one incident with its alerts.",
      arguments: [{ name: "id", description: "The incident's ID.", required: true }, timeout],
      outputs: incidentOutputs,
      permissions: readIncidents,
      run: getIncident,
    },
    "microsoft-365-defender-incident-update": {
      description:
        "Updates an incident's status, owner, classification, determination or tags, or comments on it.",
      arguments: [
        {
          name: "status",
          description: "The new status.",
          predefined: ["Active", "Resolved", "Redirected", "InProgress"],
        },
        { name: "assigned_to", description: "The new owner." },
        { name: "id", description: "The incident's ID.", required: true },
        {
          name: "classification",
          description: "The classification.",
          predefined: ["Unknown", "FalsePositive", "TruePositive", "InformationalExpectedActivity"],
        },
        {
          name: "determination",
          description:
            "The determination, e.g. Malware, Phishing, MultiStagedAttack, CompromisedAccount, NotMalicious or Other.",
        },
        { name: "comment", description: "A comment to add." },
        { name: "tags", description: "Comma-separated tags (replace the current ones)." },
        timeout,
      ],
      outputs: incidentOutputs,
      permissions: writeIncidents,
      run: updateIncident,
    },
    "microsoft-365-defender-advanced-hunting": {
      description: "Runs an advanced hunting query.",
      arguments: [
        { name: "query", description: "The KQL query.", required: true },
        timeout,
        {
          name: "limit",
          description:
            "The most rows: added to the query as a last `| limit` stage; -1 sends the query as it is.",
          required: true,
          defaultValue: "50",
        },
      ],
      outputs: [
        { path: "Microsoft365Defender.Hunt.query", type: "string", description: "The query." },
        { path: "Microsoft365Defender.Hunt.results", type: "unknown", description: "The result rows." },
      ],
      // learn.microsoft.com/defender-xdr/api-advanced-hunting
      permissions: { application: ["AdvancedHunting.Read.All"], delegated: ["AdvancedHunting.Read"] },
      run: advancedHunting,
    },
    "get-modified-remote-data": {
      description:
        "Mirroring: lists the IDs of incidents updated since lastUpdate (XSOAR runs it; here it can be run by hand).",
      arguments: [{ name: "lastUpdate", description: "ISO 8601 time or epoch seconds." }],
      permissions: readIncidents,
      run: getModifiedRemoteData,
    },
    "get-remote-data": {
      description: "Mirroring: gets an incident if it changed after lastUpdate.",
      arguments: [
        { name: "id", description: "The incident's ID.", required: true },
        { name: "lastUpdate", description: "ISO 8601 time or epoch seconds.", defaultValue: "0" },
      ],
      permissions: readIncidents,
      run: getRemoteData,
    },
    "get-mapping-fields": {
      description: "Mirroring: lists the incident fields that mirror out to Microsoft 365 Defender.",
      // No request: the fields PATCH /api/incidents/{id} takes.
      permissions: [],
      run: getMappingFields,
    },
    "update-remote-system": {
      description: "Mirroring: sends changed incident fields to Microsoft 365 Defender.",
      arguments: [
        { name: "remoteId", description: "msint only: the incident's ID (XSOAR passes it itself)." },
        {
          name: "delta",
          description:
            'msint only: the changed fields as a JSON object, e.g. {"status":"Resolved","tags":"a,b"} (XSOAR passes it itself).',
        },
        {
          name: "incidentChanged",
          description: "msint only: false to send nothing (XSOAR passes it itself).",
          defaultValue: "true",
        },
      ],
      permissions: writeIncidents,
      run: updateRemoteSystem,
    },
  },
  async test({ api }) {
    await api.get("/api/incidents", { $top: 1 }, { expect: "collection" });
  },
});
