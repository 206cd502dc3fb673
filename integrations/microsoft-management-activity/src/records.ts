import { UsageError } from "@msint/integration-kit";

/**
 * AuditLogRecordType names and the numbers the records carry (learn.microsoft.com/office/
 * office-365-management-api/office-365-management-activity-api-schema, "Enum: AuditLogRecordType").
 */
export const RECORD_TYPES: Readonly<Record<string, number>> = {
  ExchangeAdmin: 1,
  ExchangeItem: 2,
  ExchangeItemGroup: 3,
  SharePoint: 4,
  SharePointFileOperation: 6,
  OneDrive: 7,
  AzureActiveDirectory: 8,
  AzureActiveDirectoryAccountLogon: 9,
  DataCenterSecurityCmdlet: 10,
  ComplianceDLPSharePoint: 11,
  ComplianceDLPExchange: 13,
  SharePointSharingOperation: 14,
  AzureActiveDirectoryStsLogon: 15,
  SkypeForBusinessPSTNUsage: 16,
  SkypeForBusinessUsersBlocked: 17,
  SecurityComplianceCenterEOPCmdlet: 18,
  ExchangeAggregatedOperation: 19,
  PowerBIAudit: 20,
  CRM: 21,
  Yammer: 22,
  SkypeForBusinessCmdlets: 23,
  Discovery: 24,
  MicrosoftTeams: 25,
  ThreatIntelligence: 28,
  MailSubmission: 29,
  MicrosoftFlow: 30,
  AeD: 31,
  MicrosoftStream: 32,
  ComplianceDLPSharePointClassification: 33,
  ThreatFinder: 34,
  Project: 35,
  SharePointListOperation: 36,
  SharePointCommentOperation: 37,
  DataGovernance: 38,
  Kaizala: 39,
  SecurityComplianceAlerts: 40,
  ThreatIntelligenceUrl: 41,
};

const list = (raw: string | undefined) =>
  (raw ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** A record type given by name (as XSOAR takes it) or by number. */
function recordTypeNumber(name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  const entry = Object.entries(RECORD_TYPES).find(([known]) => known.toLowerCase() === name.toLowerCase());
  if (!entry) {
    throw new UsageError(
      `record_types_filter: unknown record type "${name}". Give AuditLogRecordType names (e.g. AzureActiveDirectoryStsLogon, ExchangeAdmin, SharePointFileOperation) or numbers.`,
    );
  }
  return entry[1];
}

/**
 * What list-content keeps: records whose RecordType is in record_types_filter, Workload in workloads_filter and
 * Operation in operations_filter (each comma-separated; an empty filter keeps everything).
 */
export function recordFilter(
  args: Readonly<Record<string, string | undefined>>,
): (record: Record<string, unknown>) => boolean {
  const types = new Set(list(args["record_types_filter"]).map(recordTypeNumber));
  const workloads = new Set(list(args["workloads_filter"]).map((item) => item.toLowerCase()));
  const operations = new Set(list(args["operations_filter"]).map((item) => item.toLowerCase()));
  return (record) =>
    (types.size === 0 || types.has(Number(record["RecordType"]))) &&
    (workloads.size === 0 || workloads.has(String(record["Workload"] ?? "").toLowerCase())) &&
    (operations.size === 0 || operations.has(String(record["Operation"] ?? "").toLowerCase()));
}
