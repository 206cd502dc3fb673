import type { RouteContext } from "../types.js";
import type { Entity } from "./defender-for-endpoint.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Office 365 Management Activity API (learn.microsoft.com/office/office-365-management-api/
// office-365-management-activity-api-reference): subscriptions start/stop/list, content listed per content type
// and time window, content blobs downloaded from the contentUri (same host, tenant in the path). Error codes
// (AF…) from that page's "Errors" table.

const CONTENT_TYPES = [
  "Audit.AzureActiveDirectory",
  "Audit.Exchange",
  "Audit.SharePoint",
  "Audit.General",
  "DLP.All",
];
const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Blob {
  contentType: string;
  contentId: string;
  created: number;
  records: Entity[];
}

const RECORDS: Record<string, (time: string, id: string) => Entity> = {
  "Audit.AzureActiveDirectory": (time, id) => ({
    CreationTime: time,
    Id: id,
    Operation: "UserLoggedIn",
    RecordType: 15,
    ResultStatus: "Success",
    UserKey: "10032001A2B3C4D5@contoso.com",
    UserType: 0,
    Version: 1,
    Workload: "AzureActiveDirectory",
    ClientIP: "198.51.100.20",
    ObjectId: "00000003-0000-0ff1-ce00-000000000000",
    UserId: "adelev@contoso.com",
    AzureActiveDirectoryEventType: 1,
    ApplicationId: "89bee1f7-5e6e-4d8a-9f3d-ecd601259da7",
  }),
  "Audit.Exchange": (time, id) => ({
    CreationTime: time,
    Id: id,
    Operation: "New-InboxRule",
    RecordType: 1,
    ResultStatus: "True",
    UserKey: "10032001A2B3C4D6",
    UserType: 0,
    Version: 1,
    Workload: "Exchange",
    ClientIP: "203.0.113.7:51612",
    ObjectId: "meganb@contoso.com\\Forward to archive",
    UserId: "meganb@contoso.com",
    Parameters: [
      { Name: "ForwardTo", Value: "archive@fabrikam-invoices.com" },
      { Name: "Name", Value: "Forward to archive" },
    ],
  }),
  "Audit.SharePoint": (time, id) => ({
    CreationTime: time,
    Id: id,
    Operation: "FileDownloaded",
    RecordType: 6,
    UserKey: "i:0h.f|membership|10032001a2b3c4d6@live.com",
    UserType: 0,
    Version: 1,
    Workload: "SharePoint",
    ClientIP: "198.51.100.33",
    ObjectId: "https://contoso.sharepoint.com/sites/Finance/Shared Documents/payroll-2026-11.xlsx",
    UserId: "meganb@contoso.com",
    SourceFileName: "payroll-2026-11.xlsx",
    SiteUrl: "https://contoso.sharepoint.com/sites/Finance/",
  }),
  "Audit.General": (time, id) => ({
    CreationTime: time,
    Id: id,
    Operation: "AlertTriggered",
    RecordType: 40,
    ResultStatus: "Succeeded",
    UserKey: "SecurityComplianceAlerts",
    UserType: 4,
    Version: 1,
    Workload: "SecurityComplianceCenter",
    ObjectId: "a3b1c6b6-2a1d-4f24-8b5e-0d3c7f0b5a10",
    UserId: "SecurityComplianceAlerts",
    AlertType: "System",
    Name: "Suspicious email forwarding activity",
    Severity: "Medium",
  }),
  "DLP.All": (time, id) => ({
    CreationTime: time,
    Id: id,
    Operation: "DlpRuleMatch",
    RecordType: 13,
    UserKey: "DlpAgent",
    UserType: 4,
    Version: 1,
    Workload: "Exchange",
    ObjectId: "<CY4PR04MB1234@contoso.com>",
    UserId: "meganb@contoso.com",
    PolicyDetails: [
      { PolicyName: "U.S. Financial Data", Rules: [{ RuleName: "Credit card numbers", Severity: "High" }] },
    ],
  }),
};

