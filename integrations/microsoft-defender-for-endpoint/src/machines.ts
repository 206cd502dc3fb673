import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import {
  type Entry,
  filter,
  listArgument,
  MACHINE_COLUMNS,
  quote,
  required,
  timeArgument,
  toContextMachine,
  wholeNumber,
} from "./context.js";

type Collection = { value?: Entry[] };

/**
 * `microsoft-atp-get-machines`: GET /api/machines with `$filter` on documented properties, `$top` and `$skip`
 * (learn.microsoft.com/defender-endpoint/api/get-machines).
 */
export async function getMachines(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const pageSize = wholeNumber(args["page_size"] ?? "50", "page_size", 1, 10000);
  const pageNumber = wholeNumber(args["page_num"] ?? "1", "page_num", 1, 1_000_000);
  const response = await context.api.get<Collection>(
    "/api/machines",
    {
      $filter: filter([
        args["hostname"] && `startswith(computerDnsName,${quote(args["hostname"])})`,
        args["ip"] && `lastIpAddress eq ${quote(args["ip"])}`,
        args["risk_score"] && `riskScore eq ${quote(args["risk_score"])}`,
        args["health_status"] && `healthStatus eq ${quote(args["health_status"])}`,
        args["os_platform"] && `osPlatform eq ${quote(args["os_platform"])}`,
      ]),
      $top: pageSize,
      $skip: pageNumber > 1 ? (pageNumber - 1) * pageSize : undefined,
    },
    { expect: "collection" },
  );
  const machines = (response?.value ?? []).map((machine) => toContextMachine(machine));
  return {
    readable: tableToMarkdown("Microsoft Defender ATP Machines:", machines, MACHINE_COLUMNS),
    outputsPrefix: "MicrosoftATP.Machine",
    outputsKeyField: "ID",
    outputs: machines,
    raw: response,
  };
}

/** `microsoft-atp-get-machine-details`: GET /api/machines/{id} for each ID (get-machine-by-id). */
export async function getMachineDetails(context: CommandContext): Promise<CommandResult> {
  const machines: Entry[] = [];
  for (const id of listArgument(required(context, "machine_id"))) {
    const machine = await context.api.get<Entry>(`/api/machines/${encodeURIComponent(id)}`);
    if (machine) machines.push(toContextMachine(machine, "details"));
  }
  return {
    readable: tableToMarkdown("Microsoft Defender ATP machines details:", machines, MACHINE_COLUMNS),
    outputsPrefix: "MicrosoftATP.Machine",
    outputsKeyField: "ID",
    outputs: machines.length === 1 ? machines[0] : machines,
    raw: machines,
  };
}

/** `microsoft-atp-get-machine-alerts`: GET /api/machines/{id}/alerts (get-machine-related-alerts). */
export async function getMachineAlerts(context: CommandContext): Promise<CommandResult> {
  const machineId = required(context, "machine_id");
  const response = await context.api.get<Collection>(
    `/api/machines/${encodeURIComponent(machineId)}/alerts`,
    undefined,
    { expect: "collection" },
  );
  const alerts = (response?.value ?? []).map((alert) => ({
    ID: alert["id"],
    Title: alert["title"],
    Description: alert["description"],
    IncidentID: alert["incidentId"],
    Severity: alert["severity"],
    Status: alert["status"],
    Classification: alert["classification"],
    Category: alert["category"],
    ThreatFamilyName: alert["threatFamilyName"],
    MachineID: alert["machineId"],
  }));
  return {
    readable: tableToMarkdown(`Alerts that are related to machine ${machineId}:`, alerts, [
      "ID",
      "Title",
      "Severity",
      "Status",
      "Category",
      "IncidentID",
    ]),
    outputsPrefix: "MicrosoftATP.MachineAlerts",
    outputsKeyField: "ID",
    outputs: alerts,
    raw: response,
  };
}

/** `microsoft-atp-get-machine-users`: GET /api/machines/{id}/logonusers (get-machine-log-on-users). */
export async function getMachineUsers(context: CommandContext): Promise<CommandResult> {
  const machineId = required(context, "machine_id");
  const response = await context.api.get<Collection>(
    `/api/machines/${encodeURIComponent(machineId)}/logonusers`,
    undefined,
    { expect: "collection" },
  );
  const users = (response?.value ?? []).map((user) => ({
    ID: user["id"],
    AccountName: user["accountName"],
    AccountDomain: user["accountDomain"],
    FirstSeen: user["firstSeen"],
    LastSeen: user["lastSeen"],
    LogonTypes: user["logonTypes"],
    DomainAdmin: user["isDomainAdmin"],
    NetworkUser: user["isOnlyNetworkUser"],
    MachineID: machineId,
  }));
  return {
    readable: tableToMarkdown(`Microsoft Defender ATP logon users for machine ${machineId}:`, users, [
      "ID",
      "AccountName",
      "AccountDomain",
      "FirstSeen",
      "LastSeen",
      "LogonTypes",
      "DomainAdmin",
      "NetworkUser",
    ]),
    outputsPrefix: "MicrosoftATP.MachineUser",
    outputsKeyField: "ID",
    outputs: users,
    raw: response,
  };
}

