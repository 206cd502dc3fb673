import type { RouteContext } from "../types.js";
import type { Entity } from "./defender-for-endpoint.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Microsoft Defender for Cloud Apps API on the tenant's host (<tenant>.<region>.portal.cloudappsecurity.com):
// alerts, activities and files listed by POST with filters in the body; alerts closed in bulk.
// learn.microsoft.com/defender-cloud-apps/api-alerts-list, api-activities-list, api-files-list,
// api-alerts-close-true-positive, api-alerts-close-benign, api-alerts-close-false-positive, api-entities-list,
// api-activities-fetch, api-files-fetch; permissions from api-authentication-application (Investigation.read,
// Investigation.manage).

const HOUR = 3600_000;

function seedAlerts(now: number): Entity[] {
  return [
    {
      _id: "5f0d7a3e2c1b4a0012ab34cd",
      timestamp: now - 2 * HOUR,
      title: "Impossible travel activity",
      description:
        "The user adelev@contoso.com signed in from Amsterdam and 40 minutes later from Singapore.",
      severityValue: 2,
      resolutionStatusValue: 0,
      statusValue: 1,
      isSystemAlert: false,
      entities: [
        { type: "user", id: "adelev@contoso.com", label: "Adele Vance" },
        { type: "ip", id: "203.0.113.7", label: "203.0.113.7" },
      ],
      policy: { id: "impossible-travel", label: "Impossible travel", type: "ANUBIS_DETECTION" },
      URL: "https://contoso.us3.portal.cloudappsecurity.com/#/alerts/5f0d7a3e2c1b4a0012ab34cd",
    },
    {
      _id: "5f0d7a3e2c1b4a0012ab34ce",
      timestamp: now - 20 * HOUR,
      title: "Mass download by a single user",
      description: "meganb@contoso.com downloaded 412 files from SharePoint Online in 5 minutes.",
      severityValue: 1,
      resolutionStatusValue: 0,
      statusValue: 1,
      isSystemAlert: false,
      entities: [{ type: "user", id: "meganb@contoso.com", label: "Megan Bowen" }],
      policy: { id: "mass-download", label: "Mass download", type: "ANUBIS_DETECTION" },
      URL: "https://contoso.us3.portal.cloudappsecurity.com/#/alerts/5f0d7a3e2c1b4a0012ab34ce",
    },
    {
      _id: "5f0d7a3e2c1b4a0012ab34d0",
      timestamp: now - 30 * HOUR,
      title: "Suspicious inbox forwarding",
      description: "meganb@contoso.com created a rule forwarding mail to archive@fabrikam-invoices.com.",
      severityValue: 1,
      resolutionStatusValue: 0,
      statusValue: 1,
      isSystemAlert: false,
      entities: [{ type: "user", id: "meganb@contoso.com", label: "Megan Bowen" }],
      policy: { id: "inbox-forwarding", label: "Suspicious inbox forwarding", type: "ANUBIS_DETECTION" },
      URL: "https://contoso.us3.portal.cloudappsecurity.com/#/alerts/5f0d7a3e2c1b4a0012ab34d0",
    },
    {
      _id: "5f0d7a3e2c1b4a0012ab34cf",
      timestamp: now - 70 * HOUR,
      title: "Activity from infrequent country",
      description: "Sign-in from a country not seen in the organization for 180 days.",
      severityValue: 0,
      resolutionStatusValue: 1,
      statusValue: 2,
      isSystemAlert: false,
      entities: [{ type: "user", id: "alexw@contoso.com", label: "Alex Wilber" }],
      policy: {
        id: "infrequent-country",
        label: "Activity from infrequent country",
        type: "ANUBIS_DETECTION",
      },
      URL: "https://contoso.us3.portal.cloudappsecurity.com/#/alerts/5f0d7a3e2c1b4a0012ab34cf",
    },
  ];
}