/** Content blobs of each type: two in the last day, one older (outside the default window). */
function seedBlobs(now: number): Blob[] {
  const blobs: Blob[] = [];
  CONTENT_TYPES.forEach((contentType, typeIndex) => {
    [2, 9, 30].forEach((hoursAgo, index) => {
      const created = Math.floor((now - hoursAgo * HOUR) / 1000) * 1000;
      const stamp = new Date(created).toISOString().replace(/[-:T]/g, "").slice(0, 14);
      const contentId = `${stamp}${typeIndex}${index}$${stamp}${typeIndex}${index}$${contentType.toLowerCase().replace(".", "_")}$${contentType.replace(".", "_")}$na0${typeIndex}${index}`;
      const records = [0, 1].map((n) =>
        RECORDS[contentType]!(
          new Date(created - (n + 1) * 60_000).toISOString().replace(/\.\d{3}Z$/, ""),
          `${(typeIndex * 16 + index * 4 + n).toString(16).padStart(8, "0")}-6c2e-4d1a-8f3b-5e7a9c0d1b2f`,
        ),
      );
      blobs.push({ contentType, contentId, created, records });
    });
  });
  return blobs;
}

const afError = (ctx: RouteContext, status: number, code: string, message: string) =>
  ctx.json(status, { error: { code, message } });

/**
 * The feed of the token's tenant only: a path naming another tenant answers AF20010 (the reference's "Errors"
 * table: the tenant ID in the URL does not match the one in the access token).
 */
function otherTenant(ctx: RouteContext) {
  const tenant = ctx.params["tenant"] ?? "";
  const tid = String(ctx.claims.tid ?? "");
  if (tenant.toLowerCase() === tid.toLowerCase()) return undefined;
  return afError(
    ctx,
    400,
    "AF20010",
    `The tenant ID passed in the URL (${tenant}) does not match the tenant ID passed in the access token (${tid}).`,
  );
}

/** Wraps each route's handler with the tenant check. */
const sameTenant = (routes: ServiceRoute[]): ServiceRoute[] =>
  routes.map((route) => ({ ...route, handler: (ctx) => otherTenant(ctx) ?? route.handler(ctx) }));

/** The feed's content type, or an AF error answer. */
function contentTypeOf(ctx: RouteContext) {
  const type = ctx.query["contentType"];
  if (!type) return afError(ctx, 400, "AF20001", "Missing parameter: contentType.");
  if (!CONTENT_TYPES.includes(type))
    return afError(ctx, 400, "AF20020", `The specified content type is not valid: ${type}.`);
  return type;
}

/** The requested window (both or neither, at most 24 hours, within the last 7 days), or an AF error answer. */
function windowOf(ctx: RouteContext, now: number) {
  const { startTime, endTime } = ctx.query;
  if (!startTime && !endTime) return { start: now - DAY, end: now };
  const start = Date.parse(`${startTime}${/Z|[+-]\d\d:?\d\d$/.test(startTime ?? "") ? "" : "Z"}`);
  const end = Date.parse(`${endTime}${/Z|[+-]\d\d:?\d\d$/.test(endTime ?? "") ? "" : "Z"}`);
  if (
    Number.isNaN(start) ||
    Number.isNaN(end) ||
    end <= start ||
    end - start > DAY ||
    start < now - 7 * DAY
  ) {
    return afError(
      ctx,
      400,
      "AF20055",
      "Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.",
    );
  }
  return { start, end };
}

function subscriptionRoutes(subscriptions: Map<string, "enabled" | "disabled">): ServiceRoute[] {
  const feed = "/api/v1.0/:tenant/activity/feed/subscriptions";
  const scopes = {
    roles: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
    scopes: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
  };
  const entry = (contentType: string) => ({
    contentType,
    status: subscriptions.get(contentType),
    webhook: null,
  });
  return [
    {
      method: "GET",
      path: `${feed}/list`,
      ...scopes,
      handler: (ctx) => ctx.json(200, [...subscriptions.keys()].map(entry)),
    },
    {
      method: "POST",
      path: `${feed}/start`,
      ...scopes,
      handler: (ctx) => {
        const type = contentTypeOf(ctx);
        if (typeof type !== "string") return type;
        if (subscriptions.get(type) === "enabled") {
          return afError(ctx, 400, "AF20024", "The subscription is already enabled. No property change.");
        }
        subscriptions.set(type, "enabled");
        return ctx.json(200, entry(type));
      },
    },
    {
      method: "POST",
      path: `${feed}/stop`,
      ...scopes,
      handler: (ctx) => {
        const type = contentTypeOf(ctx);
        if (typeof type !== "string") return type;
        if (subscriptions.get(type) !== "enabled") {
          return afError(ctx, 400, "AF20022", "No subscription found for the specified content type.");
        }
        subscriptions.set(type, "disabled");
        return ctx.empty(204);
      },
    },
  ];
}

