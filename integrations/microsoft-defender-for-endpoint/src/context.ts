import type { CommandContext, OutputDefinition } from "@msint/integration-kit";
import { UsageError } from "@msint/integration-kit";

// Context shapes as XSOAR's Microsoft Defender for Endpoint integration writes them (field names from the
// outputs of Packs/MicrosoftDefenderAdvancedThreatProtection/Integrations/MicrosoftDefenderAdvancedThreatProtection/
// MicrosoftDefenderAdvancedThreatProtection.yml, data/xsoar/microsoft-defender-for-endpoint.json).

export type Entry = Record<string, unknown>;

/** A required argument (the kit has checked that it is set). */
export const required = (context: CommandContext, name: string): string => context.args[name] ?? "";

/** Comma-separated argument values, trimmed, empty ones dropped. */
export const listArgument = (value: string | undefined): string[] =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

export const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** `and`-joins the conditions that are set into an OData `$filter`. */
export function filter(conditions: Array<string | false | undefined>): string | undefined {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  return present.length ? present.join(" and ") : undefined;
}

/** A whole number argument within bounds (`name` for the message). */
export function wholeNumber(value: string | undefined, name: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  }
  return number;
}

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/** An ISO time, or XSOAR's relative form ("3 days", "12 hours"): a time that long ago (or ahead with `ahead`). */
export function timeArgument(value: string, name: string, ahead = false, now = Date.now()): string {
  const relative = /^\s*(\d+)\s*(minute|hour|day|week)s?\s*$/i.exec(value);
  if (relative) {
    const span = Number(relative[1]) * (UNITS[relative[2]!.toLowerCase()] ?? 0);
    return new Date(ahead ? now + span : now - span).toISOString();
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new UsageError(`${name} must be a time such as 2026-12-01T00:00:00Z or "3 days" (got "${value}").`);
  }
  return new Date(time).toISOString();
}

/** Output definitions under one prefix: `[field, type, description]`. */
export function outputsOf(
  prefix: string,
  fields: ReadonlyArray<readonly [string, OutputDefinition["type"], string]>,
): OutputDefinition[] {
  return fields.map(([field, type, description]) => ({ path: `${prefix}.${field}`, type, description }));
}

/**
 * A machine as XSOAR writes it under `MicrosoftATP.Machine`; `interfaces` adds its network interfaces the way
 * get-machine-details (`NetworkInterfaces`) or get-machine-by-ip and endpoint (`IPAddresses`, `AgentVersion`) do.
 */
export function toContextMachine(machine: Entry, interfaces?: "details" | "ip"): Entry {
  const addresses = (machine["ipAddresses"] as Entry[] | undefined) ?? [];
  const entry: Entry = {
    ID: machine["id"],
    ComputerDNSName: machine["computerDnsName"],
    FirstSeen: machine["firstSeen"],
    LastSeen: machine["lastSeen"],
    OSPlatform: machine["osPlatform"],
    OSVersion: machine["osVersion"],
    OSProcessor: machine["osProcessor"],
    LastIPAddress: machine["lastIpAddress"],
    LastExternalIPAddress: machine["lastExternalIpAddress"],
    OSBuild: machine["osBuild"],
    HealthStatus: machine["healthStatus"],
    RBACGroupID: machine["rbacGroupId"],
    RBACGroupName: machine["rbacGroupName"],
    RiskScore: machine["riskScore"],
    ExposureLevel: machine["exposureLevel"],
    IsAADJoined: machine["isAadJoined"],
    AADDeviceID: machine["aadDeviceId"],
    MachineTags: machine["machineTags"],
  };
  if (interfaces === "details") {
    entry["NetworkInterfaces"] = addresses.map((item) => ({
      MACAddress: item["macAddress"],
      IPAddresses: item["ipAddress"],
      Type: item["type"],
      Status: item["operationalStatus"],
    }));
  }
  if (interfaces === "ip") {
    entry["IPAddresses"] = addresses.map((item) => ({
      ipAddress: item["ipAddress"],
      MACAddress: item["macAddress"],
      operationalStatus: item["operationalStatus"],
      type: item["type"],
    }));
    entry["AgentVersion"] = machine["agentVersion"];
  }
  return entry;
}