function seedActivities(now: number): Entity[] {
  const activity = (id: string, ago: number, description: string, ip: string, user: string, app: string) => ({
    _id: id,
    tenantId: 2109384,
    timestamp: now - ago * HOUR,
    appId: app === "Office 365" ? 11161 : 20893,
    appName: app,
    description,
    device: { clientIP: ip, userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" },
    location: { countryCode: ip.startsWith("203.") ? "SG" : "NL" },
    user: { userName: user },
    eventTypeName: "EVENT_CATEGORY_LOGIN",
    // ip.category: 1 Corporate … 3 Risky; source: 2 App connector (api-activities-list filters).
    ip: { address: ip, category: ip.startsWith("203.") ? 3 : 1 },
    source: 2,
    activity: { takenAction: null },
  });
  return [
    activity(
      "a1f3c2d4e5",
      2,
      "Failed log on (Failure message: Invalid password)",
      "203.0.113.7",
      "adelev@contoso.com",
      "Office 365",
    ),
    activity("a1f3c2d4e6", 3, "Log on", "198.51.100.20", "adelev@contoso.com", "Office 365"),
    activity(
      "a1f3c2d4e7",
      21,
      "Download file: payroll-2026-11.xlsx",
      "198.51.100.33",
      "meganb@contoso.com",
      "Microsoft SharePoint Online",
    ),
  ];
}

const FILES: Entity[] = [
  {
    _id: "f1a2b3c4d5e6f7a8b9c0d1e2",
    name: "payroll-2026-11.xlsx",
    ownerAddress: "meganb@contoso.com",
    ownerName: "Megan Bowen",
    fileTypeDisplay: "Spreadsheet",
    fileType: [2, "SPREADSHEET"],
    fileExtension: "xlsx",
    isQuarantined: false,
    fileSize: 48213,
    sharepointItem: { parentPath: "/sites/Finance/Shared Documents" },
    alternateLink: "https://contoso.sharepoint.com/sites/Finance/Shared%20Documents/payroll-2026-11.xlsx",
    appName: "Microsoft SharePoint Online",
    fileAccessLevel: [1, "INTERNAL"],
    modifiedDate: 1733400000000,
  },
  {
    _id: "f1a2b3c4d5e6f7a8b9c0d1e3",
    name: "board-minutes.docx",
    ownerAddress: "adelev@contoso.com",
    ownerName: "Adele Vance",
    fileTypeDisplay: "Document",
    fileType: [1, "DOCUMENT"],
    fileExtension: "docx",
    isQuarantined: true,
    fileSize: 120933,
    sharepointItem: { parentPath: "/personal/adelev_contoso_com/Documents" },
    alternateLink:
      "https://contoso-my.sharepoint.com/personal/adelev_contoso_com/Documents/board-minutes.docx",
    appName: "Microsoft OneDrive for Business",
    fileAccessLevel: [3, "PUBLIC"],
    modifiedDate: 1733300000000,
  },
];

/** Users and accounts (api-entities-list): type user/account, isAdmin, isExternal, status (2 active, 3 suspended). */
const ENTITIES: Entity[] = [
  {
    _id: "64f1a2b3c4d5e6f708192a3b",
    id: "6e7b768e-07e2-4810-8459-485f84f8f204",
    displayName: "Adele Vance",
    type: "user",
    idType: 1,
    isAdmin: true,
    isExternal: false,
    isFake: false,
    email: "adelev@contoso.com",
    username: '{"id": "6e7b768e-07e2-4810-8459-485f84f8f204", "saas": 11161, "inst": 0}',
    domain: "contoso.com",
    organization: "Contoso",
    role: "Global Administrator",
    status: 2,
    threatScore: 42,
    lastSeen: "2026-12-06T22:41:05Z",
    userGroups: [
      { _id: "5e1f2a3b4c5d6e7f80910a1b", id: "admins", name: "Office 365 administrator", usersCount: 2 },
    ],
    accounts: [
      {
        _id: "64f1a2b3c4d5e6f708192a3c",
        inst: 0,
        saas: 11161,
        dn: "Adele Vance",
        aliases: ["adelev@contoso.com"],
      },
    ],
  },
  {
    _id: "64f1a2b3c4d5e6f708192a3d",
    id: "08fa38e4-cbfa-4488-94ed-c834da6539df",
    displayName: "Megan Bowen",
    type: "user",
    idType: 1,
    isAdmin: false,
    isExternal: false,
    isFake: false,
    email: "meganb@contoso.com",
    username: '{"id": "08fa38e4-cbfa-4488-94ed-c834da6539df", "saas": 11161, "inst": 0}',
    domain: "contoso.com",
    organization: "Contoso",
    role: "User",
    status: 2,
    threatScore: 77,
    lastSeen: "2026-12-06T20:02:44Z",
    userGroups: [],
    accounts: [],
  },
  {
    _id: "64f1a2b3c4d5e6f708192a3e",
    id: "partner@fabrikam.com",
    displayName: "partner@fabrikam.com",
    type: "account",
    idType: 2,
    isAdmin: false,
    isExternal: true,
    isFake: false,
    email: "partner@fabrikam.com",
    username: '{"id": "partner@fabrikam.com", "saas": 20893, "inst": 0}',
    domain: "fabrikam.com",
    organization: "Fabrikam",
    role: "Guest",
    status: 3,
    threatScore: 5,
    lastSeen: "2026-12-01T08:15:00Z",
    userGroups: [],
    accounts: [],
  },
];

/** A filter of the list body: `{ field: { eq: value | [values] } }` (other operators are not served). */
function fieldValue(entity: Entity, field: string): unknown {
  if (field === "severity") return entity["severityValue"];
  if (field === "resolutionStatus") return entity["resolutionStatusValue"];
  if (field === "id") return entity["_id"];
  if (field === "filename") return entity["name"];
  if (field === "fileType") return (entity["fileType"] as unknown[] | undefined)?.[0];
  if (field === "sharing") return (entity["fileAccessLevel"] as unknown[] | undefined)?.[0];
  if (field === "extension") return entity["fileExtension"];
  if (field === "quarantined") return entity["isQuarantined"];
  if (field === "activity.takenAction") return (entity["activity"] as Entity | undefined)?.["takenAction"];
  if (field === "userGroups")
    return ((entity["userGroups"] as Entity[] | undefined) ?? []).map((group) => group["_id"]).join(",");
  return field.split(".").reduce<unknown>((value, key) => (value as Entity | undefined)?.[key], entity);
}

function applyFilters(items: Entity[], filters: unknown): Entity[] | string {
  if (filters === undefined) return items;
  if (typeof filters !== "object" || filters === null) return "filters must be an object.";
  let result = items;
  for (const [field, condition] of Object.entries(filters as Record<string, unknown>)) {
    const eq = (condition as { eq?: unknown } | null)?.eq;
    if (eq === undefined) return `Unsupported filter on '${field}': only 'eq' is served.`;
    const wanted = Array.isArray(eq) ? eq : [eq];
    result = result.filter((item) => wanted.some((value) => value === fieldValue(item, field)));
  }
  return result;
}

function listRoute(path: string, items: () => Entity[]): ServiceRoute {
  return {
    method: "POST",
    path,
    roles: ["Investigation.read", "Investigation.manage"],
    scopes: ["investigation.read", "investigation.manage"],
    handler: (ctx: RouteContext) => {
      const body = (ctx.body ?? {}) as Entity;
      const filtered = applyFilters(items(), body["filters"]);
      if (typeof filtered === "string") return ctx.json(400, { detail: filtered });
      const skip = body["skip"] === undefined ? 0 : Number(body["skip"]);
      const limit = body["limit"] === undefined ? 100 : Number(body["limit"]);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100 || !Number.isInteger(skip) || skip < 0) {
        return ctx.json(400, { detail: "limit must be 1-100 and skip a whole number." });
      }
      const sorted = [...filtered].sort(
        (a, b) =>
          (body["sortDirection"] === "asc" ? 1 : -1) *
          (Number(a["timestamp"] ?? 0) - Number(b["timestamp"] ?? 0)),
      );
      const data = sorted.slice(skip, skip + limit);
      return ctx.json(200, { total: filtered.length, hasNext: skip + limit < filtered.length, data });
    },
  };
}

