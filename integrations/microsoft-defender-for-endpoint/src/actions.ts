import { type CommandContext, type CommandResult, tableToMarkdown } from "@msint/integration-kit";
import {
  ACTION_COLUMNS,
  type Entry,
  filter,
  quote,
  required,
  toContextAction,
  toContextInvestigation,
  wholeNumber,
} from "./context.js";

/** How one response action is requested (learn.microsoft.com/defender-endpoint/api/<doc>). */
interface ActionSpec {
  /** The path segment after /api/machines/{id}/. */
  path: string;
  /** The request body beyond `Comment`. */
  body?: (context: CommandContext) => Entry;
  /** The readable's title. */
  title: string;
  /** The comment sent when the command's `comment` is optional and empty (the API requires one). */
  defaultComment?: string;
  outputsPrefix?: string;
}

/**
 * A response action on one machine: POST /api/machines/{id}/<action> with `Comment` (isolate-machine,
 * unisolate-machine, restrict-code-execution, unrestrict-code-execution, run-av-scan,
 * collect-investigation-package, stop-and-quarantine-file, offboard-machine-api).
 */
export function machineAction(spec: ActionSpec) {
  return async (context: CommandContext): Promise<CommandResult> => {
    const machineId = required(context, "machine_id");
    const comment = context.args["comment"] || spec.defaultComment;
    const action = await context.api.request<Entry>({
      expect: "object",
      method: "POST",
      path: `/api/machines/${encodeURIComponent(machineId)}/${spec.path}`,
      body: { Comment: comment, ...spec.body?.(context) },
    });
    const entry = toContextAction({ machineId, ...action });
    return {
      readable: tableToMarkdown(spec.title, [entry], ACTION_COLUMNS),
      outputsPrefix: spec.outputsPrefix ?? "MicrosoftATP.MachineAction",
      outputsKeyField: "ID",
      outputs: entry,
      raw: action,
    };
  };
}

/**
 * `microsoft-atp-list-machine-actions-details`: GET /api/machineactions/{id}, or GET /api/machineactions with
 * `$filter` on id, status, machineId, type and requestor and `$top` (get-machineactions-collection).
 */
export async function listMachineActions(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  let actions: Entry[];
  let raw: unknown;
  if (args["id"]) {
    raw = await context.api.get<Entry>(`/api/machineactions/${encodeURIComponent(args["id"])}`);
    actions = raw ? [raw as Entry] : [];
  } else {
    const response = await context.api.get<{ value?: Entry[] }>(
      "/api/machineactions",
      {
        $filter: filter([
          args["status"] && `status eq ${quote(args["status"])}`,
          args["machine_id"] && `machineId eq ${quote(args["machine_id"])}`,
          args["type"] && `type eq ${quote(args["type"])}`,
          args["requestor"] && `requestor eq ${quote(args["requestor"])}`,
          args["filters"],
        ]),
        $top: wholeNumber(args["limit"] ?? "50", "limit", 1, 10000),
      },
      { expect: "collection" },
    );
    raw = response;
    actions = response?.value ?? [];
  }
  const entries = actions.map(toContextAction);
  return {
    readable: tableToMarkdown("Machine actions Info:", entries, [...ACTION_COLUMNS, "CreationDateTimeUtc"]),
    outputsPrefix: "MicrosoftATP.MachineAction",
    outputsKeyField: "ID",
    outputs: entries,
    raw,
  };
}

/** `microsoft-atp-get-investigation-package-sas-uri`: GET /api/machineactions/{id}/GetPackageUri (get-package-sas-uri). */
export async function getPackageUri(context: CommandContext): Promise<CommandResult> {
  const actionId = required(context, "action_id");
  const response = await context.api.get<{ value?: string }>(
    `/api/machineactions/${encodeURIComponent(actionId)}/GetPackageUri`,
  );
  const link = response?.value;
  return {
    readable: `Success. This link is valid for a very short time and should be used immediately for downloading the package to a local storage: ${link}`,
    outputsPrefix: "MicrosoftATP.InvestigationURI",
    outputsKeyField: "Link",
    outputs: { Link: link },
    raw: response,
  };
}

/**
 * `microsoft-atp-list-investigations`: GET /api/investigations/{id}, or GET /api/investigations with `$top` and
 * `$skip` (get-investigation-collection, get-investigation-object).
 */
export async function listInvestigations(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  let investigations: Entry[];
  let raw: unknown;
  if (args["id"]) {
    raw = await context.api.get<Entry>(`/api/investigations/${encodeURIComponent(args["id"])}`);
    investigations = raw ? [raw as Entry] : [];
  } else {
    const offset = wholeNumber(args["offset"] || "0", "offset", 0, 1_000_000);
    const response = await context.api.get<{ value?: Entry[] }>(
      "/api/investigations",
      { $top: wholeNumber(args["limit"] ?? "50", "limit", 1, 10000), $skip: offset || undefined },
      { expect: "collection" },
    );
    raw = response;
    investigations = response?.value ?? [];
  }
  const entries = investigations.map(toContextInvestigation);
  return {
    readable: tableToMarkdown("Investigations:", entries, [
      "ID",
      "StartTime",
      "EndTime",
      "State",
      "MachineID",
      "ComputerDNSName",
      "TriggeringAlertID",
    ]),
    outputsPrefix: "MicrosoftATP.Investigation",
    outputsKeyField: "ID",
    outputs: entries,
    raw,
  };
}

/** `microsoft-atp-start-investigation`: POST /api/machines/{id}/startInvestigation (initiate-autoir-investigation). */
export async function startInvestigation(context: CommandContext): Promise<CommandResult> {
  const machineId = required(context, "machine_id");
  const investigation = await context.api.request<Entry>({
    expect: "object",
    method: "POST",
    path: `/api/machines/${encodeURIComponent(machineId)}/startInvestigation`,
    body: { Comment: required(context, "comment") },
  });
  const entry = toContextInvestigation(investigation ?? {});
  return {
    readable: tableToMarkdown(
      "Starting investigation on machine:",
      [entry],
      ["ID", "StartTime", "State", "MachineID", "ComputerDNSName"],
    ),
    outputsPrefix: "MicrosoftATP.Investigation",
    outputsKeyField: "ID",
    outputs: entry,
    raw: investigation,
  };
}