function contentRoutes(subscriptions: Map<string, "enabled" | "disabled">, blobs: Blob[]): ServiceRoute[] {
  const scopes = {
    roles: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
    scopes: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
  };
  return [
    {
      method: "GET",
      path: "/api/v1.0/:tenant/activity/feed/subscriptions/content",
      ...scopes,
      handler: (ctx) => {
        const type = contentTypeOf(ctx);
        if (typeof type !== "string") return type;
        if (subscriptions.get(type) !== "enabled") {
          return afError(ctx, 400, "AF20022", "No subscription found for the specified content type.");
        }
        const window = windowOf(ctx, Date.now());
        if ("status" in window) return window;
        // The contentUri is on the host the client called, with the tenant of the path.
        const host = ctx.headers["x-forwarded-host"]
          ? `https://${ctx.headers["x-forwarded-host"]}`
          : ctx.origin;
        const tenant = encodeURIComponent(ctx.params["tenant"] ?? "");
        const found = blobs.filter(
          (blob) => blob.contentType === type && blob.created >= window.start && blob.created < window.end,
        );
        return ctx.json(
          200,
          found.map((blob) => ({
            contentType: blob.contentType,
            contentId: blob.contentId,
            contentUri: `${host}/api/v1.0/${tenant}/activity/feed/audit/${blob.contentId}`,
            contentCreated: new Date(blob.created).toISOString(),
            contentExpiration: new Date(blob.created + 7 * DAY).toISOString(),
          })),
        );
      },
    },
    {
      method: "GET",
      path: "/api/v1.0/:tenant/activity/feed/audit/:contentId",
      ...scopes,
      handler: (ctx) => {
        const blob = blobs.find((candidate) => candidate.contentId === ctx.params["contentId"]);
        if (!blob)
          return afError(
            ctx,
            400,
            "AF20050",
            `The specified content (${ctx.params["contentId"]}) does not exist.`,
          );
        const roles = ctx.claims.roles ?? (ctx.claims.scp ?? "").split(" ");
        if (
          blob.contentType === "DLP.All" &&
          !roles.some((role) => role.toLowerCase() === "activityfeed.readdlp")
        ) {
          return afError(
            ctx,
            403,
            "AF10001",
            "The permission set sent in the request did not include the expected permission ActivityFeed.ReadDlp.",
          );
        }
        return ctx.json(
          200,
          blob.records.map((record) => ({ ...record, OrganizationId: ctx.params["tenant"] })),
        );
      },
    },
  ];
}

export const office365Management: EmulatedService = {
  key: "office-365-management",
  displayName: "Office 365 Management Activity API",
  audiences: [
    "https://manage.office.com",
    "https://manage-gcc.office.com",
    "https://manage.office365.us",
    "https://manage.protection.apps.mil",
  ],
  hosts:
    /^(manage\.office\.com|manage-gcc\.office\.com|manage\.office365\.us|manage\.protection\.apps\.mil)$/i,
  demoRoles: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
  demoScopes: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
  routes() {
    const subscriptions = new Map<string, "enabled" | "disabled">([
      ["Audit.AzureActiveDirectory", "enabled"],
      ["Audit.Exchange", "enabled"],
      ["Audit.SharePoint", "disabled"],
    ]);
    return sameTenant([
      ...subscriptionRoutes(subscriptions),
      ...contentRoutes(subscriptions, seedBlobs(Date.now())),
    ]);
  },
};
