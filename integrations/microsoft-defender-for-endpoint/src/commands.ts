import type { ArgumentDefinition, CommandDefinition } from "@msint/integration-kit";
import {
  getPackageUri,
  listInvestigations,
  listMachineActions,
  machineAction,
  startInvestigation,
} from "./actions.js";
import { advancedHunting, getAlertById, listAlerts, updateAlert } from "./alerts.js";
import {
  actionOutputs,
  alertOutputs,
  investigationOutputs,
  machineIpOutputs,
  machineOutputs,
  outputsOf,
} from "./context.js";
import { getDomainStatistics, getFileInfo, getFileStatistics, getIpStatistics } from "./entities.js";
import {
  deleteIndicator,
  getIndicator,
  importIndicators,
  indicatorOutputs,
  listIndicators,
  submitIndicator,
} from "./indicators.js";
import { cancelAction, liveResponse, liveResponseResult } from "./live-response.js";
import {
  addRemoveMachineTag,
  endpoint,
  getMachineAlerts,
  getMachineByIp,
  getMachineDetails,
  getMachines,
  getMachineUsers,
  relatedMachines,
} from "./machines.js";
import {
  listMachinesByVulnerability,
  listMachineVulnerabilities,
  listSoftware,
  listVulnerabilities,
  softwareRelated,
} from "./vulnerabilities.js";

// Command names, arguments (names, defaults, choices) and context paths from XSOAR's
// Packs/MicrosoftDefenderAdvancedThreatProtection/Integrations/MicrosoftDefenderAdvancedThreatProtection/
// MicrosoftDefenderAdvancedThreatProtection.yml (data/xsoar/microsoft-defender-for-endpoint.json). Permissions from
// the "Permissions" table of each call's page under learn.microsoft.com/defender-endpoint/api/ (named per command).

const MACHINE_READ = {
  application: ["Machine.Read.All", "Machine.ReadWrite.All"],
  delegated: ["Machine.Read", "Machine.ReadWrite"],
};
const ALERT_READ = {
  application: ["Alert.Read.All", "Alert.ReadWrite.All"],
  delegated: ["Alert.Read", "Alert.ReadWrite"],
};
const ALERT_WRITE = { application: ["Alert.ReadWrite.All"], delegated: ["Alert.ReadWrite"] };
// ti-indicator pages (get-ti-indicators-collection, post-ti-indicator, delete-ti-indicator-by-id)
const TI = { application: ["Ti.ReadWrite", "Ti.ReadWrite.All"], delegated: ["Ti.ReadWrite"] };

const machineId: ArgumentDefinition = {
  name: "machine_id",
  description: "The machine's ID.",
  required: true,
};
const comment: ArgumentDefinition = {
  name: "comment",
  description: "The comment recorded with the action.",
  required: true,
};

