import { randomUUID } from "node:crypto";

// The seeded content of the Microsoft Sentinel double (services/sentinel.ts): incidents with their comments,
// alerts, entities and relations, watchlists with items, threat intelligence indicators, analytics rules and rule
// templates. Field names follow the Microsoft.SecurityInsights resources of learn.microsoft.com/rest/api/
// securityinsights (Incidents, Incident Comments/Relations, Watchlists, Watchlist Items, Threat Intelligence
// Indicator, Alert Rules, Alert Rule Templates).

export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export const etag = (): string => `"${randomUUID()}"`;

export interface IncidentComment {
  name: string;
  message: string;
  createdTimeUtc: string;
  author: { objectId?: string; name?: string; email?: string; userPrincipalName?: string };
}

export interface IncidentAlert {
  systemAlertId: string;
  alertDisplayName: string;
  description: string;
  severity: string;
  confidenceLevel: string;
  vendorName: string;
  productName: string;
  productComponentName: string;
  tactics: string[];
  techniques: string[];
}

export interface IncidentEntity {
  name: string;
  kind: string;
  properties: Record<string, unknown>;
}

export interface Incident {
  name: string;
  etag: string;
  incidentNumber: number;
  title: string;
  description: string;
  severity: string;
  status: string;
  classification?: string;
  classificationReason?: string;
  classificationComment?: string;
  createdTimeUtc: string;
  lastModifiedTimeUtc: string;
  firstActivityTimeUtc: string;
  lastActivityTimeUtc: string;
  owner: { assignedTo?: string; email?: string; objectId?: string; userPrincipalName?: string };
  labels: Array<{ labelName: string; labelType: string }>;
  tactics: string[];
  comments: IncidentComment[];
  alerts: IncidentAlert[];
  entities: IncidentEntity[];
  bookmarks: string[];
}

interface IncidentFields extends Partial<Incident> {
  title: string;
}

function incident(number: number, name: string, fields: IncidentFields, minutes: number): Incident {
  return {
    name,
    etag: etag(),
    incidentNumber: number,
    description: "",
    severity: "Medium",
    status: "New",
    createdTimeUtc: minutesAgo(minutes),
    lastModifiedTimeUtc: minutesAgo(minutes - 5),
    firstActivityTimeUtc: minutesAgo(minutes + 20),
    lastActivityTimeUtc: minutesAgo(minutes + 1),
    owner: {},
    labels: [],
    tactics: [],
    comments: [],
    alerts: [],
    entities: [],
    bookmarks: [],
    ...fields,
  };
}

export function seedIncidents(): Incident[] {
  return [
    incident(
      3177,
      "73e01a99-5cd7-4139-a149-9f2736ff2ab5",
      {
        title: "Multiple failed sign-ins",
        description: "Ten failed sign-ins to adele.vance@contoso.onmicrosoft.com from one IP address.",
        severity: "High",
        owner: {
          assignedTo: "Adele Vance",
          email: "adele.vance@contoso.onmicrosoft.com",
          objectId: "b1c2d3e4-0001-4a5b-8c9d-0e1f2a3b4c5d",
          userPrincipalName: "adele.vance@contoso.onmicrosoft.com",
        },
        labels: [{ labelName: "identity", labelType: "User" }],
        tactics: ["CredentialAccess"],
        alerts: [
          {
            systemAlertId: "9d3c1f0e-5a7b-4c2d-8e6f-1a2b3c4d5e6f",
            alertDisplayName: "Brute force attack against an Entra ID account",
            description: "Ten failed sign-ins within five minutes from 203.0.113.24.",
            severity: "High",
            confidenceLevel: "High",
            vendorName: "Microsoft",
            productName: "Azure Sentinel",
            productComponentName: "Scheduled Alerts",
            tactics: ["CredentialAccess"],
            techniques: ["T1110"],
          },
        ],
        entities: [
          {
            name: "e1f2a3b4-1111-4c5d-9e0f-a1b2c3d4e5f6",
            kind: "Account",
            properties: {
              accountName: "adele.vance",
              upnSuffix: "contoso.onmicrosoft.com",
              friendlyName: "adele.vance",
            },
          },
          {
            name: "e1f2a3b4-2222-4c5d-9e0f-a1b2c3d4e5f6",
            kind: "Ip",
            properties: { address: "203.0.113.24", friendlyName: "203.0.113.24" },
          },
        ],
        bookmarks: ["5b7d9f1e-3c4a-4b6d-8e2f-0a1c3e5f7b9d"],
      },
      30,
    ),
    incident(
      3176,
      "e2a8f1c4-0b7d-4d3e-9a61-5c2f8e7d1b09",
      {
        title: "Suspicious PowerShell command line",
        description: "An encoded PowerShell command ran on WIN-SRV-01.",
        status: "Active",
        owner: { assignedTo: "Megan Bowen", email: "megan.bowen@contoso.onmicrosoft.com" },
        tactics: ["Execution"],
        entities: [
          {
            name: "e1f2a3b4-3333-4c5d-9e0f-a1b2c3d4e5f6",
            kind: "Host",
            properties: { hostName: "WIN-SRV-01", friendlyName: "WIN-SRV-01" },
          },
        ],
      },
      240,
    ),
    incident(
      3175,
      "4c1d9b7e-6f2a-4e8b-8d3c-1a0f5e9b7c26",
      {
        title: "Mass download by a single user",
        description: "A user downloaded 1,200 files from SharePoint in ten minutes.",
        severity: "Low",
        status: "Closed",
        classification: "BenignPositive",
        classificationReason: "SuspiciousButExpected",
      },
      1440,
    ),
  ];
}

