import { ODataError } from "../graph/odata.js";
import type { RouteContext, SeedUser } from "../types.js";
import {
  addressedUser,
  filterAndSort,
  type GraphAccess,
  MAILBOX_PREFIXES,
  opaqueId,
  outlookDenial,
  page,
  route,
  selected,
} from "./graph-m365-shared.js";
import type { ServiceRoute } from "./types.js";

// Outlook mail of every user of the tenant: folders, messages, attachments, drafts, send, reply, move, delete.
// Permissions from the "Permissions" table of each page under learn.microsoft.com/graph/api/.

/** user-list-messages, mailfolder-list-messages, message-get, user-list-mailfolders. */
export const MAIL_READ: GraphAccess = {
  application: ["Mail.ReadBasic.All", "Mail.Read", "Mail.ReadWrite"],
  delegated: ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"],
};
/** message-list-attachments, attachment-get (the content is not in Mail.ReadBasic). */
const MAIL_READ_FULL: GraphAccess = {
  application: ["Mail.Read", "Mail.ReadWrite"],
  delegated: ["Mail.Read", "Mail.ReadWrite"],
};
/** message-move, message-delete, user-post-messages. */
export const MAIL_WRITE: GraphAccess = { application: ["Mail.ReadWrite"], delegated: ["Mail.ReadWrite"] };
/** message-send, user-sendmail, message-reply. */
export const MAIL_SEND: GraphAccess = { application: ["Mail.Send"], delegated: ["Mail.Send"] };

interface Recipient {
  emailAddress: { name?: string; address: string };
}

interface Attachment {
  "@odata.type": string;
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  lastModifiedDateTime: string;
  contentBytes: string;
}

type Message = Record<string, unknown> & {
  id: string;
  subject: string;
  parentFolderId: string;
  isDraft: boolean;
  bodyText: string;
  attachments: Attachment[];
};

interface Mailbox {
  folders: Array<{ id: string; wellKnownName: string; displayName: string }>;
  messages: Message[];
  counter: number;
}

const FOLDERS: Array<[string, string]> = [
  ["inbox", "Inbox"],
  ["drafts", "Drafts"],
  ["sentitems", "Sent Items"],
  ["deleteditems", "Deleted Items"],
  ["archive", "Archive"],
  ["junkemail", "Junk Email"],
];

const recipient = (address: string, name?: string): Recipient => ({
  emailAddress: { ...(name ? { name } : {}), address },
});

function html(text: string): string {
  return `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><p>${text}</p></body></html>`;
}

/** A message with every property Graph returns by default. */
function message(
  box: Mailbox,
  owner: SeedUser,
  fields: { subject: string; from: Recipient; to: Recipient[]; folder: string; at: string; text: string },
  extra: Partial<Message> = {},
): Message {
  box.counter += 1;
  const id = opaqueId(
    "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAi",
    `${owner.id}:${box.counter}`,
  );
  const folder = box.folders.find((candidate) => candidate.wellKnownName === fields.folder)!;
  return {
    "@odata.etag": `W/"CQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAA${box.counter}"`,
    id,
    createdDateTime: fields.at,
    lastModifiedDateTime: fields.at,
    changeKey: `CQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAA${box.counter}`,
    categories: [],
    receivedDateTime: fields.at,
    sentDateTime: fields.at,
    hasAttachments: (extra.attachments ?? []).length > 0,
    internetMessageId: `<${owner.id.slice(0, 8)}.${box.counter}@contoso.example>`,
    subject: fields.subject,
    bodyPreview: fields.text.slice(0, 255),
    importance: "normal",
    parentFolderId: folder.id,
    conversationId: opaqueId("AAQkAGVmMDEz", `${fields.subject}`),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: false,
    isDraft: false,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: "focused",
    body: { contentType: "html", content: html(fields.text) },
    bodyText: fields.text,
    sender: fields.from,
    from: fields.from,
    toRecipients: fields.to,
    ccRecipients: [],
    bccRecipients: [],
    replyTo: [],
    flag: { flagStatus: "notFlagged" },
    attachments: [],
    ...extra,
  };
}