const machineCommands: Record<string, CommandDefinition> = {
  "microsoft-atp-get-machines": {
    description: "Lists machines, by name prefix, IP address, risk, health or platform, a page at a time.",
    arguments: [
      { name: "hostname", description: "Only machines whose DNS name starts with this." },
      { name: "ip", description: "Only machines with this last IP address." },
      {
        name: "risk_score",
        description: "Only machines of this risk.",
        predefined: ["Low", "Medium", "High"],
      },
      {
        name: "health_status",
        description: "Only machines in this health.",
        predefined: ["Active", "Inactive"],
      },
      { name: "os_platform", description: "Only machines of this platform (e.g. Windows10, macOS)." },
      { name: "page_size", description: "Machines per page (1-10000).", defaultValue: "50" },
      { name: "page_num", description: "The page to return, from 1.", defaultValue: "1" },
    ],
    outputs: machineOutputs(),
    // get-machines
    permissions: MACHINE_READ,
    run: getMachines,
  },
  "microsoft-atp-get-machine-details": {
    description: "Gets machines by ID.",
    arguments: [{ ...machineId, description: "Machine IDs, comma-separated." }],
    outputs: machineOutputs(),
    // get-machine-by-id
    permissions: MACHINE_READ,
    run: getMachineDetails,
  },
  "microsoft-atp-get-machine-by-ip": {
    description: "Finds the machines seen with an internal IP address within 15 minutes of a time.",
    arguments: [
      { name: "ip", description: "The internal IP address.", required: true },
      {
        name: "timestamp",
        description: 'The time (ISO, or e.g. "2 hours" ago), within the last 30 days.',
        required: true,
      },
      { name: "limit", description: "The most machines to return (1-10000).", defaultValue: "50" },
      {
        name: "all_results",
        description: "true: ignore limit.",
        defaultValue: "false",
        predefined: ["true", "false"],
      },
    ],
    outputs: machineIpOutputs(),
    // find-machines-by-ip
    permissions: MACHINE_READ,
    run: getMachineByIp,
  },
  endpoint: {
    description: "Gets machines by ID, IP address or host name as XSOAR's generic endpoint command.",
    arguments: [
      { name: "id", description: "Machine IDs, comma-separated." },
      { name: "ip", description: "Last IP addresses, comma-separated." },
      { name: "hostname", description: "DNS names, comma-separated." },
    ],
    outputs: [
      { path: "Endpoint.ID", type: "string", description: "The machine's ID." },
      { path: "Endpoint.Hostname", type: "string", description: "The machine's DNS name." },
      { path: "Endpoint.OS", type: "string", description: "The operating system platform." },
      { path: "Endpoint.OSVersion", type: "string", description: "The operating system version." },
      { path: "Endpoint.IPAddress", type: "string", description: "The last IP address." },
      { path: "Endpoint.Status", type: "string", description: "Online (health Active) or Offline." },
      { path: "Endpoint.MACAddress", type: "string", description: "The first interface's MAC address." },
      { path: "Endpoint.Vendor", type: "string", description: "Microsoft Defender ATP." },
      ...machineIpOutputs(),
    ],
    // get-machine-by-id, get-machines
    permissions: MACHINE_READ,
    run: endpoint,
  },
  "microsoft-atp-get-machine-alerts": {
    description: "Lists the alerts of a machine.",
    arguments: [machineId],
    outputs: outputsOf("MicrosoftATP.MachineAlerts", [
      ["ID", "string", "The alert's ID."],
      ["Title", "string", "The alert's title."],
      ["Description", "string", "The alert's description."],
      ["IncidentID", "number", "The incident of the alert."],
      ["Severity", "string", "The alert's severity."],
      ["Status", "string", "The alert's status."],
      ["Classification", "string", "The alert's classification."],
      ["Category", "string", "The alert's category."],
      ["ThreatFamilyName", "string", "The threat family."],
      ["MachineID", "string", "The machine's ID."],
    ]),
    // get-machine-related-alerts
    permissions: ALERT_READ,
    run: getMachineAlerts,
  },
  "microsoft-atp-get-machine-users": {
    description: "Lists the users who signed in to a machine.",
    arguments: [machineId],
    outputs: outputsOf("MicrosoftATP.MachineUser", [
      ["ID", "string", "The user's ID (domain\\name)."],
      ["AccountName", "string", "The account name."],
      ["AccountDomain", "string", "The account's domain."],
      ["FirstSeen", "date", "The first sign-in on the machine."],
      ["LastSeen", "date", "The last sign-in on the machine."],
      ["LogonTypes", "string", "Interactive, Network, Service …"],
      ["DomainAdmin", "boolean", "Whether the user is a domain admin."],
      ["NetworkUser", "boolean", "Whether the user only signs in over the network."],
      ["MachineID", "string", "The machine's ID."],
    ]),
    // get-machine-log-on-users
    permissions: { application: ["User.Read.All"], delegated: ["User.Read.All"] },
    run: getMachineUsers,
  },
  "microsoft-atp-add-remove-machine-tag": {
    description: "Adds a tag to a machine or removes one.",
    arguments: [
      machineId,
      { name: "action", description: "Add or Remove.", required: true, predefined: ["Add", "Remove"] },
      { name: "tag", description: "The tag.", required: true },
    ],
    outputs: machineOutputs(),
    // add-or-remove-machine-tags
    permissions: { application: ["Machine.ReadWrite.All"], delegated: ["Machine.ReadWrite"] },
    run: addRemoveMachineTag,
  },
  "microsoft-atp-get-file-related-machines": {
    description: "Lists the machines a file was seen on.",
    arguments: [{ name: "file_hash", description: "The file's SHA-1 or SHA-256.", required: true }],
    outputs: [
      { path: "MicrosoftATP.FileMachine.File", type: "string", description: "The file's hash." },
      ...machineOutputs("MicrosoftATP.FileMachine.Machines"),
    ],
    // get-file-related-machines
    permissions: MACHINE_READ,
    run: relatedMachines("file"),
  },
  "microsoft-atp-get-domain-machines": {
    description: "Lists the machines that communicated with a domain.",
    arguments: [{ name: "domain", description: "The domain.", required: true }],
    outputs: [
      { path: "MicrosoftATP.DomainMachine.Domain", type: "string", description: "The domain." },
      ...machineOutputs("MicrosoftATP.DomainMachine.Machines"),
    ],
    // get-domain-related-machines
    permissions: MACHINE_READ,
    run: relatedMachines("domain"),
  },
  "microsoft-atp-get-user-machines": {
    description: "Lists the machines a user signed in to.",
    arguments: [{ name: "username", description: "The user's account name.", required: true }],
    outputs: [
      { path: "MicrosoftATP.UserMachine.Username", type: "string", description: "The user." },
      ...machineOutputs("MicrosoftATP.UserMachine.Machines"),
    ],
    // get-user-related-machines
    permissions: MACHINE_READ,
    run: relatedMachines("user"),
  },
};

