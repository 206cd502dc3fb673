import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

/**
 * The mailbox's root: `/v1.0/users/{Mailbox to fetch}` when the instance names it (as XSOAR's listener does; an
 * application token, from a managed identity or the broker's application registration, has no `/me`), else the
 * signed-in user's `/v1.0/me` (learn.microsoft.com/graph/api/user-list-messages: both paths).
 */
export function mailboxRoot(context: { params: Record<string, string | boolean | undefined> }): string {
  const mailbox = String(context.params["mailbox_to_fetch"] ?? "").trim();
  return mailbox ? `/v1.0/users/${encodeURIComponent(mailbox)}` : "/v1.0/me";
}

interface Message {
  id?: string;
  subject?: string;
  from?: { emailAddress?: { address?: string } };
  receivedDateTime?: string;
  hasAttachments?: boolean;
  isDraft?: boolean;
  body?: { contentType?: string; content?: string };
  toRecipients?: Array<{ emailAddress?: { address?: string } }>;
}

const SELECT = "id,subject,from,receivedDateTime,hasAttachments,isDraft,toRecipients";

/** A message as the XSOAR integration writes it under `MSGraphMail`. */
export function toContextEmail(message: Message): Record<string, unknown> {
  return {
    ID: message.id,
    Subject: message.subject,
    Sender: message.from?.emailAddress?.address,
    To: message.toRecipients?.map((recipient) => recipient.emailAddress?.address),
    ReceivedTime: message.receivedDateTime,
    HasAttachments: message.hasAttachments,
    IsDraft: message.isDraft,
    ...(message.body ? { Body: message.body.content } : {}),
  };
}

const HEADERS = ["Subject", "Sender", "ReceivedTime", "HasAttachments", "ID"];

function recipients(list: string | undefined) {
  return (list ?? "")
    .split(",")
    .map((address) => address.trim())
    .filter(Boolean)
    .map((address) => ({ emailAddress: { address } }));
}

/** `msgraph-mail-list-emails`: GET /v1.0/me[/mailFolders/{id}]/messages. */
export async function listEmails(context: CommandContext): Promise<CommandResult> {
  // XSOAR's paging: page_size messages a request ($top), pages_to_pull requests at most.
  const pageSize = limitArgument(context, 1000, "page_size");
  const limit = pageSize * limitArgument(context, 100, "pages_to_pull");
  const folder = context.args["folder_id"]
    ? `/mailFolders/${encodeURIComponent(context.args["folder_id"])}`
    : "";
  const search = context.args["search"];
  const { items } = await collectPages<Message>(
    context.api,
    `${mailboxRoot(context)}${folder}/messages`,
    {
      $select: SELECT,
      $top: pageSize,
      // With $orderby, Exchange wants the sorted property restricted first (learn.microsoft.com/graph/api/
      // user-list-messages, "Using filter and orderby in the same query"), else 400 InefficientFilter.
      $filter:
        context.args["odata"] && !search
          ? `receivedDateTime ge 1900-01-01T00:00:00Z and (${context.args["odata"]})`
          : context.args["odata"],
      // $search and $orderby cannot be combined on messages; search results come by relevance.
      $search: search ? `"${search.replace(/"/g, "")}"` : undefined,
      $orderby: search ? undefined : "receivedDateTime desc",
    },
    limit,
  );
  const emails = items.map(toContextEmail);
  return {
    readable: tableToMarkdown("Emails:", emails, HEADERS),
    outputsPrefix: "MSGraphMail",
    outputsKeyField: "ID",
    outputs: emails,
    raw: items,
  };
}

/** `msgraph-mail-get-email`: GET /v1.0/me/messages/{id} with the body as text or HTML. */
export async function getEmail(context: CommandContext<{ message_id: string }>): Promise<CommandResult> {
  const message = await context.api.request<Message>({
    path: `${mailboxRoot(context)}/messages/${encodeURIComponent(context.args["message_id"])}`,
    headers: { prefer: `outlook.body-content-type="${context.args["body_type"] ?? "text"}"` },
  });
  const entry = toContextEmail(message);
  return {
    readable: tableToMarkdown(`Email ${message.subject ?? message.id}`, [entry], [...HEADERS, "Body"]),
    outputsPrefix: "MSGraphMail",
    outputsKeyField: "ID",
    outputs: entry,
    raw: message,
  };
}

/** `name:value,name:value` → internetMessageHeaders (Graph accepts only custom `X-` headers there). */
function internetHeaders(headers: string | undefined) {
  if (!headers) return undefined;
  return headers.split(",").map((pair) => {
    const at = pair.indexOf(":");
    if (at < 1) throw new UsageError(`headers: "${pair.trim()}" is not name:value.`);
    return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
  });
}

/**
 * The message resource of a draft (learn.microsoft.com/graph/api/user-post-messages): recipients, the body as
 * Text or HTML, flag, importance and custom internet headers.
 */
function draftBody(args: Record<string, string | undefined>): Record<string, unknown> {
  const headers = internetHeaders(args["headers"]);
  return {
    subject: args["subject"],
    body: {
      contentType: args["body_type"]?.toLowerCase() === "html" ? "HTML" : "Text",
      content: args["body"] ?? "",
    },
    toRecipients: recipients(args["to"]),
    ccRecipients: recipients(args["cc"]),
    bccRecipients: recipients(args["bcc"]),
    flag: { flagStatus: args["flag"] ?? "notFlagged" },
    importance: (args["importance"] ?? "Low").toLowerCase(),
    ...(headers ? { internetMessageHeaders: headers } : {}),
  };
}

/** `msgraph-mail-create-draft`: POST /v1.0/me/messages. */
export async function createDraft(context: CommandContext): Promise<CommandResult> {
  const draft = await context.api.request<Message>({
    expect: "object",
    method: "POST",
    path: `${mailboxRoot(context)}/messages`,
    body: draftBody(context.args),
  });
  const entry = toContextEmail(draft);
  return {
    readable: tableToMarkdown("Created draft", [entry], ["Subject", "To", "ID"]),
    outputsPrefix: "MSGraphMail",
    outputsKeyField: "ID",
    outputs: entry,
    raw: draft,
  };
}

/** `msgraph-mail-send-draft`: POST /v1.0/me/messages/{id}/send (202 Accepted). */
export async function sendDraft(context: CommandContext<{ draft_id: string }>): Promise<CommandResult> {
  const id = context.args["draft_id"];
  await context.api.request({
    method: "POST",
    path: `${mailboxRoot(context)}/messages/${encodeURIComponent(id)}/send`,
  });
  return { readable: `### Draft with: ${id} id was sent successfully.` };
}
