import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  listStorageEntries,
  moreEntriesNote,
  STORAGE_MAX_RESULTS,
  storageName,
  storageXml,
  tableToMarkdown,
  toBoolean,
  UsageError,
  xmlChildren,
  xmlEscape,
  xmlFind,
  xmlText,
} from "@msint/integration-kit";

/** The service returns at most 32 messages per request. */
const MAX_MESSAGES = 32;
/** A message's text may take 64 KiB in the request. */
const MAX_MESSAGE_BYTES = 64 * 1024;

function queueName(context: CommandContext): string {
  return storageName(context, "queue_name", "queue");
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

/** `azure-storage-queue-list`: GET /?comp=list, following NextMarker up to XSOAR's page (from 1) of `limit`. */
export async function listQueues(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, STORAGE_MAX_RESULTS);
  const page = Math.max(Number.parseInt(context.args["page"] ?? "1", 10) || 1, 1);
  const listing = await listStorageEntries(context.api, {
    path: "/",
    query: { prefix: context.args["prefix"] },
    collection: "Queues",
    entries: ["Queue"],
    limit: page * limit,
  });
  const { nextMarker } = listing;
  const entries = listing.entries.slice((page - 1) * limit);
  const queues = entries.map((entry) => ({ name: xmlText(entry, "Name") ?? "" }));
  return {
    readable: `${tableToMarkdown(
      "Queues",
      queues.map(({ name }) => ({ Name: name })),
      ["Name"],
    )}${moreEntriesNote(nextMarker !== undefined, STORAGE_MAX_RESULTS)}`,
    outputsPrefix: "AzureStorageQueue.Queue",
    outputsKeyField: "name",
    outputs: queues,
    raw: entries,
  };
}

/** A whole number of seconds from `min` to `max`, or undefined when the argument is not given. */
function seconds(context: CommandContext, name: string, min: number, max: number): number | undefined {
  const raw = context.args[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${name} must be a whole number of seconds from ${min} to ${max} (got "${raw}").`);
  return value;
}

/** The messages of a `QueueMessagesList` answer. */
function readMessages(body: string): Array<Record<string, string | number | undefined>> {
  return xmlChildren(storageXml(body), "QueueMessage").map((message) => ({
    MessageId: xmlText(message, "MessageId"),
    InsertionTime: xmlText(message, "InsertionTime"),
    ExpirationTime: xmlText(message, "ExpirationTime"),
    DequeueCount:
      xmlText(message, "DequeueCount") === undefined ? undefined : Number(xmlText(message, "DequeueCount")),
    MessageText: xmlFind(message, "MessageText")?.text,
    PopReceipt: xmlText(message, "PopReceipt"),
    TimeNextVisible: xmlText(message, "TimeNextVisible"),
  }));
}

function messagesResult(
  name: string,
  title: string,
  messages: ReturnType<typeof readMessages>,
): CommandResult {
  const rows = messages.map((message) => ({
    "Message ID": message.MessageId,
    Text: message.MessageText,
    Inserted: message.InsertionTime,
    "Dequeue Count": message.DequeueCount,
  }));
  return {
    readable: tableToMarkdown(title, rows, ["Message ID", "Text", "Inserted", "Dequeue Count"]),
    outputsPrefix: "AzureStorageQueue.Queue",
    outputsKeyField: "name",
    outputs: { name, Message: messages },
  };
}

/** `azure-storage-queue-message-create`: POST /{queue}/messages with `<QueueMessage><MessageText>`. */
export async function createMessage(
  context: CommandContext<{ message_content: string }>,
): Promise<CommandResult> {
  const name = queueName(context);
  const raw = context.args["message_content"];
  const text = toBoolean(context.args["base64_encoding"]) ? Buffer.from(raw, "utf8").toString("base64") : raw;
  const body = `<QueueMessage><MessageText>${xmlEscape(text)}</MessageText></QueueMessage>`;
  if (Buffer.byteLength(body) > MAX_MESSAGE_BYTES)
    throw new UsageError(`message_content is too long: a queue message takes at most 64 KiB.`);
  const answer = await context.api.request<string>({
    method: "POST",
    path: `/${name}/messages`,
    query: {
      visibilitytimeout: seconds(context, "visibility_time_out", 0, 604_800),
      messagettl: seconds(context, "expiration", 1, 604_800),
    },
    headers: { "content-type": "application/xml; charset=utf-8" },
    body,
    responseType: "text",
  });
  const messages = readMessages(answer).map((message) => ({ ...message, MessageText: text }));
  return messagesResult(name, `Message added to ${name}`, messages);
}

/** How many messages to read: 1 to 32 (the service's maximum per request). */
function messageCount(context: CommandContext): number {
  return limitArgument(context, MAX_MESSAGES);
}

/** `azure-storage-queue-message-peek`: GET /{queue}/messages?peekonly=true; the messages stay visible. */
export async function peekMessages(context: CommandContext): Promise<CommandResult> {
  const name = queueName(context);
  const answer = await context.api.getText(`/${name}/messages`, {
    peekonly: "true",
    numofmessages: messageCount(context),
  });
  return messagesResult(name, `Messages of ${name} (peeked)`, readMessages(answer));
}

/**
 * `azure-storage-queue-message-get`: GET /{queue}/messages; the messages become invisible to other readers for
 * `visibility_time_out` seconds (default 30), and each comes with the pop receipt that deletes or updates it.
 */
export async function getMessages(context: CommandContext): Promise<CommandResult> {
  const name = queueName(context);
  const answer = await context.api.getText(`/${name}/messages`, {
    numofmessages: messageCount(context),
    visibilitytimeout: seconds(context, "visibility_time_out", 1, 604_800),
  });
  return messagesResult(name, `Messages of ${name}`, readMessages(answer));
}

/** `azure-storage-queue-message-delete`: DELETE /{queue}/messages/{id}?popreceipt=…. */
export async function deleteMessage(
  context: CommandContext<{ message_id: string; pop_receipt: string }>,
): Promise<CommandResult> {
  const name = queueName(context);
  const id = context.args["message_id"];
  await context.api.request({
    method: "DELETE",
    path: `/${name}/messages/${encodeURIComponent(id)}`,
    query: { popreceipt: context.args["pop_receipt"] },
  });
  return { readable: `Message in ${name} successfully deleted.` };
}

/** `azure-storage-queue-message-dequeue`: Get Messages (one), then Delete Message with its pop receipt. */
export async function dequeueMessage(context: CommandContext): Promise<CommandResult> {
  const name = queueName(context);
  const [message] = readMessages(await context.api.getText(`/${name}/messages`, { numofmessages: 1 }));
  if (!message?.MessageId || !message.PopReceipt)
    return { readable: `Queue ${name} has no message to dequeue.` };
  await context.api.request({
    method: "DELETE",
    path: `/${name}/messages/${encodeURIComponent(String(message.MessageId))}`,
    query: { popreceipt: String(message.PopReceipt) },
  });
  return { readable: `Message in ${name} successfully dequeued.` };
}