const responseCommands: Record<string, CommandDefinition> = {
  "microsoft-atp-isolate-machine": {
    description: "Isolates a machine from the network.",
    arguments: [
      machineId,
      comment,
      {
        name: "isolation_type",
        description: "Full or Selective (Outlook, Teams and Skype keep working).",
        defaultValue: "Full",
        predefined: ["Full", "Selective"],
      },
    ],
    outputs: actionOutputs(),
    // isolate-machine
    permissions: { application: ["Machine.Isolate"], delegated: ["Machine.Isolate"] },
    run: machineAction({
      path: "isolate",
      body: (context) => ({ IsolationType: context.args["isolation_type"] ?? "Full" }),
      title: "The isolation request has been submitted successfully:",
    }),
  },
  "microsoft-atp-unisolate-machine": {
    description: "Ends the isolation of a machine.",
    arguments: [machineId, comment],
    outputs: actionOutputs(),
    // unisolate-machine
    permissions: { application: ["Machine.Isolate"], delegated: ["Machine.Isolate"] },
    run: machineAction({
      path: "unisolate",
      title: "The request to stop the isolation has been submitted successfully:",
    }),
  },
  "microsoft-atp-restrict-app-execution": {
    description: "Lets a machine run only files signed by Microsoft.",
    arguments: [
      machineId,
      { ...comment, required: false, description: "The comment (the API requires one; a default is sent)." },
    ],
    outputs: actionOutputs(),
    // restrict-code-execution
    permissions: { application: ["Machine.RestrictExecution"], delegated: ["Machine.RestrictExecution"] },
    run: machineAction({
      path: "restrictCodeExecution",
      title: "Restrict app execution request was submitted successfully:",
      defaultComment: "App execution restricted with msint",
    }),
  },
  "microsoft-atp-remove-app-restriction": {
    description: "Ends the app execution restriction of a machine.",
    arguments: [machineId, comment],
    outputs: actionOutputs(),
    // unrestrict-code-execution
    permissions: { application: ["Machine.RestrictExecution"], delegated: ["Machine.RestrictExecution"] },
    run: machineAction({
      path: "unrestrictCodeExecution",
      title: "Removed restriction on app execution:",
    }),
  },
  "microsoft-atp-run-antivirus-scan": {
    description: "Runs a Microsoft Defender Antivirus scan on a machine.",
    arguments: [
      machineId,
      comment,
      { name: "scan_type", description: "Quick or Full.", required: true, predefined: ["Quick", "Full"] },
    ],
    outputs: actionOutputs(),
    // run-av-scan
    permissions: { application: ["Machine.Scan"], delegated: ["Machine.Scan"] },
    run: machineAction({
      path: "runAntiVirusScan",
      body: (context) => ({ ScanType: context.args["scan_type"] }),
      title: "Antivirus scan successfully triggered:",
    }),
  },
  "microsoft-atp-collect-investigation-package": {
    description: "Collects an investigation package from a machine.",
    arguments: [machineId, comment],
    outputs: actionOutputs(),
    // collect-investigation-package
    permissions: { application: ["Machine.CollectForensics"], delegated: ["Machine.CollectForensics"] },
    run: machineAction({
      path: "collectInvestigationPackage",
      title: "Initiating collect investigation package from machine:",
    }),
  },
  "microsoft-atp-stop-and-quarantine-file": {
    description: "Stops a file's processes on a machine and quarantines the file.",
    arguments: [machineId, { name: "file_hash", description: "The file's SHA-1.", required: true }, comment],
    outputs: actionOutputs(),
    // stop-and-quarantine-file
    permissions: { application: ["Machine.StopAndQuarantine"], delegated: ["Machine.StopAndQuarantine"] },
    run: machineAction({
      path: "StopAndQuarantineFile",
      body: (context) => ({ Sha1: context.args["file_hash"] }),
      title: "Stopping the execution of a file and deleting it:",
    }),
  },
  "microsoft-atp-offboard-machine": {
    description: "Offboards a machine from Defender for Endpoint.",
    arguments: [machineId, comment],
    outputs: actionOutputs("MicrosoftATP.OffboardMachine"),
    // offboard-machine-api
    permissions: { application: ["Machine.Offboard"], delegated: ["Machine.Offboard"] },
    run: machineAction({
      path: "offboard",
      title: "The offboarding request has been submitted successfully:",
      outputsPrefix: "MicrosoftATP.OffboardMachine",
    }),
  },
  "microsoft-atp-list-machine-actions-details": {
    description: "Lists machine actions, or gets one by ID.",
    arguments: [
      { name: "id", description: "A machine action's ID (the other filters are then ignored)." },
      {
        name: "status",
        description: "Only actions in this status.",
        predefined: ["Pending", "InProgress", "Succeeded", "Failed", "TimeOut", "Cancelled"],
      },
      { name: "machine_id", description: "Only actions on this machine." },
      {
        name: "type",
        description: "Only actions of this type.",
        predefined: [
          "RunAntiVirusScan",
          "Offboard",
          "CollectInvestigationPackage",
          "Isolate",
          "Unisolate",
          "StopAndQuarantineFile",
          "RestrictCodeExecution",
          "UnrestrictCodeExecution",
        ],
      },
      { name: "requestor", description: "Only actions asked for by this requestor." },
      { name: "limit", description: "The most actions to return (1-10000).", defaultValue: "50" },
      { name: "filters", description: "A further OData condition on a documented property, and-joined." },
    ],
    outputs: actionOutputs(),
    // get-machineactions-collection, get-machineaction-object
    permissions: MACHINE_READ,
    run: listMachineActions,
  },
  "microsoft-atp-get-investigation-package-sas-uri": {
    description: "Gets a short-lived download link of a collected investigation package.",
    arguments: [{ name: "action_id", description: "The collection's machine action ID.", required: true }],
    outputs: [
      { path: "MicrosoftATP.InvestigationURI.Link", type: "string", description: "The download link." },
    ],
    // get-package-sas-uri
    permissions: {
      application: ["Machine.Read.All", "Machine.ReadWrite.All"],
      delegated: ["Machine.CollectForensics"],
    },
    run: getPackageUri,
  },
  "microsoft-atp-list-investigations": {
    description: "Lists automated investigations, or gets one by ID.",
    arguments: [
      { name: "id", description: "An investigation's ID." },
      { name: "limit", description: "The most investigations to return (1-10000).", defaultValue: "50" },
      { name: "offset", description: "How many to skip.", defaultValue: "0" },
    ],
    outputs: investigationOutputs,
    // get-investigation-collection, get-investigation-object
    permissions: ALERT_READ,
    run: listInvestigations,
  },
  "microsoft-atp-start-investigation": {
    description: "Starts an automated investigation on a machine.",
    arguments: [machineId, comment],
    outputs: investigationOutputs,
    // initiate-autoir-investigation
    permissions: ALERT_WRITE,
    run: startInvestigation,
  },
};

