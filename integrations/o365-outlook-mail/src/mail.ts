import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";

interface Message {
  id?: string;
  subject?: string;
  from?: { emailAddress?: { address?: string } };
  receivedDateTime?: string;
  hasAttachments?: boolean;
  body?: { content?: string };
}

const SELECT = "id,subject,from,receivedDateTime,hasAttachments";
const HEADERS = ["Subject", "Sender", "ReceivedTime", "HasAttachments", "ID"];

const mailbox = (context: CommandContext<{ user_id: string }>) =>
  `/v1.0/users/${encodeURIComponent(context.args["user_id"])}`;
const messagePath = (context: CommandContext<{ message_id: string; user_id: string }>, folder = "") =>
  `${mailbox(context)}${folder}/messages/${encodeURIComponent(context.args["message_id"])}`;

/**
 * A `$filter` Exchange accepts next to `$orderby=receivedDateTime desc`: the sorted property must be restricted first
 * (learn.microsoft.com/graph/api/user-list-messages, "Using filter and orderby in the same query"), else Graph
 * answers 400 InefficientFilter.
 */
export function sortableFilter(filter: string | undefined): string | undefined {
  return filter ? `receivedDateTime ge 1900-01-01T00:00:00Z and (${filter})` : undefined;
}

/** `<prefix>-test`: the first user, then one message of that user's mailbox. */
export async function testMailbox(context: CommandContext): Promise<void> {
  const users = await context.api.get<{ value?: Array<{ id?: string }> }>(
    "/v1.0/users",
    { $top: 1, $select: "id" },
    { expect: "collection" },
  );
  const id = users.value?.[0]?.id;
  if (!id) return;
  await context.api.get(
    `/v1.0/users/${encodeURIComponent(id)}/messages`,
    { $top: 1, $select: "id" },
    { expect: "collection" },
  );
}

/** A message as the XSOAR integration writes it under `MSGraphMail`. */
export function toContextEmail(message: Message, userId: string): Record<string, unknown> {
  return {
    ID: message.id,
    Subject: message.subject,
    Sender: message.from?.emailAddress?.address,
    ReceivedTime: message.receivedDateTime,
    HasAttachments: message.hasAttachments,
    UserID: userId,
    ...(message.body ? { Body: message.body.content } : {}),
  };
}

/** XSOAR's paging of the list: `page_size` messages a request ($top), `pages_to_pull` requests at most. */
export function pagingArguments(context: CommandContext): { pageSize: number; limit: number } {
  const pageSize = limitArgument(context, 1000, "page_size");
  const pages = limitArgument(context, 100, "pages_to_pull");
  return { pageSize, limit: pageSize * pages };
}

/** A folder's messages (`/mailFolders/{id}`) or the whole mailbox's. */
const folderOf = (context: CommandContext) =>
  context.args["folder_id"] ? `/mailFolders/${encodeURIComponent(context.args["folder_id"])}` : "";

/**
 * `msgraph-mail-list-emails`: GET /v1.0/users/{user}[/mailFolders/{id}]/messages, newest first; with `search`,
 * `$search` in quotes and no `$orderby`, which Graph does not combine with it (learn.microsoft.com/graph/
 * search-query-parameter).
 */
export async function listEmails(context: CommandContext<{ user_id: string }>): Promise<CommandResult> {
  const { pageSize, limit } = pagingArguments(context);
  const search = context.args["search"];
  const odata = context.args["odata"];
  const { items } = await collectPages<Message>(
    context.api,
    `${mailbox(context)}${folderOf(context)}/messages`,
    {
      $select: SELECT,
      $top: pageSize,
      $filter: search ? odata : sortableFilter(odata),
      $search: search ? `"${search.replace(/"/g, "")}"` : undefined,
      $orderby: search ? undefined : "receivedDateTime desc",
    },
    limit,
  );
  const emails = items.map((message) => toContextEmail(message, context.args["user_id"]));
  return {
    readable: tableToMarkdown(`Total of ${emails.length} mails received`, emails, HEADERS),
    outputsPrefix: "MSGraphMail",
    outputsKeyField: "ID",
    outputs: emails,
    raw: items,
  };
}

/** XSOAR's `odata` of get-email: further query options as a query string, e.g. `$select=subject,from`. */
function odataQuery(odata: string | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams((odata ?? "").replace(/^\?/, "")));
}

/**
 * `msgraph-mail-get-email`: GET /v1.0/users/{user}[/mailFolders/{folder}]/messages/{id}; the body is in the
 * context only with get_body=true, as in XSOAR.
 */
export async function getEmail(
  context: CommandContext<{ message_id: string; user_id: string }>,
): Promise<CommandResult> {
  const message = await context.api.get<Message>(
    messagePath(context, folderOf(context)),
    odataQuery(context.args["odata"]),
  );
  const { body: _body, ...withoutBody } = message;
  const entry = toContextEmail(
    context.args["get_body"] === "true" ? message : withoutBody,
    context.args["user_id"],
  );
  return {
    readable: tableToMarkdown(`Results for message ID ${context.args["message_id"]}`, [entry], HEADERS),
    outputsPrefix: "MSGraphMail",
    outputsKeyField: "ID",
    outputs: entry,
    raw: message,
  };
}

/** `msgraph-mail-move-email`: POST /v1.0/users/{user}/messages/{id}/move. */
export async function moveEmail(
  context: CommandContext<{ destination_folder_id: string; message_id: string; user_id: string }>,
): Promise<CommandResult> {
  const destination = context.args["destination_folder_id"];
  const moved = await context.api.request<Message>({
    expect: "object",
    method: "POST",
    path: `${messagePath(context)}/move`,
    body: { destinationId: destination },
  });
  const entry = { ID: moved?.id, DestinationFolderID: destination, UserID: context.args["user_id"] };
  return {
    readable: tableToMarkdown("The email was moved successfully. Updated email data:", [entry]),
    outputsPrefix: "MSGraphMail.MovedEmails",
    outputsKeyField: "ID",
    outputs: entry,
    raw: moved,
  };
}

/** `msgraph-mail-delete-email`: DELETE /v1.0/users/{user}[/mailFolders/{folder}]/messages/{id}. */
export async function deleteEmail(
  context: CommandContext<{ message_id: string; user_id: string }>,
): Promise<CommandResult> {
  await context.api.request({ method: "DELETE", path: messagePath(context, folderOf(context)) });
  return { readable: `Message has been deleted successfully` };
}
