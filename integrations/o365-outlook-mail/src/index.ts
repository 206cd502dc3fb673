import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { deleteEmail, getEmail, listEmails, moveEmail, testMailbox } from "./mail.js";

// Permissions: the "Permissions" table of each call's page under learn.microsoft.com/graph/api/, least privileged
// first. user-list-messages and message-get list Mail.ReadBasic.All first; it leaves out the body, which get-email
// returns, so get-email starts at Mail.Read.
const MAIL_LIST = { application: ["Mail.ReadBasic.All", "Mail.Read", "Mail.ReadWrite"] };
const MAIL_WRITE = { application: ["Mail.ReadWrite"] };

const emailOutputs = [
  { path: "MSGraphMail.ID", type: "string", description: "The message's ID." },
  { path: "MSGraphMail.Subject", type: "string", description: "The message's subject." },
  { path: "MSGraphMail.Sender", type: "string", description: "The sender's address." },
  { path: "MSGraphMail.ReceivedTime", type: "date", description: "When the message arrived." },
  { path: "MSGraphMail.HasAttachments", type: "boolean", description: "Whether it has attachments." },
  { path: "MSGraphMail.UserID", type: "string", description: "The mailbox the message is in." },
  { path: "MSGraphMail.Body", type: "string", description: "The message body (get-email only)." },
] as const;

const userId = {
  name: "user_id",
  description: "The mailbox: user principal name or object ID.",
  required: true,
} as const;
const messageId = { name: "message_id", description: "The message's ID.", required: true } as const;
const folderId = {
  name: "folder_id",
  description: "A mail folder's ID or well-known name (inbox, deleteditems …).",
} as const;

// Names, arguments and the broker app name from demisto/content
// Packs/MicrosoftGraphMail/Integrations/MicrosoftGraphMail/MicrosoftGraphMail.yml (data/xsoar/o365-outlook-mail.json).

/** O365 Outlook Mail: any mailbox of the organization through Microsoft Graph (application permissions). */
export default defineIntegration({
  id: "o365-outlook-mail",
  version: packageJson.version,
  displayName: "O365 Outlook Mail",
  commandPrefix: "msgraph-mail",
  description: "Lists, reads, moves and deletes messages in the organization's mailboxes.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: true,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it.
  brokerAppName: "ms-graph-mail",
  resource: graph(),
  permissions: { application: ["Mail.ReadWrite", "Mail.Send", "User.Read.All"] },
  commands: {
    "msgraph-mail-list-emails": {
      description: "Lists the messages of a mailbox, newest first.",
      arguments: [
        userId,
        folderId,
        { name: "odata", description: "An OData $filter, e.g. from/emailAddress/address eq 'x@y.com'." },
        { name: "search", description: "A $search expression, e.g. subject:invoice (then by relevance)." },
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
      description: "Gets one message (with its body when get_body is true).",
      arguments: [
        userId,
        messageId,
        folderId,
        { name: "odata", description: "Further query options, e.g. $select=subject,from." },
        {
          name: "get_body",
          description: "true: put the body in the context.",
          predefined: ["true", "false"],
        },
      ],
      outputs: emailOutputs,
      // message-get
      permissions: { application: ["Mail.Read", "Mail.ReadWrite"] },
      run: getEmail,
    },
    "msgraph-mail-move-email": {
      description: "Moves a message to another folder.",
      arguments: [
        userId,
        messageId,
        { name: "destination_folder_id", description: "The folder's ID or well-known name.", required: true },
      ],
      outputs: [
        { path: "MSGraphMail.MovedEmails.ID", type: "string", description: "The moved message's new ID." },
        {
          path: "MSGraphMail.MovedEmails.DestinationFolderID",
          type: "string",
          description: "The folder it moved to.",
        },
      ],
      // message-move
      permissions: MAIL_WRITE,
      run: moveEmail,
    },
    "msgraph-mail-delete-email": {
      description: "Deletes a message (it goes to Deleted Items).",
      arguments: [userId, messageId, folderId],
      // message-delete
      permissions: MAIL_WRITE,
      run: deleteEmail,
    },
  },
  // One user (user-list: User.Read.All least privileged for apps), then one message of that user's mailbox.
  test: testMailbox,
  testPermissions: [
    { application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"] },
    MAIL_LIST,
  ],
});