const alertCommands: Record<string, CommandDefinition> = {
  "microsoft-atp-list-alerts": {
    description: "Lists alerts, by severity, status, category or creation time.",
    arguments: [
      {
        name: "severity",
        description: "Only alerts of this severity.",
        predefined: ["High", "Medium", "Low", "Informational"],
      },
      {
        name: "status",
        description: "Only alerts in this status.",
        predefined: ["New", "InProgress", "Resolved"],
      },
      { name: "category", description: "Only alerts of this category (e.g. Malware)." },
      { name: "limit", description: "The most alerts to return (1-10000).", defaultValue: "50" },
      { name: "creation_time", description: 'Only alerts created since: an ISO time or e.g. "3 days".' },
    ],
    outputs: alertOutputs,
    // get-alerts
    permissions: ALERT_READ,
    run: listAlerts,
  },
  "microsoft-atp-get-alert-by-id": {
    description: "Gets alerts by ID.",
    arguments: [{ name: "alert_ids", description: "Alert IDs, comma-separated.", required: true }],
    outputs: alertOutputs,
    // get-alert-info-by-id
    permissions: ALERT_READ,
    run: getAlertById,
  },
  "microsoft-atp-update-alert": {
    description: "Updates an alert's status, owner, classification or determination, or comments on it.",
    arguments: [
      { name: "alert_id", description: "The alert's ID.", required: true },
      { name: "status", description: "The new status.", predefined: ["New", "InProgress", "Resolved"] },
      { name: "assigned_to", description: "The new owner." },
      {
        name: "classification",
        description: "The classification.",
        predefined: ["Unknown", "FalsePositive", "TruePositive", "InformationalExpectedActivity"],
      },
      {
        name: "determination",
        description: "The determination.",
        predefined: [
          "NotAvailable",
          "Malware",
          "SecurityTesting",
          "UnwantedSoftware",
          "MultiStagedAttack",
          "MaliciousUserActivity",
          "CompromisedAccount",
          "Phishing",
          "LineOfBusinessApplication",
          "ConfirmedActivity",
          "NotMalicious",
          "Other",
        ],
      },
      { name: "comment", description: "A comment to add." },
    ],
    outputs: alertOutputs,
    // update-alert
    permissions: ALERT_WRITE,
    run: updateAlert,
  },
  "microsoft-atp-advanced-hunting": {
    description: "Runs an advanced hunting query.",
    arguments: [
      { name: "query", description: "The KQL query." },
      { name: "time_range", description: 'Only rows of this span back, e.g. "12 hours" or "7 days".' },
      {
        name: "query_batch",
        description: 'Several queries: {"queries": [{"name": "…", "query": "…", "time_range": "…"}]}.',
      },
      { name: "name", description: "The query's name: its rows go to MicrosoftATP.Hunt.Result.<name>." },
    ],
    outputs: [
      {
        path: "MicrosoftATP.Hunt.Result",
        type: "unknown",
        description: "The result rows (by query name when named).",
      },
    ],
    // run-advanced-query-api
    permissions: { application: ["AdvancedQuery.Read.All"], delegated: ["AdvancedQuery.Read"] },
    run: advancedHunting,
  },
};

