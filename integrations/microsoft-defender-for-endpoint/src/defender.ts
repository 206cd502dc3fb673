import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";

type Entry = Record<string, unknown>;

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

function filter(conditions: Array<string | false | undefined>): string | undefined {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  return present.length ? present.join(" and ") : undefined;
}

/** A machine as the XSOAR integration writes it under `MicrosoftATP.Machine`. */
export function toContextMachine(machine: Entry): Entry {
  return {
    ID: machine["id"],
    ComputerDNSName: machine["computerDnsName"],
    OSPlatform: machine["osPlatform"],
    LastIPAddress: machine["lastIpAddress"],
    LastExternalIPAddress: machine["lastExternalIpAddress"],
    HealthStatus: machine["healthStatus"],
    RiskScore: machine["riskScore"],
    ExposureLevel: machine["exposureLevel"],
    LastSeen: machine["lastSeen"],
  };
}

/** `microsoft-atp-get-machines`: GET /api/machines?$filter=…. */
export async function getMachines(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const response = await context.api.get<{ value?: Entry[] }>(
    "/api/machines",
    {
      $filter: filter([
        args["hostname"] && `startswith(computerDnsName,${quote(args["hostname"])})`,
        args["ip"] && `lastIpAddress eq ${quote(args["ip"])}`,
        args["risk_score"] && `riskScore eq ${quote(args["risk_score"])}`,
      ]),
      $top: limitArgument(context, 10000),
    },
    { expect: "collection" },
  );
  const machines = (response?.value ?? []).map(toContextMachine);
  return {
    readable: tableToMarkdown("Microsoft Defender ATP Machines:", machines, [
      "ID",
      "ComputerDNSName",
      "OSPlatform",
      "LastIPAddress",
      "LastExternalIPAddress",
      "HealthStatus",
      "RiskScore",
      "ExposureLevel",
    ]),
    outputsPrefix: "MicrosoftATP.Machine",
    outputsKeyField: "ID",
    outputs: machines,
    raw: response,
  };
}

/** `microsoft-atp-list-alerts`: GET /api/alerts. */
export async function listAlerts(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const response = await context.api.get<{ value?: Entry[] }>(
    "/api/alerts",
    {
      $filter: filter([
        args["severity"] && `severity eq ${quote(args["severity"])}`,
        args["status"] && `status eq ${quote(args["status"])}`,
      ]),
      $orderby: "alertCreationTime desc",
      $top: limitArgument(context, 10000),
    },
    { expect: "collection" },
  );
  const alerts = (response?.value ?? []).map((alert) => ({
    ID: alert["id"],
    Title: alert["title"],
    Severity: alert["severity"],
    Status: alert["status"],
    Category: alert["category"],
    MachineID: alert["machineId"],
    ComputerDNSName: alert["computerDnsName"],
    AlertCreationTime: alert["alertCreationTime"],
  }));
  return {
    readable: tableToMarkdown("Microsoft Defender ATP alerts:", alerts),
    outputsPrefix: "MicrosoftATP.Alert",
    outputsKeyField: "ID",
    outputs: alerts,
    raw: response,
  };
}

/** `microsoft-atp-isolate-machine`: POST /api/machines/{id}/isolate. */
export async function isolateMachine(
  context: CommandContext<{ machine_id: string }>,
): Promise<CommandResult> {
  const machineId = context.args["machine_id"];
  const action = await context.api.request<Entry>({
    expect: "object",
    method: "POST",
    path: `/api/machines/${encodeURIComponent(machineId)}/isolate`,
    body: { Comment: context.args["comment"], IsolationType: context.args["isolation_type"] ?? "Full" },
  });
  const entry = {
    ID: action?.["id"],
    Type: action?.["type"],
    Requestor: action?.["requestor"],
    RequestorComment: action?.["requestorComment"],
    Status: action?.["status"],
    MachineID: action?.["machineId"] ?? machineId,
    CreationDateTimeUtc: action?.["creationDateTimeUtc"],
  };
  return {
    readable: tableToMarkdown("The isolation request has been submitted successfully:", [entry]),
    outputsPrefix: "MicrosoftATP.MachineAction",
    outputsKeyField: "ID",
    outputs: entry,
    raw: action,
  };
}

/** `microsoft-atp-advanced-hunting`: POST /api/advancedqueries/run. */
export async function advancedHunting(context: CommandContext<{ query: string }>): Promise<CommandResult> {
  const query = context.args["query"];
  const response = await context.api.request<{ Schema?: Array<{ Name?: string }>; Results?: Entry[] }>({
    expect: "object",
    method: "POST",
    path: "/api/advancedqueries/run",
    body: { Query: query },
  });
  const results = response?.Results ?? [];
  const headers = response?.Schema?.map((column) => column.Name ?? "").filter(Boolean);
  return {
    readable: tableToMarkdown("Hunt results", results, headers?.length ? headers : undefined),
    outputsPrefix: "MicrosoftATP.Hunt",
    outputs: { Result: results },
    raw: response,
  };
}