/** GET of one entry by `_id` (api-activities-fetch, api-files-fetch). */
function fetchRoute(path: string, items: () => Entity[]): ServiceRoute {
  return {
    method: "GET",
    path,
    roles: ["Investigation.read", "Investigation.manage"],
    scopes: ["investigation.read", "investigation.manage"],
    handler: (ctx) => {
      const found = items().find((candidate) => candidate["_id"] === ctx.params["id"]);
      return found ? ctx.json(200, found) : ctx.json(404, { detail: "Not found." });
    },
  };
}

/** Closes the open alerts the filters choose; answers `{ <counter>: n }`. */
function closeRoute(path: string, alerts: Entity[], counter: string, resolution: number): ServiceRoute {
  return {
    method: "POST",
    path,
    roles: ["Investigation.manage"],
    scopes: ["investigation.manage"],
    handler: (ctx) => {
      const body = (ctx.body ?? {}) as Entity;
      const chosen = applyFilters(alerts, body["filters"]);
      if (typeof chosen === "string") return ctx.json(400, { detail: chosen });
      const open = chosen.filter((alert) => alert["resolutionStatusValue"] === 0);
      for (const alert of open) {
        alert["resolutionStatusValue"] = resolution;
        alert["statusValue"] = 2;
        if (typeof body["comment"] === "string") alert["comment"] = body["comment"];
        if (body["reason"] !== undefined) alert["closeReason"] = body["reason"];
      }
      return ctx.json(200, { [counter]: open.length });
    },
  };
}