const indicatorArguments: ArgumentDefinition[] = [
  { name: "indicator_value", description: "The value: a hash, IP address, domain or URL.", required: true },
  {
    name: "indicator_type",
    description: "The kind of value.",
    required: true,
    predefined: ["FileSha1", "FileSha256", "FileMd5", "IpAddress", "DomainName", "Url"],
  },
  {
    name: "action",
    description: "What Defender does on a hit.",
    required: true,
    predefined: ["Audit", "Block", "BlockAndRemediate", "Allowed", "Warn"],
  },
  { name: "severity", description: "The severity.", predefined: ["Informational", "Low", "Medium", "High"] },
  {
    name: "expiration_time",
    description: 'When it expires: an ISO time or e.g. "14 days".',
    defaultValue: "14 days",
  },
  { name: "indicator_description", description: "The description.", required: true },
  { name: "indicator_title", description: "The title.", required: true },
  { name: "indicator_application", description: "The application of the indicator." },
  { name: "recommended_actions", description: "What to do on a hit." },
  { name: "rbac_group_names", description: "Machine groups it applies to, comma-separated." },
  { name: "generate_alert", description: "Whether a hit raises an alert.", predefined: ["true", "false"] },
];

const indicatorCommands: Record<string, CommandDefinition> = {
  "microsoft-atp-sc-indicator-list": {
    description: "Lists custom indicators, by value, title or type.",
    arguments: [
      { name: "limit", description: "The most indicators to return (1-10000).", defaultValue: "50" },
      { name: "skip", description: "How many to skip." },
      { name: "indicator_value", description: "Only indicators of this value." },
      { name: "indicator_title", description: "Only indicators of this title." },
      {
        name: "indicator_type",
        description: "Only indicators of this type.",
        predefined: [
          "FileSha1",
          "FileSha256",
          "FileMd5",
          "IpAddress",
          "DomainName",
          "Url",
          "CertificateThumbprint",
        ],
      },
    ],
    outputs: indicatorOutputs,
    permissions: TI,
    run: listIndicators,
  },
  "microsoft-atp-sc-indicator-get-by-id": {
    description: "Gets a custom indicator by ID.",
    arguments: [{ name: "indicator_id", description: "The indicator's ID.", required: true }],
    outputs: indicatorOutputs,
    permissions: TI,
    run: getIndicator,
  },
  "microsoft-atp-sc-indicator-create": {
    description: "Creates a custom indicator (or updates the one of that value and type).",
    arguments: indicatorArguments,
    outputs: indicatorOutputs,
    permissions: TI,
    run: submitIndicator("created"),
  },
  "microsoft-atp-sc-indicator-update": {
    description: "Updates the custom indicator of a value and type.",
    arguments: indicatorArguments,
    outputs: indicatorOutputs,
    permissions: TI,
    run: submitIndicator("updated"),
  },
  "microsoft-atp-indicator-batch-update": {
    description: "Submits or updates up to 500 custom indicators at once.",
    arguments: [
      {
        name: "indicator_batch",
        description:
          'A JSON list of indicators in the API\'s field names, e.g. [{"indicatorValue": "…", "indicatorType": "FileSha256", "action": "Block", "title": "…", "description": "…"}].',
        required: true,
      },
    ],
    outputs: outputsOf("MicrosoftATP.Indicators", [
      ["ID", "string", "The indicator's ID."],
      ["Value", "string", "The indicator's value."],
      ["IsFailed", "boolean", "Whether it failed."],
      ["FailureReason", "string", "Why it failed."],
    ]),
    // import-ti-indicators
    permissions: TI,
    run: importIndicators,
  },
  "microsoft-atp-sc-indicator-delete": {
    description: "Deletes a custom indicator.",
    arguments: [{ name: "indicator_id", description: "The indicator's ID.", required: true }],
    permissions: TI,
    run: deleteIndicator,
  },
};

const FILE_READ = { application: ["File.Read.All"], delegated: ["File.Read.All"] };