/** `microsoft-atp-add-remove-machine-tag`: POST /api/machines/{id}/tags (add-or-remove-machine-tags). */
export async function addRemoveMachineTag(context: CommandContext): Promise<CommandResult> {
  const machineId = required(context, "machine_id");
  const action = required(context, "action");
  const tag = required(context, "tag");
  const machine = await context.api.request<Entry>({
    method: "POST",
    path: `/api/machines/${encodeURIComponent(machineId)}/tags`,
    body: { Value: tag, Action: action },
    expect: "object",
  });
  const entry = toContextMachine(machine ?? {});
  const done = action === "Add" ? `Tag ${tag} was added to` : `Tag ${tag} was removed from`;
  return {
    readable: tableToMarkdown(`${done} machine ${machineId}:`, [entry], [...MACHINE_COLUMNS, "MachineTags"]),
    outputsPrefix: "MicrosoftATP.Machine",
    outputsKeyField: "ID",
    outputs: entry,
    raw: machine,
  };
}

/**
 * Machines related to a file, a domain or a user: GET /api/files/{id}/machines, /api/domains/{domain}/machines,
 * /api/users/{id}/machines (get-file-related-machines, get-domain-related-machines, get-user-related-machines).
 */
export function relatedMachines(kind: "file" | "domain" | "user") {
  const spec = {
    file: { argument: "file_hash", path: "files", prefix: "MicrosoftATP.FileMachine", key: "File" },
    domain: { argument: "domain", path: "domains", prefix: "MicrosoftATP.DomainMachine", key: "Domain" },
    user: { argument: "username", path: "users", prefix: "MicrosoftATP.UserMachine", key: "Username" },
  }[kind];
  return async (context: CommandContext): Promise<CommandResult> => {
    const value = required(context, spec.argument);
    const response = await context.api.get<Collection>(
      `/api/${spec.path}/${encodeURIComponent(value)}/machines`,
      undefined,
      { expect: "collection" },
    );
    const machines = (response?.value ?? []).map((machine) => toContextMachine(machine));
    return {
      readable: tableToMarkdown(
        `Microsoft Defender ATP machines related to ${kind} ${value}:`,
        machines,
        MACHINE_COLUMNS,
      ),
      outputsPrefix: spec.prefix,
      outputsKeyField: spec.key,
      outputs: { [spec.key]: value, Machines: machines },
      raw: response,
    };
  };
}

/**
 * `microsoft-atp-get-machine-by-ip`: GET /api/machines/findbyip(ip='…',timestamp=…), the machines seen with that
 * internal IP within 15 minutes of the time (learn.microsoft.com/defender-endpoint/api/find-machines-by-ip). The
 * call documents no `$top`: `limit` cuts the answer here unless `all_results` is true.
 */
export async function getMachineByIp(context: CommandContext): Promise<CommandResult> {
  const ip = required(context, "ip");
  const timestamp = timeArgument(required(context, "timestamp"), "timestamp");
  const response = await context.api.get<Collection>(
    `/api/machines/findbyip(ip='${encodeURIComponent(ip)}',timestamp=${timestamp})`,
    undefined,
    { expect: "collection" },
  );
  const all = (response?.value ?? []).map((machine) => toContextMachine(machine, "ip"));
  const machines =
    context.args["all_results"] === "true"
      ? all
      : all.slice(0, wholeNumber(context.args["limit"] ?? "50", "limit", 1, 10000));
  return {
    readable: tableToMarkdown(
      `Microsoft Defender ATP machines seen with IP ${ip}:`,
      machines,
      MACHINE_COLUMNS,
    ),
    outputsPrefix: "MicrosoftATP.Machine",
    outputsKeyField: "ID",
    outputs: machines,
    raw: response,
  };
}

/**
 * `endpoint`: machines by ID (GET /api/machines/{id}), by last IP address or by DNS name (GET /api/machines with
 * `$filter` on lastIpAddress or computerDnsName, as get-machines documents), each value its own request, written
 * to XSOAR's standard `Endpoint` context and to `MicrosoftATP.Machine`.
 */
export async function endpoint(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const ids = listArgument(args["id"]);
  const ips = listArgument(args["ip"]);
  const hostnames = listArgument(args["hostname"]);
  if (ids.length + ips.length + hostnames.length === 0) {
    throw new UsageError("Give at least one of id, ip or hostname.");
  }
  const found = new Map<string, Entry>();
  for (const id of ids) {
    const machine = await context.api.get<Entry>(`/api/machines/${encodeURIComponent(id)}`);
    if (machine) found.set(String(machine["id"]), machine);
  }
  const lookups = [
    ...ips.map((ip) => `lastIpAddress eq ${quote(ip)}`),
    ...hostnames.map((name) => `computerDnsName eq ${quote(name)}`),
  ];
  for (const condition of lookups) {
    const response = await context.api.get<Collection>(
      "/api/machines",
      { $filter: condition },
      { expect: "collection" },
    );
    for (const machine of response?.value ?? []) found.set(String(machine["id"]), machine);
  }
  const machines = [...found.values()];
  const entries = machines.map((machine) => toContextMachine(machine, "ip"));
  const endpoints = machines.map((machine) => ({
    ID: machine["id"],
    Hostname: machine["computerDnsName"],
    OS: machine["osPlatform"],
    OSVersion: machine["osVersion"],
    IPAddress: machine["lastIpAddress"],
    Status: machine["healthStatus"] === "Active" ? "Online" : "Offline",
    MACAddress: ((machine["ipAddresses"] as Entry[] | undefined) ?? [])[0]?.["macAddress"],
    Vendor: "Microsoft Defender ATP",
  }));
  return {
    readable: tableToMarkdown("Microsoft Defender ATP Machines:", entries, MACHINE_COLUMNS),
    outputsPrefix: "MicrosoftATP.Machine",
    outputsKeyField: "ID",
    outputs: entries,
    additionalOutputs: { Endpoint: endpoints },
    raw: machines,
  };
}