/** A user's mailbox as first seen: a phishing report, an internal note, a draft and a sent message. */
function seedMailbox(owner: SeedUser): Mailbox {
  const box: Mailbox = {
    folders: FOLDERS.map(([wellKnownName, displayName]) => ({
      id: opaqueId(
        "AAMkAGVmMDEzMTM4AAuAAAAAAAiQ8W967B7TKBjgx9rVEURAQAiIsqMbYjsT5e",
        `${owner.id}:${wellKnownName}`,
      ),
      wellKnownName,
      displayName,
    })),
    messages: [],
    counter: 0,
  };
  const me = recipient(owner.mail ?? owner.userPrincipalName, owner.displayName);
  const invoice = "Your invoice 2026-1187 is overdue. Open the attached file to avoid a late fee.";
  box.messages.push(
    message(
      box,
      owner,
      {
        subject: "Overdue invoice 2026-1187",
        from: recipient("billing@fabrikam-payments.example", "Fabrikam Billing"),
        to: [me],
        folder: "inbox",
        at: "2026-11-30T09:12:44Z",
        text: invoice,
      },
      {
        importance: "high",
        attachments: [
          {
            "@odata.type": "#microsoft.graph.fileAttachment",
            id: opaqueId("AAMkAGVmMDEzAttach", `${owner.id}:invoice`),
            name: "invoice-2026-1187.html",
            contentType: "text/html",
            size: 96,
            isInline: false,
            lastModifiedDateTime: "2026-11-30T09:12:44Z",
            contentBytes: Buffer.from(
              "<html><body><form action='https://fabrikam-payments.example/login'></form></body></html>",
            ).toString("base64"),
          },
        ],
      },
    ),
    message(box, owner, {
      subject: "Quarterly access review",
      from: recipient("meganb@contoso.onmicrosoft.com", "Megan Bowen"),
      to: [me],
      folder: "inbox",
      at: "2026-11-28T15:03:10Z",
      text: "Please confirm the members of your groups by Friday.",
    }),
    message(box, owner, {
      subject: "Password expires today",
      from: recipient("it-helpdesk@contoso-support.example", "IT Helpdesk"),
      to: [me],
      folder: "junkemail",
      at: "2026-11-27T07:45:00Z",
      text: "Keep your current password by signing in at the link below.",
    }),
    message(
      box,
      owner,
      {
        subject: "Incident summary (draft)",
        from: me,
        to: [recipient("soc@contoso.onmicrosoft.com", "SOC")],
        folder: "drafts",
        at: "2026-11-29T11:20:00Z",
        text: "Draft: two users reported the Fabrikam invoice.",
      },
      { isDraft: true, isRead: true },
    ),
    message(
      box,
      owner,
      {
        subject: "Re: VPN access",
        from: me,
        to: [recipient("alexw@contoso.onmicrosoft.com", "Alex Wilber")],
        folder: "sentitems",
        at: "2026-11-26T16:30:00Z",
        text: "Access granted until the end of the month.",
      },
      { isRead: true },
    ),
  );
  return box;
}

/** Graph's view of a message: the body as the `Prefer: outlook.body-content-type` header asks. */
function view(item: Message, context: RouteContext): Record<string, unknown> {
  const { bodyText, attachments: _attachments, ...rest } = item;
  const prefer = /outlook\.body-content-type="?(text|html)"?/i.exec(context.headers["prefer"] ?? "")?.[1];
  if (prefer?.toLowerCase() === "text") return { ...rest, body: { contentType: "text", content: bodyText } };
  return rest;
}

function notFound(): ODataError {
  return new ODataError("ErrorItemNotFound", "The specified object was not found in the store.", 404);
}