const entityCommands: Record<string, CommandDefinition> = {
  "microsoft-atp-get-file-info": {
    description: "Gets files by hash.",
    arguments: [
      { name: "hash", description: "SHA-1, SHA-256 or MD5 hashes, comma-separated.", required: true },
    ],
    outputs: [
      ...outputsOf("MicrosoftATP.File", [
        ["Sha1", "string", "The SHA-1."],
        ["MD5", "string", "The MD5."],
        ["Sha256", "string", "The SHA-256."],
        ["GlobalPrevalence", "number", "How many machines worldwide have it."],
        ["GlobalFirstObserved", "date", "When it was first seen worldwide."],
        ["GlobalLastObserved", "date", "When it was last seen worldwide."],
        ["Size", "number", "The size in bytes."],
        ["FileType", "string", "The file type."],
        ["IsPeFile", "boolean", "Whether it is a PE file."],
        ["FilePublisher", "string", "The publisher."],
        ["FileProductName", "string", "The product name."],
        ["Signer", "string", "The signer."],
        ["Issuer", "string", "The certificate issuer."],
        ["SignerHash", "string", "The signer's hash."],
        ["IsValidCertificate", "boolean", "Whether the signature is valid."],
        ["DeterminationValue", "string", "The determination (e.g. the threat name)."],
        ["DeterminationType", "string", "Malware, Pua, Clean …"],
      ]),
      { path: "File.SHA1", type: "string", description: "The SHA-1." },
      { path: "File.SHA256", type: "string", description: "The SHA-256." },
      { path: "File.Type", type: "string", description: "The file type." },
      { path: "File.Size", type: "number", description: "The size in bytes." },
    ],
    // get-file-information
    permissions: FILE_READ,
    run: getFileInfo,
  },
  "microsoft-atp-get-file-statistics": {
    description: "Gets a file's prevalence in the organization and worldwide.",
    arguments: [{ name: "file_hash", description: "The file's SHA-1 or SHA-256.", required: true }],
    outputs: [
      { path: "MicrosoftATP.FileStatistics.Sha1", type: "string", description: "The SHA-1." },
      ...outputsOf("MicrosoftATP.FileStatistics.Statistics", [
        ["OrgPrevalence", "string", "How many machines of the organization have it."],
        ["OrgFirstSeen", "date", "When the organization first saw it."],
        ["OrgLastSeen", "date", "When the organization last saw it."],
        ["GlobalPrevalence", "string", "How many machines worldwide have it."],
        ["GlobalFirstObserved", "date", "When it was first seen worldwide."],
        ["GlobalLastObserved", "date", "When it was last seen worldwide."],
        ["TopFileNames", "string", "Its most common names."],
      ]),
    ],
    // get-file-statistics
    permissions: FILE_READ,
    run: getFileStatistics,
  },
  "microsoft-atp-get-domain-statistics": {
    description: "Gets a domain's prevalence in the organization.",
    arguments: [{ name: "domain", description: "The domain.", required: true }],
    outputs: outputsOf("MicrosoftATP.DomainStatistics.Statistics", [
      ["Host", "string", "The domain."],
      ["OrgPrevalence", "string", "How many machines of the organization reached it."],
      ["OrgFirstSeen", "date", "When the organization first reached it."],
      ["OrgLastSeen", "date", "When the organization last reached it."],
    ]),
    // get-domain-statistics
    permissions: { application: ["URL.Read.All"], delegated: ["URL.Read.All"] },
    run: getDomainStatistics,
  },
  "microsoft-atp-get-ip-statistics": {
    description: "Gets an IP address's prevalence in the organization.",
    arguments: [{ name: "ip", description: "The IP address.", required: true }],
    outputs: outputsOf("MicrosoftATP.IPStatistics.Statistics", [
      ["IPAddress", "string", "The IP address."],
      ["OrgPrevalence", "string", "How many machines of the organization reached it."],
      ["OrgFirstSeen", "date", "When the organization first reached it."],
      ["OrgLastSeen", "date", "When the organization last reached it."],
    ]),
    // get-ip-statistics
    permissions: { application: ["Ip.Read.All"], delegated: ["Ip.Read.All"] },
    run: getIpStatistics,
  },
};

const SOFTWARE_READ = { application: ["Software.Read.All"], delegated: ["Software.Read"] };
const VULNERABILITY_READ = { application: ["Vulnerability.Read.All"], delegated: ["Vulnerability.Read"] };
const softwareId: ArgumentDefinition = {
  name: "id",
  description: "The software's ID (e.g. microsoft-_-edge).",
};

