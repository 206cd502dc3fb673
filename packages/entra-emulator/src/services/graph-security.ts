import type { RouteContext, RouteResponse } from "../types.js";
import { type GraphEntity, getEntity, listCollection, notFound } from "./graph-collection.js";
import { seedManagedDevices, seedRiskDetections, seedRiskyUsers, USERS } from "./graph-seed.js";
import type { ServiceRoute } from "./types.js";

// Permissions of each route: the "Permissions" table of the call's page on learn.microsoft.com/graph/api (least
// privileged first; application and delegated lists are the same for these calls).
const RISKY_USERS_READ = ["IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All"]; // riskyuser-list
const RISK_EVENTS_READ = ["IdentityRiskEvent.Read.All", "IdentityRiskEvent.ReadWrite.All"]; // riskdetection-list, -get
const DEVICES_READ = [
  "DeviceManagementManagedDevices.Read.All",
  "DeviceManagementManagedDevices.ReadWrite.All",
]; // intune-devices-manageddevice-list, -get
const DEVICES_ACTION = ["DeviceManagementManagedDevices.PrivilegedOperations.All"]; // intune-devices-manageddevice-syncdevice, -rebootnow, -remotelock
const ALERTS_READ = ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"]; // security-list-alerts_v2, security-alert-get
const ALERTS_WRITE = ["SecurityAlert.ReadWrite.All"]; // security-alert-update
const INCIDENTS_READ = ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"]; // security-list-incidents
const HUNTING = ["ThreatHunting.Read.All"]; // security-security-runhuntingquery

/** Permissions the demo apps hold for these routes. */
export const SECURITY_ROLES = [
  "IdentityRiskyUser.Read.All",
  "IdentityRiskEvent.Read.All",
  "DeviceManagementManagedDevices.ReadWrite.All",
  "DeviceManagementManagedDevices.PrivilegedOperations.All",
  "SecurityAlert.ReadWrite.All",
  "SecurityIncident.Read.All",
  "ThreatHunting.Read.All",
];

function seedAlerts(): GraphEntity[] {
  const alert = (
    id: string,
    title: string,
    severity: string,
    status: string,
    serviceSource: string,
    createdDateTime: string,
    incidentId: string,
    evidence: Record<string, unknown>[],
  ): GraphEntity => ({
    id,
    providerAlertId: id.split("_")[0],
    incidentId,
    status,
    severity,
    classification: null,
    determination: null,
    serviceSource,
    detectionSource: serviceSource === "microsoftDefenderForEndpoint" ? "antivirus" : "microsoft365Defender",
    detectorId: `${id.slice(2, 10)}-det`,
    tenantId: "84ed19dd-c7b0-4f61-8aa4-45d0ce7e6970",
    title,
    description: `${title}. Review the evidence and the affected assets.`,
    recommendedActions: "Isolate the device, collect an investigation package and reset the user's password.",
    category: serviceSource === "microsoftDefenderForEndpoint" ? "Malware" : "InitialAccess",
    assignedTo: null,
    alertWebUrl: `https://security.microsoft.com/alerts/${id}`,
    incidentWebUrl: `https://security.microsoft.com/incidents/${incidentId}`,
    actorDisplayName: null,
    threatDisplayName: serviceSource === "microsoftDefenderForEndpoint" ? "Trojan:Win32/Wacatac" : null,
    mitreTechniques: ["T1566.001"],
    createdDateTime,
    lastUpdateDateTime: createdDateTime,
    resolvedDateTime: null,
    firstActivityDateTime: createdDateTime,
    lastActivityDateTime: createdDateTime,
    comments: [],
    evidence,
  });
  const user = (alias: string, id: string) => ({
    "@odata.type": "#microsoft.graph.security.userEvidence",
    roles: [],
    verdict: "suspicious",
    remediationStatus: "none",
    userAccount: {
      accountName: alias,
      domainName: "contoso.onmicrosoft.com",
      userSid: null,
      azureAdUserId: id,
    },
  });
  const device = (name: string) => ({
    "@odata.type": "#microsoft.graph.security.deviceEvidence",
    roles: [],
    verdict: "suspicious",
    remediationStatus: "none",
    deviceDnsName: name,
    osPlatform: "Windows11",
    healthStatus: "active",
    riskScore: "high",
  });
  return [
    alert(
      "da637551227677560813_-961444813",
      "Suspicious PowerShell download",
      "high",
      "new",
      "microsoftDefenderForEndpoint",
      "2024-06-12T14:25:00Z",
      "2972395",
      [device("desktop-adele01.contoso.com"), user("adelev", USERS.adele)],
    ),
    alert(
      "fa8b2c8f6a-2c1d-4f5e-9a3b-7c6d5e4f3a2b",
      "Phishing email delivered to a mailbox",
      "medium",
      "inProgress",
      "microsoftDefenderForOffice365",
      "2024-06-11T09:10:00Z",
      "2972396",
      [user("meganb", USERS.megan)],
    ),
    alert(
      "da637578995287051192_756343937",
      "Unfamiliar sign-in properties",
      "low",
      "resolved",
      "azureAdIdentityProtection",
      "2024-06-01T06:00:00Z",
      "2972397",
      [user("alexw", USERS.alex)],
    ),
  ];
}