export interface WatchlistItem {
  id: string;
  itemsKeyValue: Record<string, unknown>;
  created: string;
  updated: string;
  createdBy: string;
  updatedBy: string;
}

export interface Watchlist {
  alias: string;
  watchlistId: string;
  etag: string;
  properties: Record<string, unknown>;
  items: WatchlistItem[];
}

function watchlist(
  alias: string,
  displayName: string,
  description: string,
  key: string,
  rows: Array<Record<string, unknown>>,
): Watchlist {
  const created = minutesAgo(10_000);
  return {
    alias,
    watchlistId: randomUUID(),
    etag: etag(),
    properties: {
      displayName,
      watchlistAlias: alias,
      description,
      provider: "Microsoft",
      source: "Local file",
      itemsSearchKey: key,
      labels: ["soc"],
      created,
      updated: created,
      createdBy: { name: "Adele Vance" },
      updatedBy: { name: "Adele Vance" },
    },
    items: rows.map((row, index) => ({
      id: `${alias === "high-value-assets" ? "a" : "b"}0c1d2e3-000${index}-4f5a-8b6c-7d8e9f0a1b2c`,
      itemsKeyValue: row,
      created,
      updated: created,
      createdBy: "Adele Vance",
      updatedBy: "Adele Vance",
    })),
  };
}

export function seedWatchlists(): Watchlist[] {
  return [
    watchlist(
      "high-value-assets",
      "High Value Assets",
      "Servers whose compromise would stop the business.",
      "AssetName",
      [
        { AssetName: "WIN-SRV-01", Owner: "Megan Bowen" },
        { AssetName: "SQL-PROD-02", Owner: "Lee Gu" },
      ],
    ),
    watchlist("vip-users", "VIP Users", "Accounts of the executive team.", "UserPrincipalName", [
      { UserPrincipalName: "adele.vance@contoso.onmicrosoft.com", Title: "CEO" },
    ]),
  ];
}

export interface Indicator {
  name: string;
  etag: string;
  properties: Record<string, unknown>;
}

function indicatorProperties(
  patternType: string,
  value: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    confidence: 80,
    created: minutesAgo(2_000),
    createdByRef: "identity--contoso-soc",
    externalId: `indicator--${randomUUID()}`,
    lastUpdatedTimeUtc: minutesAgo(1_000),
    pattern: `[${patternType}:value = '${value}']`,
    patternType,
    parsedPattern: [{ patternTypeKey: patternType, patternTypeValues: [{ valueType: patternType, value }] }],
    revoked: false,
    source: "Microsoft Sentinel",
    threatIntelligenceTags: [],
    threatTypes: ["malicious-activity"],
    validFrom: minutesAgo(2_000),
    killChainPhases: [],
    ...fields,
  };
}