const IP_FIELDS = [
  ["IPAddresses.ipAddress", "string", "An IP address of the machine."],
  ["IPAddresses.MACAddress", "string", "The MAC address of that interface."],
  ["IPAddresses.operationalStatus", "string", "Up, Down …"],
  ["IPAddresses.type", "string", "Ethernet, Wireless80211 …"],
  ["AgentVersion", "string", "The Defender sensor's version."],
] as const;

export const MACHINE_COLUMNS = [
  "ID",
  "ComputerDNSName",
  "OSPlatform",
  "LastIPAddress",
  "LastExternalIPAddress",
  "HealthStatus",
  "RiskScore",
  "ExposureLevel",
];

const MACHINE_FIELDS = [
  ["ID", "string", "The machine's ID."],
  ["ComputerDNSName", "string", "The machine's DNS name."],
  ["FirstSeen", "date", "When the machine was first seen."],
  ["LastSeen", "date", "When the machine was last seen."],
  ["OSPlatform", "string", "The operating system platform."],
  ["OSVersion", "string", "The operating system version."],
  ["OSProcessor", "string", "The processor architecture."],
  ["LastIPAddress", "string", "The last local IP address."],
  ["LastExternalIPAddress", "string", "The last public IP address."],
  ["OSBuild", "number", "The operating system build."],
  ["HealthStatus", "string", "Active, Inactive, ImpairedCommunication, NoSensorData …"],
  ["RBACGroupID", "number", "The machine group's ID."],
  ["RBACGroupName", "string", "The machine group's name."],
  ["RiskScore", "string", "None, Low, Medium or High."],
  ["ExposureLevel", "string", "None, Low, Medium or High."],
  ["IsAADJoined", "boolean", "Whether the machine is joined to Microsoft Entra ID."],
  ["AADDeviceID", "string", "The machine's Microsoft Entra device ID."],
  ["MachineTags", "string", "The machine's tags."],
] as const;

export const machineOutputs = (prefix = "MicrosoftATP.Machine") => outputsOf(prefix, MACHINE_FIELDS);

/** The machine outputs of get-machine-by-ip and endpoint, with the interfaces and agent version. */
export const machineIpOutputs = () => outputsOf("MicrosoftATP.Machine", [...MACHINE_FIELDS, ...IP_FIELDS]);

/** An alert as XSOAR writes it under `MicrosoftATP.Alert`. */
export function toContextAlert(alert: Entry): Entry {
  const comments = (alert["comments"] as Entry[] | undefined) ?? [];
  return {
    ID: alert["id"],
    IncidentID: alert["incidentId"],
    InvestigationID: alert["investigationId"],
    InvestigationState: alert["investigationState"],
    AssignedTo: alert["assignedTo"],
    Severity: alert["severity"],
    Status: alert["status"],
    Classification: alert["classification"],
    Determination: alert["determination"],
    DetectionSource: alert["detectionSource"],
    Category: alert["category"],
    ThreatFamilyName: alert["threatFamilyName"],
    Title: alert["title"],
    Description: alert["description"],
    AlertCreationTime: alert["alertCreationTime"],
    FirstEventTime: alert["firstEventTime"],
    LastEventTime: alert["lastEventTime"],
    LastUpdateTime: alert["lastUpdateTime"],
    ResolvedTime: alert["resolvedTime"],
    MachineID: alert["machineId"],
    ComputerDNSName: alert["computerDnsName"],
    AADTenantID: alert["aadTenantId"],
    Comments: comments.map((comment) => ({
      Comment: comment["comment"],
      CreatedBy: comment["createdBy"],
      CreatedTime: comment["createdTime"],
    })),
    Evidence: alert["evidence"],
    DetectorID: alert["detectorId"],
    ThreatName: alert["threatName"],
    RelatedUser: alert["relatedUser"],
    MitreTechniques: alert["mitreTechniques"],
    RBACGroupName: alert["rbacGroupName"],
  };
}

export const ALERT_COLUMNS = [
  "ID",
  "Title",
  "Severity",
  "Status",
  "Category",
  "MachineID",
  "ComputerDNSName",
];