function seedIncidents(): GraphEntity[] {
  const incident = (
    id: string,
    displayName: string,
    severity: string,
    status: string,
    assignedTo: string | null,
    createdDateTime: string,
  ): GraphEntity => ({
    id,
    tenantId: "84ed19dd-c7b0-4f61-8aa4-45d0ce7e6970",
    displayName,
    severity,
    status,
    classification: status === "resolved" ? "truePositive" : "unknown",
    determination: status === "resolved" ? "multiStagedAttack" : "unknown",
    assignedTo,
    incidentWebUrl: `https://security.microsoft.com/incidents/${id}`,
    redirectIncidentId: null,
    customTags: [],
    systemTags: [],
    createdDateTime,
    lastUpdateDateTime: createdDateTime,
    comments: [],
  });
  return [
    incident(
      "2972395",
      "Multi-stage incident involving Execution on one endpoint",
      "high",
      "active",
      "meganb@contoso.onmicrosoft.com",
      "2024-06-12T14:26:00Z",
    ),
    incident("2972396", "Email phishing campaign", "medium", "active", null, "2024-06-11T09:12:00Z"),
    incident(
      "2972397",
      "Unfamiliar sign-in for one user",
      "low",
      "resolved",
      "adelev@contoso.onmicrosoft.com",
      "2024-06-01T06:05:00Z",
    ),
  ];
}

/** Advanced hunting tables: column types and rows. */
const HUNTING_TABLES: Record<
  string,
  { schema: Array<[string, string]>; rows: Array<Record<string, unknown>> }
> = {
  DeviceProcessEvents: {
    schema: [
      ["Timestamp", "DateTime"],
      ["DeviceName", "String"],
      ["FileName", "String"],
      ["ProcessCommandLine", "String"],
      ["AccountName", "String"],
    ],
    rows: [
      {
        Timestamp: "2024-06-12T14:20:31Z",
        DeviceName: "desktop-adele01",
        FileName: "powershell.exe",
        ProcessCommandLine: "powershell.exe -nop -w hidden -enc SQBFAFgA",
        AccountName: "adelev",
      },
      {
        Timestamp: "2024-06-12T14:21:02Z",
        DeviceName: "desktop-adele01",
        FileName: "rundll32.exe",
        ProcessCommandLine: "rundll32.exe payload.dll,Start",
        AccountName: "adelev",
      },
    ],
  },
  DeviceInfo: {
    schema: [
      ["Timestamp", "DateTime"],
      ["DeviceId", "String"],
      ["DeviceName", "String"],
      ["OSPlatform", "String"],
    ],
    rows: [
      {
        Timestamp: "2024-06-12T08:00:00Z",
        DeviceId: "b3a1f0c2d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9",
        DeviceName: "desktop-adele01",
        OSPlatform: "Windows11",
      },
    ],
  },
  EmailEvents: {
    schema: [
      ["Timestamp", "DateTime"],
      ["SenderFromAddress", "String"],
      ["RecipientEmailAddress", "String"],
      ["Subject", "String"],
      ["ThreatTypes", "String"],
    ],
    rows: [
      {
        Timestamp: "2024-06-11T09:05:00Z",
        SenderFromAddress: "billing@contoso-invoices.example",
        RecipientEmailAddress: "meganb@contoso.onmicrosoft.com",
        Subject: "Overdue invoice",
        ThreatTypes: "Phish",
      },
    ],
  },
};

