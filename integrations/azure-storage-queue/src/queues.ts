import { type CommandContext, type CommandResult, UsageError } from "@msint/integration-kit";

function queueName(context: CommandContext): string {
  const name = context.args["queue_name"]!;
  if (!/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    throw new UsageError(
      `queue_name "${name}" is not a queue name: use 3-63 lower-case letters, digits and single dashes.`,
    );
  }
  return name;
}

/** `metadata` as `x-ms-meta-<name>` headers. */
function metadataHeaders(text: string | undefined): Record<string, string> {
  if (!text) return {};
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    throw new UsageError('metadata must be a JSON object, e.g. {"owner":"soc"}.');
  }
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new UsageError('metadata must be a JSON object, e.g. {"owner":"soc"}.');
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new UsageError(`metadata name "${key}" must be a C# identifier.`);
    headers[`x-ms-meta-${key}`] = String(value);
  }
  return headers;
}

/** `azure-storage-queue-create`: PUT /{queue} (201 Created). */
export async function createQueue(context: CommandContext): Promise<CommandResult> {
  const name = queueName(context);
  await context.api.request({
    method: "PUT",
    path: `/${name}`,
    headers: metadataHeaders(context.args["metadata"]),
  });
  return {
    readable: `Queue ${name} successfully created.`,
    outputsPrefix: "AzureStorageQueue.Queue",
    outputsKeyField: "name",
    outputs: { name },
  };
}

/** `azure-storage-queue-delete`: DELETE /{queue} (204 No Content). */
export async function deleteQueue(context: CommandContext): Promise<CommandResult> {
  const name = queueName(context);
  await context.api.request({ method: "DELETE", path: `/${name}` });
  return { readable: `Queue ${name} successfully deleted.` };
}

/** `azure-storage-queue-metadata-set`: PUT /{queue}?comp=metadata. */
export async function setQueueMetadata(context: CommandContext): Promise<CommandResult> {
  const name = queueName(context);
  await context.api.request({
    method: "PUT",
    path: `/${name}`,
    query: { comp: "metadata" },
    headers: metadataHeaders(context.args["metadata"]),
  });
  return { readable: `Queue ${name} metadata successfully updated.` };
}

/** `azure-storage-queue-message-clear`: DELETE /{queue}/messages. */
export async function clearMessages(context: CommandContext): Promise<CommandResult> {
  const name = queueName(context);
  await context.api.request({ method: "DELETE", path: `/${name}/messages` });
  return { readable: `Queue ${name} was cleared of messages successfully.` };
}