const vulnerabilityCommands: Record<string, CommandDefinition> = {
  "microsoft-atp-list-software": {
    description: "Lists software in the organization's inventory.",
    arguments: [
      { name: "id", description: "Only the software of this ID." },
      { name: "name", description: "Only software of this name." },
      { name: "vendor", description: "Only software of this vendor." },
      { name: "limit", description: "The most entries to return (1-10000).", defaultValue: "50" },
      { name: "offset", description: "How many to skip.", defaultValue: "0" },
    ],
    outputs: outputsOf("MicrosoftATP.Software", [
      ["id", "string", "The software's ID."],
      ["name", "string", "The software's name."],
      ["vendor", "string", "The vendor."],
      ["weaknesses", "number", "How many known vulnerabilities it has."],
      ["publicExploit", "boolean", "Whether a public exploit exists."],
      ["activeAlert", "boolean", "Whether an active alert involves it."],
      ["exposedMachines", "number", "Machines exposed through it."],
      ["installedMachines", "number", "Machines it is installed on."],
      ["impactScore", "number", "Its impact on the exposure score."],
      ["isNormalized", "boolean", "Whether it is normalized."],
      ["category", "string", "The category."],
      ["distributions", "unknown", "Its versions."],
    ]),
    // get-software
    permissions: SOFTWARE_READ,
    run: listSoftware,
  },
  "microsoft-atp-list-vulnerabilities": {
    description: "Lists vulnerabilities, by ID, name, description, CVSS, severity or dates.",
    arguments: [
      { name: "id", description: "Only this CVE." },
      { name: "name_equal", description: "Only vulnerabilities of this name." },
      { name: "name_contains", description: "Only vulnerabilities whose name contains this." },
      { name: "description_contains", description: "Only vulnerabilities whose description contains this." },
      { name: "published_on", description: 'Published since: an ISO time or e.g. "30 days".' },
      { name: "cvss", description: "Only a CVSS v3 score at least this." },
      { name: "severity", description: "Only this severity (Low, Medium, High, Critical)." },
      { name: "updated_on", description: 'Updated since: an ISO time or e.g. "30 days".' },
      { name: "limit", description: "The most entries to return (1-8000).", defaultValue: "25" },
      { name: "offset", description: "How many to skip.", defaultValue: "0" },
    ],
    outputs: outputsOf("MicrosoftATP.Vulnerability", [
      ["id", "string", "The CVE."],
      ["name", "string", "The name."],
      ["description", "string", "The description."],
      ["severity", "string", "The severity."],
      ["cvssV3", "number", "The CVSS v3 score."],
      ["exposedMachines", "number", "Machines exposed."],
      ["publishedOn", "date", "When it was published."],
      ["updatedOn", "date", "When it was updated."],
      ["publicExploit", "boolean", "Whether a public exploit exists."],
      ["exploitVerified", "boolean", "Whether the exploit is verified."],
      ["exploitInKit", "boolean", "Whether the exploit is in a kit."],
      ["exploitTypes", "unknown", "The exploit types."],
      ["exploitUris", "unknown", "Where the exploits are."],
    ]),
    // get-all-vulnerabilities
    permissions: VULNERABILITY_READ,
    run: listVulnerabilities,
  },
  "microsoft-atp-list-vulnerabilities-by-machine": {
    description: "Lists the vulnerabilities of machines (one entry per machine, CVE and product).",
    arguments: [
      { name: "machine_id", description: "Only this machine." },
      { name: "software_id", description: "Only this entry ID." },
      { name: "cve_id", description: "Only this CVE." },
      { name: "product_name", description: "Only this product." },
      { name: "product_version", description: "Only this product version." },
      { name: "severity", description: "Only this severity." },
      { name: "product_vendor", description: "Only this vendor." },
      { name: "limit", description: "The most entries to return (1-8000).", defaultValue: "25" },
      { name: "offset", description: "How many to skip.", defaultValue: "0" },
    ],
    outputs: outputsOf("MicrosoftATP.MachineCVE", [
      ["id", "string", "The entry's ID."],
      ["cveId", "string", "The CVE."],
      ["machineId", "string", "The machine."],
      ["fixingKbId", "string", "The KB that fixes it."],
      ["productName", "string", "The product."],
      ["productVendor", "string", "The vendor."],
      ["productVersion", "string", "The product version."],
      ["severity", "string", "The severity."],
    ]),
    // get-all-vulnerabilities-by-machines
    permissions: VULNERABILITY_READ,
    run: listMachineVulnerabilities,
  },
  "microsoft-atp-list-machines-by-vulnerability": {
    description: "Lists the machines exposed to CVEs.",
    arguments: [{ name: "cve_id", description: "CVE IDs, comma-separated.", required: true }],
    outputs: outputsOf("MicrosoftATP.CveMachine", [
      ["ID", "string", "The machine's ID."],
      ["ComputerDNSName", "string", "The machine's DNS name."],
      ["OSPlatform", "string", "The operating system."],
      ["RBACGroupName", "string", "The machine group."],
      ["CVE", "string", "The CVE."],
    ]),
    // get-machines-by-vulnerability
    permissions: VULNERABILITY_READ,
    run: listMachinesByVulnerability,
  },
  "microsoft-atp-list-vulnerabilities-by-software": {
    description: "Lists the vulnerabilities of a software.",
    arguments: [{ ...softwareId, required: true }],
    outputs: outputsOf("MicrosoftATP.SoftwareCVE", [
      ["id", "string", "The CVE."],
      ["name", "string", "The name."],
      ["severity", "string", "The severity."],
      ["cvssV3", "number", "The CVSS v3 score."],
      ["exposedMachines", "number", "Machines exposed."],
    ]),
    // get-vuln-by-software
    permissions: VULNERABILITY_READ,
    run: softwareRelated("vulnerabilities"),
  },
  "microsoft-atp-list-machines-by-software": {
    description: "Lists the machines a software is installed on.",
    arguments: [softwareId],
    outputs: outputsOf("MicrosoftATP.SoftwareMachine", [
      ["id", "string", "The machine's ID."],
      ["computerDnsName", "string", "The machine's DNS name."],
      ["osPlatform", "string", "The operating system."],
      ["rbacGroupName", "string", "The machine group."],
      ["rbacGroupId", "number", "The machine group's ID."],
    ]),
    // get-machines-by-software
    permissions: SOFTWARE_READ,
    run: softwareRelated("machineReferences"),
  },
  "microsoft-atp-list-software-version-distribution": {
    description: "Lists the installed versions of a software.",
    arguments: [softwareId],
    outputs: outputsOf("MicrosoftATP.SoftwareVersion", [
      ["version", "string", "The version."],
      ["installations", "number", "Machines with it."],
      ["vulnerabilities", "number", "Its vulnerabilities."],
    ]),
    // get-software-ver-distribution
    permissions: SOFTWARE_READ,
    run: softwareRelated("distributions"),
  },
  "microsoft-atp-list-missing-kb-by-software": {
    description: "Lists the security updates a software misses.",
    arguments: [{ ...softwareId, required: true }],
    outputs: outputsOf("MicrosoftATP.SoftwareKB", [
      ["id", "string", "The KB."],
      ["name", "string", "The update's name."],
      ["osBuild", "number", "The OS build."],
      ["productsNames", "unknown", "The products it fixes."],
      ["url", "string", "Its page."],
      ["machineMissedOn", "number", "Machines missing it."],
      ["cveAddressed", "number", "CVEs it fixes."],
    ]),
    // get-missing-kbs-software
    permissions: SOFTWARE_READ,
    run: softwareRelated("getmissingkbs"),
  },
};