export const alertOutputs = outputsOf("MicrosoftATP.Alert", [
  ["ID", "string", "The alert's ID."],
  ["IncidentID", "number", "The incident of the alert."],
  ["InvestigationID", "number", "The automated investigation of the alert."],
  ["InvestigationState", "string", "The investigation's state."],
  ["AssignedTo", "string", "Who owns the alert."],
  ["Severity", "string", "Informational, Low, Medium or High."],
  ["Status", "string", "New, InProgress or Resolved."],
  ["Classification", "string", "Unknown, FalsePositive, TruePositive …"],
  ["Determination", "string", "The determination of the alert."],
  ["DetectionSource", "string", "What detected it."],
  ["Category", "string", "The alert's category."],
  ["ThreatFamilyName", "string", "The threat family."],
  ["Title", "string", "The alert's title."],
  ["Description", "string", "The alert's description."],
  ["AlertCreationTime", "date", "When the alert was created."],
  ["FirstEventTime", "date", "The first event of the alert."],
  ["LastEventTime", "date", "The last event of the alert."],
  ["LastUpdateTime", "date", "When the alert was last updated."],
  ["ResolvedTime", "date", "When the alert was resolved."],
  ["MachineID", "string", "The machine of the alert."],
  ["ComputerDNSName", "string", "The machine's DNS name."],
  ["AADTenantID", "string", "The tenant."],
  ["Comments.Comment", "string", "A comment's text."],
  ["Comments.CreatedBy", "string", "Who wrote the comment."],
  ["Comments.CreatedTime", "date", "When the comment was written."],
]);

/** A machine action as XSOAR writes it under `MicrosoftATP.MachineAction`. */
export function toContextAction(action: Entry): Entry {
  const file = action["relatedFileInfo"] as Entry | null | undefined;
  return {
    ID: action["id"],
    Type: action["type"],
    Scope: action["scope"],
    Requestor: action["requestor"],
    RequestorComment: action["requestorComment"],
    Status: action["status"],
    MachineID: action["machineId"],
    ComputerDNSName: action["computerDnsName"],
    CreationDateTimeUtc: action["creationDateTimeUtc"],
    LastUpdateTimeUtc: action["lastUpdateDateTimeUtc"],
    RelatedFileInfo: file
      ? { FileIdentifier: file["fileIdentifier"], FileIdentifierType: file["fileIdentifierType"] }
      : null,
  };
}

export const ACTION_COLUMNS = [
  "ID",
  "Type",
  "Requestor",
  "RequestorComment",
  "Status",
  "MachineID",
  "ComputerDNSName",
];

const ACTION_FIELDS = [
  ["ID", "string", "The machine action's ID."],
  ["Type", "string", "Isolate, Unisolate, RunAntiVirusScan, CollectInvestigationPackage …"],
  ["Scope", "string", "Full or Selective (isolation), Quick or Full (scan)."],
  ["Requestor", "string", "Who asked for the action."],
  ["RequestorComment", "string", "The requestor's comment."],
  ["Status", "string", "Pending, InProgress, Succeeded, Failed, TimeOut or Cancelled."],
  ["MachineID", "string", "The machine's ID."],
  ["ComputerDNSName", "string", "The machine's DNS name."],
  ["CreationDateTimeUtc", "date", "When the action was created."],
  ["LastUpdateTimeUtc", "date", "When the action was last updated."],
  ["RelatedFileInfo.FileIdentifier", "string", "The file of a file action."],
  ["RelatedFileInfo.FileIdentifierType", "string", "Sha1, Sha256 or Md5."],
] as const;

export const actionOutputs = (prefix = "MicrosoftATP.MachineAction") => outputsOf(prefix, ACTION_FIELDS);

/** An automated investigation as XSOAR writes it under `MicrosoftATP.Investigation`. */
export function toContextInvestigation(investigation: Entry): Entry {
  return {
    ID: investigation["id"],
    StartTime: investigation["startTime"],
    EndTime: investigation["endTime"],
    State: investigation["state"],
    CancelledBy: investigation["cancelledBy"],
    StatusDetails: investigation["statusDetails"],
    MachineID: investigation["machineId"],
    ComputerDNSName: investigation["computerDnsName"],
    TriggeringAlertID: investigation["triggeringAlertId"],
  };
}

export const investigationOutputs = outputsOf("MicrosoftATP.Investigation", [
  ["ID", "string", "The investigation's ID."],
  ["StartTime", "date", "When it started."],
  ["EndTime", "date", "When it ended."],
  ["State", "string", "Running, SuccessfullyRemediated, Benign, Failed …"],
  ["CancelledBy", "string", "Who cancelled it."],
  ["StatusDetails", "string", "More about its state."],
  ["MachineID", "string", "The machine investigated."],
  ["ComputerDNSName", "string", "The machine's DNS name."],
  ["TriggeringAlertID", "string", "The alert that started it."],
]);
