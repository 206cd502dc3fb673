import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { type Entry, required } from "./context.js";

// Live response: learn.microsoft.com/defender-endpoint/api/run-live-response (POST /api/machines/{id}/runliveresponse
// with Commands of type GetFile, PutFile or RunScript), get-live-response-result and cancel-machine-action. XSOAR
// polls until the action ends; msint answers at once: a call with `machine_action_id` reads that action's status
// instead of starting another one.

const COLUMNS = ["id", "type", "status", "machineId", "computerDnsName", "requestor", "requestorComment"];

function liveResult(action: Entry | undefined, title: string): CommandResult {
  return {
    readable: tableToMarkdown(title, [action ?? {}], COLUMNS),
    outputsPrefix: "MicrosoftATP.LiveResponseAction",
    outputsKeyField: "id",
    outputs: action,
    raw: action,
  };
}

/** `microsoft-atp-live-response-get-file` / `-put-file`: one GetFile or PutFile command. */
export function liveResponse(type: "GetFile" | "PutFile") {
  const [argument, key] = type === "GetFile" ? ["path", "Path"] : ["file_name", "FileName"];
  return async (context: CommandContext): Promise<CommandResult> => {
    const existing = context.args["machine_action_id"];
    if (existing) {
      const action = await context.api.get<Entry>(`/api/machineactions/${encodeURIComponent(existing)}`);
      return liveResult(action, `Live response action ${existing} is ${action?.["status"]}:`);
    }
    const missing = ["machine_id", "comment", argument].filter((name) => !context.args[name]);
    if (missing.length > 0) {
      throw new UsageError(
        `${missing.join(", ")} required to send a live response ${type} (or give machine_action_id).`,
      );
    }
    const machineId = required(context, "machine_id");
    const action = await context.api.request<Entry>({
      expect: "object",
      method: "POST",
      path: `/api/machines/${encodeURIComponent(machineId)}/runliveresponse`,
      body: {
        Commands: [{ type, params: [{ key, value: required(context, argument) }] }],
        Comment: required(context, "comment"),
      },
    });
    return liveResult(action, `Live response ${type} was sent to machine ${machineId}:`);
  };
}

/** `microsoft-atp-live-response-result`: GET /api/machineactions/{id}/GetLiveResponseResultDownloadLink(index={n}). */
export async function liveResponseResult(context: CommandContext): Promise<CommandResult> {
  const actionId = required(context, "machine_action_id");
  const index = Number(required(context, "command_index"));
  const response = await context.api.get<{ value?: string }>(
    `/api/machineactions/${encodeURIComponent(actionId)}/GetLiveResponseResultDownloadLink(index=${index})`,
  );
  const link = response?.value;
  return {
    readable: `Download link of command ${index} of live response ${actionId} (valid for 30 minutes): ${link}`,
    outputsPrefix: "MicrosoftATP.LiveResponseAction",
    outputs: link,
    raw: response,
  };
}

/** `microsoft-atp-live-response-cancel-action`: POST /api/machineactions/{id}/cancel with `Comment`. */
export async function cancelAction(context: CommandContext): Promise<CommandResult> {
  const actionId = required(context, "machine_action_id");
  const action = await context.api.request<Entry>({
    expect: "object",
    method: "POST",
    path: `/api/machineactions/${encodeURIComponent(actionId)}/cancel`,
    body: { Comment: required(context, "comment") },
  });
  return {
    readable: `Machine action ${actionId} was cancelled (status ${action?.["status"]}).`,
    raw: action,
  };
}