/** `POST /security/runHuntingQuery`: the table named first, `| take n` / `| limit n` honoured. */
function runHuntingQuery(context: RouteContext): RouteResponse {
  const query = (context.body as { Query?: unknown } | undefined)?.Query;
  if (typeof query !== "string" || query.trim() === "") {
    return context.error(400, "BadRequest", "The query is missing: the request body needs a Query.");
  }
  const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(query)?.[1] ?? "";
  const table = Object.entries(HUNTING_TABLES).find(
    ([known]) => known.toLowerCase() === name.toLowerCase(),
  )?.[1];
  if (!table) {
    return context.error(
      400,
      "BadRequest",
      `Query could not be parsed: 'where' operator: Failed to resolve table or column expression named '${name}'.`,
    );
  }
  const take = /\|\s*(?:take|limit)\s+(\d+)/i.exec(query);
  const rows = take ? table.rows.slice(0, Number(take[1])) : table.rows;
  return context.json(200, {
    "@odata.context":
      "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults",
    schema: table.schema.map(([name, type]) => ({ name, type })),
    results: rows,
  });
}

const ALERT_FIELDS = ["status", "classification", "determination", "assignedTo"];

/** `PATCH /security/alerts_v2/{id}` (security-alert-update): 200 with the updated alert. */
function updateAlert(alerts: GraphEntity[]): (context: RouteContext) => RouteResponse {
  return (context) => {
    const id = context.params["id"]!;
    const alert = alerts.find((entity) => entity.id.toLowerCase() === id.toLowerCase());
    if (!alert) return notFound(context, id, "NotFound");
    const body = (context.body ?? {}) as Record<string, unknown>;
    const unknownField = Object.keys(body).find((field) => !ALERT_FIELDS.includes(field));
    if (unknownField) {
      return context.error(
        400,
        "BadRequest",
        `The property '${unknownField}' cannot be updated on an alert.`,
      );
    }
    Object.assign(alert, body, { lastUpdateDateTime: new Date().toISOString() });
    if (body["status"] === "resolved") alert["resolvedDateTime"] = alert["lastUpdateDateTime"];
    return getEntity(context, alert, "security/alerts_v2", alert.id);
  };
}

/** Intune remote actions: learn.microsoft.com/graph/api/intune-devices-manageddevice-<action> (v1.0), POST, 204. */
const DEVICE_ACTION_NAMES = [
  "syncDevice",
  "rebootNow",
  "remoteLock",
  "shutDown",
  "disableLostMode",
  "locateDevice",
  "bypassActivationLock",
  "retire",
  "resetPasscode",
  "requestRemoteAssistance",
  "recoverPasscode",
  "logoutSharedAppleDeviceActiveUser",
  "windowsDefenderUpdateSignatures",
  "deleteUserFromSharedAppleDevice",
  "cleanWindowsDevice",
  "windowsDefenderScan",
  "wipe",
  "updateWindowsDeviceAccount",
];