/** The mail routes over a fresh copy of the seeded mailboxes (one per user, made on first use). */
export function mailRoutes(): ServiceRoute[] {
  const boxes = new Map<string, Mailbox>();
  const mailboxOf = (context: RouteContext) => {
    const owner = addressedUser(context);
    let box = boxes.get(owner.id);
    if (!box) {
      box = seedMailbox(owner);
      boxes.set(owner.id, box);
    }
    return { owner, box };
  };
  const folderOf = (box: Mailbox, id: string) => {
    const folder = box.folders.find(
      (candidate) => candidate.id === id || candidate.wellKnownName === id.toLowerCase(),
    );
    if (!folder) throw notFound();
    return folder;
  };
  const messageOf = (box: Mailbox, id: string) => {
    const found = box.messages.find((candidate) => candidate.id === id);
    if (!found) throw notFound();
    return found;
  };
  const relocate = (box: Mailbox, item: Message, folder: string): Message => {
    box.counter += 1;
    const moved = {
      ...item,
      id: opaqueId("AAMkAGVmMDEzMoved", `${item.id}:${box.counter}`),
      parentFolderId: folder,
    };
    box.messages = box.messages.filter((candidate) => candidate !== item);
    box.messages.push(moved);
    return moved;
  };
  const list = (context: RouteContext, folderId?: string) => {
    const { box } = mailboxOf(context);
    const folder = folderId ? folderOf(box, folderId).id : undefined;
    const items = box.messages.filter((item) => folder === undefined || item.parentFolderId === folder);
    const search = context.query["$search"]?.replace(/"/g, "").toLowerCase();
    const found = search
      ? items.filter((item) =>
          `${item.subject} ${item.bodyText}`.toLowerCase().includes(search.replace(/^\w+:/, "")),
        )
      : items;
    const sorted = filterAndSort(found, context.query).map((item) => view(item, context));
    return page(context, sorted, { defaultTop: 10, maxTop: 1000 });
  };

  const routes: ServiceRoute[] = [];
  for (const prefix of MAILBOX_PREFIXES) {
    routes.push(
      route("GET", `${prefix}/messages`, MAIL_READ, outlookDenial, (context) => list(context)),
      route("GET", `${prefix}/mailFolders`, MAIL_READ, outlookDenial, (context) => {
        const { box } = mailboxOf(context);
        const folders = box.folders.map((folder) => ({
          id: folder.id,
          displayName: folder.displayName,
          parentFolderId: opaqueId("AAMkAGVmMDEzRoot", box.folders[0]!.id),
          childFolderCount: 0,
          unreadItemCount: box.messages.filter((item) => item.parentFolderId === folder.id && !item["isRead"])
            .length,
          totalItemCount: box.messages.filter((item) => item.parentFolderId === folder.id).length,
          isHidden: false,
        }));
        return page(context, folders, { defaultTop: 10, maxTop: 1000 });
      }),
      route("GET", `${prefix}/mailFolders/:folder/messages`, MAIL_READ, outlookDenial, (context) =>
        list(context, context.params["folder"]!),
      ),
      route("GET", `${prefix}/messages/:id`, MAIL_READ, outlookDenial, (context) => {
        const { box } = mailboxOf(context);
        const item = messageOf(box, context.params["id"]!);
        return context.json(200, selected(view(item, context), context.query["$select"]));
      }),
      route("GET", `${prefix}/messages/:id/attachments`, MAIL_READ_FULL, outlookDenial, (context) => {
        const { box } = mailboxOf(context);
        return page(context, messageOf(box, context.params["id"]!).attachments as never, {
          defaultTop: 100,
          maxTop: 1000,
        });
      }),
      route(
        "GET",
        `${prefix}/messages/:id/attachments/:attachment`,
        MAIL_READ_FULL,
        outlookDenial,
        (context) => {
          const { box } = mailboxOf(context);
          const found = messageOf(box, context.params["id"]!).attachments.find(
            (attachment) => attachment.id === context.params["attachment"],
          );
          if (!found) throw notFound();
          return context.json(200, found);
        },
      ),
      route("POST", `${prefix}/messages/:id/move`, MAIL_WRITE, outlookDenial, (context) => {
        const { box } = mailboxOf(context);
        const destination = (context.body as { destinationId?: unknown } | undefined)?.destinationId;
        if (typeof destination !== "string" || destination === "") {
          return context.error(400, "ErrorInvalidIdMalformed", "Id is malformed.");
        }
        const folder = folderOf(box, destination);
        const moved = relocate(box, messageOf(box, context.params["id"]!), folder.id);
        return context.json(201, view(moved, context));
      }),
      route("DELETE", `${prefix}/messages/:id`, MAIL_WRITE, outlookDenial, (context) => {
        const { box } = mailboxOf(context);
        const item = messageOf(box, context.params["id"]!);
        // DELETE moves the message to Deleted Items (under a new ID); deleting it there removes it.
        const deleted = folderOf(box, "deleteditems").id;
        if (item.parentFolderId === deleted)
          box.messages = box.messages.filter((candidate) => candidate !== item);
        else relocate(box, item, deleted);
        return context.empty(204);
      }),
      ...sendingRoutes(prefix, mailboxOf, messageOf, folderOf, relocate),
      ...folderMessageRoutes(prefix, mailboxOf, messageOf, folderOf, relocate),
    );
  }
  return routes;
}

type MailboxOf = (context: RouteContext) => { owner: SeedUser; box: Mailbox };

/**
 * A message addressed through its folder (message-get and message-delete: /mailFolders/{id}/messages/{id}); a
 * message of another folder is not found there. DELETE moves it to Deleted Items, as DELETE /messages/{id} does.
 */
function folderMessageRoutes(
  prefix: string,
  mailboxOf: MailboxOf,
  messageOf: (box: Mailbox, id: string) => Message,
  folderOf: (box: Mailbox, id: string) => { id: string },
  relocate: (box: Mailbox, item: Message, folder: string) => Message,
): ServiceRoute[] {
  const inFolder = (context: RouteContext) => {
    const { box } = mailboxOf(context);
    const folder = folderOf(box, context.params["folder"]!);
    const item = messageOf(box, context.params["id"]!);
    if (item.parentFolderId !== folder.id) throw notFound();
    return { box, item };
  };
  return [
    route("GET", `${prefix}/mailFolders/:folder/messages/:id`, MAIL_READ, outlookDenial, (context) =>
      context.json(200, selected(view(inFolder(context).item, context), context.query["$select"])),
    ),
    route("DELETE", `${prefix}/mailFolders/:folder/messages/:id`, MAIL_WRITE, outlookDenial, (context) => {
      const { box, item } = inFolder(context);
      const deleted = folderOf(box, "deleteditems").id;
      if (item.parentFolderId === deleted)
        box.messages = box.messages.filter((candidate) => candidate !== item);
      else relocate(box, item, deleted);
      return context.empty(204);
    }),
  ];
}

/** Drafts, sendMail, send and reply: what they change shows in Drafts and Sent Items. */
function sendingRoutes(
  prefix: string,
  mailboxOf: MailboxOf,
  messageOf: (box: Mailbox, id: string) => Message,
  folderOf: (box: Mailbox, id: string) => { id: string },
  relocate: (box: Mailbox, item: Message, folder: string) => Message,
): ServiceRoute[] {
  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const compose = (
    context: RouteContext,
    input: Record<string, unknown>,
    folder: string,
    extra: Partial<Message>,
  ) => {
    const { owner, box } = mailboxOf(context);
    const body = input["body"] as { contentType?: string; content?: string } | undefined;
    const text = body?.content ?? "";
    const item = message(
      box,
      owner,
      {
        subject: typeof input["subject"] === "string" ? input["subject"] : "",
        from: recipient(owner.mail ?? owner.userPrincipalName, owner.displayName),
        to: Array.isArray(input["toRecipients"]) ? (input["toRecipients"] as Recipient[]) : [],
        folder,
        at: now(),
        text,
      },
      {
        ccRecipients: Array.isArray(input["ccRecipients"]) ? input["ccRecipients"] : [],
        isRead: true,
        body: { contentType: body?.contentType?.toLowerCase() === "html" ? "html" : "text", content: text },
        ...extra,
      },
    );
    box.messages.push(item);
    return item;
  };
  return [
    route("POST", `${prefix}/messages`, MAIL_WRITE, outlookDenial, (context) => {
      const input = (context.body ?? {}) as Record<string, unknown>;
      const draft = compose(context, input, "drafts", { isDraft: true });
      return context.json(201, view(draft, context));
    }),
    route("POST", `${prefix}/messages/:id/send`, MAIL_SEND, outlookDenial, (context) => {
      const { box } = mailboxOf(context);
      const draft = messageOf(box, context.params["id"]!);
      if (!draft.isDraft) {
        return context.error(400, "ErrorInvalidOperation", "Only draft messages can be sent.");
      }
      const sent = relocate(box, draft, folderOf(box, "sentitems").id);
      Object.assign(sent, { isDraft: false, sentDateTime: now() });
      return context.empty(202);
    }),
    route("POST", `${prefix}/sendMail`, MAIL_SEND, outlookDenial, (context) => {
      const input = (context.body ?? {}) as { message?: Record<string, unknown>; saveToSentItems?: boolean };
      if (!input.message || typeof input.message !== "object") {
        return context.error(400, "ErrorInvalidArgument", "The message parameter is required.");
      }
      if (input.saveToSentItems !== false) compose(context, input.message, "sentitems", {});
      return context.empty(202);
    }),
    route("POST", `${prefix}/messages/:id/reply`, MAIL_SEND, outlookDenial, (context) => {
      const { box } = mailboxOf(context);
      const original = messageOf(box, context.params["id"]!);
      const comment = (context.body as { comment?: string } | undefined)?.comment ?? "";
      compose(
        context,
        {
          subject: `RE: ${original.subject}`,
          toRecipients: [original["from"]],
          body: { contentType: "text", content: comment },
        },
        "sentitems",
        { conversationId: original["conversationId"] },
      );
      return context.empty(202);
    }),
  ];
}