export const cloudApps: EmulatedService = {
  key: "cloud-apps",
  displayName: "Microsoft Defender for Cloud Apps",
  audiences: ["05a65629-4c1b-48c1-a78b-804c4abdd4af"],
  hosts:
    /^[a-z0-9-]+\.[a-z0-9-]+\.(portal\.cloudappsecurity\.com|portal\.cloudappsecuritygov\.com|portal\.cloudappsecurity\.us)$/i,
  demoRoles: ["Investigation.read", "Investigation.manage"],
  demoScopes: ["investigation.read"],
  routes() {
    const now = Date.now();
    const alerts = seedAlerts(now);
    const activities = seedActivities(now);
    const files = structuredClone(FILES);
    const entities = structuredClone(ENTITIES);
    return [
      listRoute("/api/v1/alerts/", () => alerts),
      listRoute("/api/v1/activities/", () => activities),
      listRoute("/api/v1/files/", () => files),
      {
        method: "GET",
        path: "/api/v1/alerts/:id/",
        roles: ["Investigation.read", "Investigation.manage"],
        scopes: ["investigation.read", "investigation.manage"],
        handler: (ctx) => {
          const alert = alerts.find((candidate) => candidate["_id"] === ctx.params["id"]);
          return alert ? ctx.json(200, alert) : ctx.json(404, { detail: "Not found." });
        },
      },
      fetchRoute("/api/v1/activities/:id/", () => activities),
      fetchRoute("/api/v1/files/:id/", () => files),
      listRoute("/api/v1/entities/", () => entities),
      // api-alerts-close-benign and api-alerts-close-false-positive: resolutionStatus 4 benign, 3 false positive.
      closeRoute("/api/v1/alerts/close_benign/", alerts, "closed_benign", 4),
      closeRoute("/api/v1/alerts/close_false_positive/", alerts, "closed_false_positive", 3),
      {
        method: "POST",
        path: "/api/v1/alerts/close_true_positive/",
        roles: ["Investigation.manage"],
        scopes: ["investigation.manage"],
        handler: (ctx) => {
          const body = (ctx.body ?? {}) as Entity;
          const chosen = applyFilters(alerts, body["filters"]);
          if (typeof chosen === "string") return ctx.json(400, { detail: chosen });
          const open = chosen.filter((alert) => alert["resolutionStatusValue"] === 0);
          for (const alert of open) {
            alert["resolutionStatusValue"] = 2;
            alert["statusValue"] = 2;
            if (typeof body["comment"] === "string") alert["comment"] = body["comment"];
          }
          return ctx.json(200, { closed_true_positive: open.length });
        },
      },
    ];
  },
};