/** Routes of Entra ID Protection, Intune managed devices and Microsoft 365 Defender (security) in Graph. */
export function securityRoutes(): ServiceRoute[] {
  const riskyUsers = seedRiskyUsers();
  const detections = seedRiskDetections();
  const devices = seedManagedDevices();
  const alerts = seedAlerts();
  const incidents = seedIncidents();
  const byId = (list: GraphEntity[], id: string | undefined) =>
    list.find((entity) => entity.id.toLowerCase() === (id ?? "").toLowerCase());
  const deviceAction = (action: string): ServiceRoute => ({
    method: "POST",
    path: `/v1.0/deviceManagement/managedDevices/:id/${action}`,
    roles: DEVICES_ACTION,
    scopes: DEVICES_ACTION,
    handler: (context) => {
      const device = byId(devices, context.params["id"]);
      if (!device) return notFound(context, context.params["id"]!, "ResourceNotFound");
      const now = new Date().toISOString();
      if (action === "syncDevice") device["lastSyncDateTime"] = now;
      device["deviceActionResults"] = [
        ...((device["deviceActionResults"] as unknown[]) ?? []).filter(
          (result) => (result as { actionName?: string }).actionName !== action,
        ),
        { actionName: action, actionState: "pending", startDateTime: now, lastUpdatedDateTime: now },
      ];
      return context.empty(204);
    },
  });
  const list = (
    path: string,
    entities: GraphEntity[],
    roles: string[],
    typeName: string,
    entitySet: string,
    maxTop: number,
  ): ServiceRoute => ({
    method: "GET",
    path,
    roles,
    scopes: roles,
    handler: (context) => listCollection(context, entities, { typeName, entitySet, defaultTop: 100, maxTop }),
  });
  const get = (
    path: string,
    entities: GraphEntity[],
    roles: string[],
    entitySet: string,
    code?: string,
  ): ServiceRoute => ({
    method: "GET",
    path,
    roles,
    scopes: roles,
    handler: (context) =>
      getEntity(context, byId(entities, context.params["id"]), entitySet, context.params["id"]!, code),
  });
  return [
    list(
      "/v1.0/identityProtection/riskyUsers",
      riskyUsers,
      RISKY_USERS_READ,
      "microsoft.graph.riskyUser",
      "identityProtection/riskyUsers",
      500,
    ),
    get(
      "/v1.0/identityProtection/riskyUsers/:id",
      riskyUsers,
      RISKY_USERS_READ,
      "identityProtection/riskyUsers",
    ),
    list(
      "/v1.0/identityProtection/riskDetections",
      detections,
      RISK_EVENTS_READ,
      "microsoft.graph.riskDetection",
      "identityProtection/riskDetections",
      500,
    ),
    get(
      "/v1.0/identityProtection/riskDetections/:id",
      detections,
      RISK_EVENTS_READ,
      "identityProtection/riskDetections",
    ),
    list(
      "/v1.0/deviceManagement/managedDevices",
      devices,
      DEVICES_READ,
      "microsoft.graph.managedDevice",
      "deviceManagement/managedDevices",
      1000,
    ),
    get(
      "/v1.0/deviceManagement/managedDevices/:id",
      devices,
      DEVICES_READ,
      "deviceManagement/managedDevices",
      "ResourceNotFound",
    ),
    ...DEVICE_ACTION_NAMES.map((action) => deviceAction(action)),
    list(
      "/v1.0/security/alerts_v2",
      alerts,
      ALERTS_READ,
      "microsoft.graph.security.alert",
      "security/alerts_v2",
      2000,
    ),
    get("/v1.0/security/alerts_v2/:id", alerts, ALERTS_READ, "security/alerts_v2", "NotFound"),
    {
      method: "PATCH",
      path: "/v1.0/security/alerts_v2/:id",
      roles: ALERTS_WRITE,
      scopes: ALERTS_WRITE,
      handler: updateAlert(alerts),
    },
    list(
      "/v1.0/security/incidents",
      incidents,
      INCIDENTS_READ,
      "microsoft.graph.security.incident",
      "security/incidents",
      50,
    ),
    get("/v1.0/security/incidents/:id", incidents, INCIDENTS_READ, "security/incidents", "NotFound"),
    {
      method: "POST",
      path: "/v1.0/security/runHuntingQuery",
      roles: HUNTING,
      scopes: HUNTING,
      handler: runHuntingQuery,
    },
  ];
}
