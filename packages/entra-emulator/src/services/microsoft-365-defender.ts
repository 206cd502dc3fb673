import type { RouteContext } from "../types.js";
import { type Entity, isResponse, queryCollection, runHunting } from "./defender-for-endpoint.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Microsoft 365 Defender (Defender XDR) API at api.security.microsoft.com: incidents and advanced hunting.
// learn.microsoft.com/defender-xdr/api-list-incidents, api-get-incident, api-update-incidents, api-advanced-hunting.

const INCIDENTS: Entity[] = [
  {
    incidentId: 924518,
    redirectIncidentId: null,
    incidentName: "Execution incident involving one device",
    incidentUri: "https://security.microsoft.com/incidents/924518?tid=contoso",
    createdTime: "2026-12-06T21:14:05.4133333Z",
    lastUpdateTime: "2026-12-06T21:20:12.3066667Z",
    assignedTo: null,
    classification: "Unknown",
    determination: "NotAvailable",
    status: "Active",
    severity: "High",
    tags: [],
    comments: [],
    alerts: [
      {
        alertId: "da637551227677560813_-961444813",
        providerAlertId: "da637551227677560813_-961444813",
        incidentId: 924518,
        serviceSource: "MicrosoftDefenderForEndpoint",
        creationTime: "2026-12-06T21:14:02.4466667Z",
        title: "Suspicious PowerShell command line",
        category: "Execution",
        status: "New",
        severity: "High",
        devices: [
          { mdatpDeviceId: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07", deviceDnsName: "desktop-adele" },
        ],
        entities: [{ entityType: "Process", fileName: "powershell.exe", processId: 7420 }],
      },
    ],
  },
  {
    incidentId: 924519,
    redirectIncidentId: null,
    incidentName: "Email reported by user as malware or phish",
    incidentUri: "https://security.microsoft.com/incidents/924519?tid=contoso",
    createdTime: "2026-12-05T09:41:40.1200000Z",
    lastUpdateTime: "2026-12-05T10:02:14.0000000Z",
    assignedTo: "secops@contoso.com",
    classification: "Unknown",
    determination: "NotAvailable",
    status: "InProgress",
    severity: "Medium",
    tags: ["phish"],
    comments: [
      { comment: "Triage started", createdBy: "secops@contoso.com", createdTime: "2026-12-05T10:00:00Z" },
    ],
    alerts: [
      {
        alertId: "faf8edc936-85f8-4603-b800-9ac1e2b8eb5b",
        providerAlertId: "faf8edc936-85f8-4603-b800-9ac1e2b8eb5b",
        incidentId: 924519,
        serviceSource: "MicrosoftDefenderForOffice",
        creationTime: "2026-12-05T09:41:37.2533333Z",
        title: "Email reported by user as malware or phish",
        category: "InitialAccess",
        status: "InProgress",
        severity: "Medium",
        devices: [],
        entities: [
          { entityType: "MailBox", mailboxAddress: "meganb@contoso.com" },
          { entityType: "MailMessage", deliveryAction: "Delivered", sender: "billing@fabrikam-invoices.com" },
        ],
      },
    ],
  },
  {
    incidentId: 924520,
    redirectIncidentId: null,
    incidentName: "Network share enumeration on one endpoint",
    incidentUri: "https://security.microsoft.com/incidents/924520?tid=contoso",
    createdTime: "2026-11-28T16:05:50.0000000Z",
    lastUpdateTime: "2026-11-29T08:00:00.0000000Z",
    assignedTo: "secops@contoso.com",
    classification: "FalsePositive",
    determination: "Other",
    status: "Resolved",
    severity: "Low",
    tags: [],
    comments: [],
    alerts: [],
  },
];

const STATUSES = ["Active", "Resolved", "InProgress", "Redirected"];
const CLASSIFICATIONS = ["Unknown", "FalsePositive", "TruePositive", "InformationalExpectedActivity"];

function updateIncident(ctx: RouteContext, incidents: Entity[]) {
  const incident = incidents.find((candidate) => String(candidate["incidentId"]) === ctx.params["id"]);
  if (!incident) return ctx.error(404, "NotFound", `Incident ${ctx.params["id"]} was not found.`);
  const body = (ctx.body ?? {}) as Entity;
  if (body["status"] !== undefined && !STATUSES.includes(String(body["status"]))) {
    return ctx.error(400, "InvalidRequestBody", `Invalid status '${body["status"]}'.`);
  }
  if (body["classification"] !== undefined && !CLASSIFICATIONS.includes(String(body["classification"]))) {
    return ctx.error(400, "InvalidRequestBody", `Invalid classification '${body["classification"]}'.`);
  }
  for (const field of ["status", "assignedTo", "classification", "determination"]) {
    if (body[field] !== undefined) incident[field] = body[field];
  }
  if (Array.isArray(body["tags"])) incident["tags"] = body["tags"];
  if (typeof body["comment"] === "string") {
    (incident["comments"] as Entity[]).push({
      comment: body["comment"],
      createdBy: ctx.claims.upn ?? ctx.claims.appid,
      createdTime: new Date().toISOString(),
    });
  }
  incident["lastUpdateTime"] = new Date().toISOString();
  return ctx.json(200, incident);
}

function incidentRoutes(incidents: Entity[]): ServiceRoute[] {
  const read = {
    roles: ["Incident.Read.All", "Incident.ReadWrite.All"],
    scopes: ["Incident.Read", "Incident.ReadWrite"],
  };
  return [
    {
      method: "GET",
      path: "/api/incidents",
      ...read,
      handler: (ctx) => {
        // List incidents: at most 100 per page.
        const page = queryCollection(ctx, incidents, 100);
        if (isResponse(page)) return page;
        return ctx.json(200, {
          "@odata.context": "https://api.security.microsoft.com/api/$metadata#Incidents",
          ...page,
        });
      },
    },
    {
      method: "GET",
      path: "/api/incidents/:id",
      ...read,
      handler: (ctx) => {
        const incident = incidents.find((candidate) => String(candidate["incidentId"]) === ctx.params["id"]);
        if (!incident) return ctx.error(404, "NotFound", `Incident ${ctx.params["id"]} was not found.`);
        return ctx.json(200, incident);
      },
    },
    {
      method: "PATCH",
      path: "/api/incidents/:id",
      roles: ["Incident.ReadWrite.All"],
      scopes: ["Incident.ReadWrite"],
      handler: (ctx) => updateIncident(ctx, incidents),
    },
    {
      method: "POST",
      path: "/api/advancedhunting/run",
      roles: ["AdvancedHunting.Read.All"],
      scopes: ["AdvancedHunting.Read"],
      handler: runHunting,
    },
  ];
}

export const microsoft365Defender: EmulatedService = {
  key: "microsoft-365-defender",
  displayName: "Microsoft 365 Defender",
  audiences: ["https://api.security.microsoft.com"],
  hosts: /^api(-[a-z0-9]+)?\.security\.microsoft\.com$/i,
  demoRoles: ["Incident.Read.All", "Incident.ReadWrite.All", "AdvancedHunting.Read.All"],
  demoScopes: ["Incident.ReadWrite", "AdvancedHunting.Read"],
  routes() {
    return incidentRoutes(structuredClone(INCIDENTS));
  },
};