export function seedIndicators(): Indicator[] {
  return [
    {
      name: "a31f2257-1af5-5eb9-bc82-acb8cc10becd",
      etag: etag(),
      properties: indicatorProperties("ipv4-addr", "203.0.113.24", {
        displayName: "Brute force source 203.0.113.24",
        description: "Source of the password spray against Contoso.",
        threatIntelligenceTags: ["password-spray"],
        killChainPhases: [{ killChainName: "lockheed-martin", phaseName: "exploitation" }],
      }),
    },
    {
      name: "b42f3368-2bf6-4fca-8d93-bdc9dd21cfde",
      etag: etag(),
      properties: indicatorProperties("domain-name", "login-contoso.example", {
        displayName: "Phishing domain login-contoso.example",
        confidence: 60,
        threatTypes: ["compromised"],
        source: "Contoso TI feed",
      }),
    },
    {
      name: "c53a4479-3ca7-4adb-9ea4-ced0ee32da0f",
      etag: etag(),
      properties: indicatorProperties("url", "http://203.0.113.50/payload.ps1", {
        displayName: "Old payload URL",
        confidence: 40,
        revoked: true,
      }),
    },
  ];
}

export interface AlertRule {
  name: string;
  etag: string;
  kind: string;
  properties: Record<string, unknown>;
}

export function seedAlertRules(): AlertRule[] {
  return [
    {
      name: "8f2b6c1d-4e3a-4b5c-9d6e-7f8a9b0c1d2e",
      etag: etag(),
      kind: "Scheduled",
      properties: {
        displayName: "Failed sign-ins from one IP",
        description: "Ten or more failed sign-ins from one IP address within five minutes.",
        severity: "High",
        enabled: true,
        query: "SigninLogs | where ResultType != 0 | summarize count() by IPAddress | where count_ >= 10",
        queryFrequency: "PT5M",
        queryPeriod: "PT5M",
        triggerOperator: "GreaterThan",
        triggerThreshold: 0,
        suppressionDuration: "PT1H",
        suppressionEnabled: false,
        tactics: ["CredentialAccess"],
        techniques: ["T1110"],
        lastModifiedUtc: minutesAgo(5_000),
      },
    },
    {
      name: "BuiltInFusion",
      etag: etag(),
      kind: "Fusion",
      properties: {
        displayName: "Advanced Multistage Attack Detection",
        alertRuleTemplateName: "f71aba3d-28fb-450b-b192-4e76a83015c8",
        description: "Fusion correlates alerts of several products into multistage incidents.",
        severity: "High",
        enabled: true,
        tactics: ["Collection", "Exfiltration"],
        lastModifiedUtc: minutesAgo(20_000),
      },
    },
  ];
}

export function seedAlertRuleTemplates(): AlertRule[] {
  return [
    {
      name: "f71aba3d-28fb-450b-b192-4e76a83015c8",
      etag: etag(),
      kind: "Fusion",
      properties: {
        displayName: "Advanced Multistage Attack Detection",
        description: "Fusion correlates alerts of several products into multistage incidents.",
        severity: "High",
        status: "Available",
        tactics: ["Collection", "Exfiltration"],
        createdDateUTC: "2019-07-25T00:00:00Z",
        lastUpdatedDateUTC: "2024-01-10T00:00:00Z",
        alertRulesCreatedByTemplateCount: 1,
      },
    },
    {
      name: "0b9ae89d-8cad-461c-808f-0494f70ad5c4",
      etag: etag(),
      kind: "Scheduled",
      properties: {
        displayName: "Password spray attack against Entra ID application",
        description: "Finds many accounts failing to sign in from one IP address.",
        severity: "Medium",
        status: "Available",
        query: "SigninLogs | where ResultType in (50126, 50053)",
        queryFrequency: "P1D",
        queryPeriod: "P7D",
        triggerOperator: "GreaterThan",
        triggerThreshold: 0,
        tactics: ["CredentialAccess"],
        version: "1.2.0",
        requiredDataConnectors: [{ connectorId: "AzureActiveDirectory", dataTypes: ["SigninLogs"] }],
        createdDateUTC: "2021-03-04T00:00:00Z",
        lastUpdatedDateUTC: "2024-05-02T00:00:00Z",
        alertRulesCreatedByTemplateCount: 0,
      },
    },
  ];
}