// run-live-response, get-live-response-result
const LIVE = { application: ["Machine.LiveResponse"], delegated: ["Machine.LiveResponse"] };
const actionIdArgument: ArgumentDefinition = {
  name: "machine_action_id",
  description: "A live response action already sent: its status is read instead of sending another.",
};
const liveOutputs = outputsOf("MicrosoftATP.LiveResponseAction", [
  ["id", "string", "The machine action's ID."],
  ["type", "string", "LiveResponse."],
  ["requestor", "string", "Who sent it."],
  ["requestorComment", "string", "The comment."],
  ["status", "string", "Pending, InProgress, Succeeded, Failed, TimeOut or Cancelled."],
  ["machineId", "string", "The machine."],
  ["computerDnsName", "string", "The machine's DNS name."],
  ["creationDateTimeUtc", "date", "When it was sent."],
  ["lastUpdateDateTimeUtc", "date", "When it last changed."],
  ["commands.index", "number", "The command's index."],
  ["commands.commandStatus", "string", "The command's status."],
  ["commands.command.type", "string", "GetFile, PutFile or RunScript."],
]);

const liveResponseCommands: Record<string, CommandDefinition> = {
  "microsoft-atp-live-response-get-file": {
    description: "Collects a file from a machine through live response.",
    arguments: [
      { ...machineId, required: false, description: "The machine's ID (required unless machine_action_id)." },
      { ...comment, required: false, description: "The comment (required unless machine_action_id)." },
      { name: "path", description: "The file's path on the machine (required unless machine_action_id)." },
      actionIdArgument,
    ],
    outputs: liveOutputs,
    permissions: LIVE,
    run: liveResponse("GetFile"),
  },
  "microsoft-atp-live-response-put-file": {
    description: "Puts a file of the live response library on a machine.",
    arguments: [
      { ...machineId, required: false, description: "The machine's ID (required unless machine_action_id)." },
      { ...comment, required: false, description: "The comment (required unless machine_action_id)." },
      { name: "file_name", description: "The library file's name (required unless machine_action_id)." },
      actionIdArgument,
    ],
    outputs: liveOutputs,
    permissions: LIVE,
    run: liveResponse("PutFile"),
  },
  "microsoft-atp-live-response-result": {
    description: "Gets the download link of one command's result of a live response action.",
    arguments: [
      { name: "machine_action_id", description: "The live response action's ID.", required: true },
      { name: "command_index", description: "The command's index, from 0.", required: true },
    ],
    outputs: [{ path: "MicrosoftATP.LiveResponseAction", type: "string", description: "The download link." }],
    permissions: LIVE,
    run: liveResponseResult,
  },
  "microsoft-atp-live-response-cancel-action": {
    description: "Cancels a pending machine action.",
    arguments: [
      { name: "machine_action_id", description: "The machine action's ID.", required: true },
      comment,
    ],
    // cancel-machine-action (any one of the response permissions; live response's first)
    permissions: {
      application: [
        "Machine.LiveResponse",
        "Machine.CollectForensics",
        "Machine.Isolate",
        "Machine.RestrictExecution",
        "Machine.Scan",
        "Machine.Offboard",
        "Machine.StopAndQuarantine",
      ],
      delegated: [
        "Machine.LiveResponse",
        "Machine.CollectForensics",
        "Machine.Isolate",
        "Machine.RestrictExecution",
        "Machine.Scan",
        "Machine.Offboard",
        "Machine.StopAndQuarantine",
      ],
    },
    run: cancelAction,
  },
};

export const commands: Record<string, CommandDefinition> = {
  ...liveResponseCommands,
  ...vulnerabilityCommands,
  ...machineCommands,
  ...responseCommands,
  ...alertCommands,
  ...indicatorCommands,
  ...entityCommands,
};
