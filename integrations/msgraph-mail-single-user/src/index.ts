import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { createDraft, getEmail, listEmails, mailboxRoot, sendDraft } from "./mailbox.js";

// Permissions: the "Permissions" table of each call's page under learn.microsoft.com/graph/api/, least privileged
// first (delegated: the signed-in user's own mailbox).
const MAIL_LIST = { delegated: ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"] };

const emailOutputs = [
  { path: "MSGraphMail.ID", type: "string", description: "The message's ID." },
  { path: "MSGraphMail.Subject", type: "string", description: "The message's subject." },
  { path: "MSGraphMail.Sender", type: "string", description: "The sender's address." },
  { path: "MSGraphMail.ReceivedTime", type: "date", description: "When the message arrived." },
  { path: "MSGraphMail.HasAttachments", type: "boolean", description: "Whether it has attachments." },
  { path: "MSGraphMail.IsDraft", type: "boolean", description: "Whether it is a draft." },
  { path: "MSGraphMail.Body", type: "string", description: "The message body (get-email only)." },
] as const;

// Names, arguments and the broker app name from demisto/content
// Packs/MicrosoftGraphMail/Integrations/MicrosoftGraphListener/MicrosoftGraphListener.yml
// (data/xsoar/msgraph-mail-single-user.json).
/** Microsoft Graph Mail Single User: the signed-in user's own mailbox through Microsoft Graph (delegated). */
export default defineIntegration({
  id: "msgraph-mail-single-user",
  version: packageJson.version,
  displayName: "Microsoft Graph Mail Single User",
  commandPrefix: "msgraph-mail",
  description: "Lists and reads the signed-in user's messages, and creates and sends drafts.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: false,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it.
  brokerAppName: "ms-graph-mail-listener",
  resource: graph({
    application: [".default"],
    delegated: ["Mail.ReadWrite", "Mail.Send", "User.Read", "offline_access"],
  }),
  permissions: { delegated: ["Mail.ReadWrite", "Mail.Send", "User.Read"] },
  parameters: [
    {
      // XSOAR's listener names the mailbox it reads (mailbox_to_fetch, MicrosoftGraphListener.yml).
      key: "mailbox_to_fetch",
      displayName: "Email address from which to fetch incidents",
      type: "string",
      help: "The mailbox the commands read and write (an email address or user ID). Needed with Azure Managed Identities or the broker's application registration, whose tokens have no signed-in user; leave it empty to use the signed-in user's mailbox.",
    },
  ],
  commands: {
    "msgraph-mail-list-emails": {
      description: "Lists the messages of the signed-in user, newest first.",
      arguments: [
        {
          name: "folder_id",
          description: "msint only: a mail folder's ID or well-known name (inbox, sentitems …).",
        },
        { name: "odata", description: "An OData $filter, e.g. isRead eq false." },
        { name: "search", description: "A $search expression, e.g. subject:invoice." },
        { name: "page_size", description: "Messages per request (1-1000).", defaultValue: "20" },
        {
          name: "pages_to_pull",
          description: "The most requests (pages) to send (1-100).",
          defaultValue: "1",
        },
      ],
      outputs: emailOutputs,
      // user-list-messages, mailfolder-list-messages
      permissions: MAIL_LIST,
      run: listEmails,
    },
    "msgraph-mail-get-email": {
      description: "msint only: gets one message with its body.",
      arguments: [
        { name: "message_id", description: "The message's ID.", required: true },
        {
          name: "body_type",
          description: "The body as text or HTML.",
          defaultValue: "text",
          predefined: ["text", "html"],
        },
      ],
      outputs: emailOutputs,
      // message-get (the body is not in Mail.ReadBasic)
      permissions: { delegated: ["Mail.Read", "Mail.ReadWrite"] },
      run: getEmail,
    },
    "msgraph-mail-create-draft": {
      description: "Creates a draft in the Drafts folder.",
      arguments: [
        { name: "to", description: "Comma-separated recipients." },
        { name: "cc", description: "Comma-separated CC recipients." },
        { name: "bcc", description: "Comma-separated BCC recipients." },
        { name: "subject", description: "The subject.", required: true },
        { name: "body", description: "The body." },
        {
          name: "body_type",
          description: "The body's format.",
          defaultValue: "text",
          predefined: ["text", "HTML"],
        },
        {
          name: "flag",
          description: "The follow-up flag.",
          defaultValue: "notFlagged",
          predefined: ["notFlagged", "complete", "flagged"],
        },
        {
          name: "importance",
          description: "The importance.",
          defaultValue: "Low",
          predefined: ["Low", "Normal", "High"],
        },
        {
          name: "headers",
          description: "Custom internet headers as name:value pairs, comma-separated (names start with X-).",
        },
      ],
      outputs: emailOutputs,
      // user-post-messages
      permissions: { delegated: ["Mail.ReadWrite"] },
      run: createDraft,
    },
    "msgraph-mail-send-draft": {
      description: "Sends a draft.",
      arguments: [{ name: "draft_id", description: "The draft's ID.", required: true }],
      // message-send
      permissions: { delegated: ["Mail.Send"] },
      run: sendDraft,
    },
  },
  testPermissions: MAIL_LIST,
  async test(context) {
    await context.api.get(
      `${mailboxRoot(context)}/messages`,
      { $top: 1, $select: "id" },
      { expect: "collection" },
    );
  },
});
