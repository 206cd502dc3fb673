import { defineIntegration, storage } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  clearMessages,
  createMessage,
  createQueue,
  deleteMessage,
  deleteQueue,
  dequeueMessage,
  getMessages,
  listQueues,
  peekMessages,
  setQueueMetadata,
} from "./queues.js";

const queueName = { name: "queue_name", description: "The queue's name.", required: true } as const;
const messageNumber = {
  name: "limit",
  description: "How many messages to read (1-32).",
  defaultValue: "1",
} as const;
const messageOutputs = [
  { path: "AzureStorageQueue.Queue.name", type: "string", description: "The queue's name." },
  { path: "AzureStorageQueue.Queue.Message.MessageId", type: "string", description: "The message's ID." },
  { path: "AzureStorageQueue.Queue.Message.MessageText", type: "string", description: "Its text." },
  { path: "AzureStorageQueue.Queue.Message.InsertionTime", type: "date", description: "When it was added." },
  { path: "AzureStorageQueue.Queue.Message.ExpirationTime", type: "date", description: "When it expires." },
  {
    path: "AzureStorageQueue.Queue.Message.DequeueCount",
    type: "number",
    description: "How many times it was read.",
  },
] as const;

/**
 * Azure Storage Queue: queues of a storage account's Queue service.
 * Command and argument names are XSOAR's, from demisto/content
 * Packs/AzureStorageQueue/Integrations/AzureStorageQueue/AzureStorageQueue.yml (data/xsoar/azure-storage-queue.json).
 */
export default defineIntegration({
  id: "azure-storage-queue",
  version: packageJson.version,
  displayName: "Azure Storage Queue",
  commandPrefix: "azure-storage-queue",
  description:
    "Lists, creates and deletes queues, sets their metadata, and adds, reads and clears their messages.",
  flows: {
    xsoarApp: false,
    clientCredentials: false,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: storage("queue"),
  permissions: { application: ["Storage Queue Data Contributor (Azure RBAC role of the managed identity)"] },
  commands: {
    "azure-storage-queue-list": {
      description: "Lists the storage account's queues.",
      arguments: [
        { name: "prefix", description: "Only names that start with this." },
        { name: "limit", description: "How many to list, at most (1-5000).", defaultValue: "50" },
        {
          name: "page",
          description: "The page to return, from 1 (pages of limit queues).",
          defaultValue: "1",
        },
      ],
      outputs: [{ path: "AzureStorageQueue.Queue.name", type: "string", description: "The queue's name." }],
      // learn.microsoft.com/rest/api/storageservices/list-queues1 ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Queue Data Reader", "Storage Queue Data Contributor"] },
      run: listQueues,
    },
    "azure-storage-queue-message-create": {
      description: "Adds a message to a queue.",
      arguments: [
        queueName,
        { name: "message_content", description: "The message's text.", required: true },
        {
          name: "base64_encoding",
          description: "Send the text base64-encoded (what most queue readers expect).",
          predefined: ["False", "True"],
          defaultValue: "False",
        },
        {
          name: "visibility_time_out",
          description: "Seconds before the message becomes visible (0-604800).",
        },
        { name: "expiration", description: "Seconds the message lives (1-604800; default 7 days)." },
      ],
      outputs: [...messageOutputs],
      // learn.microsoft.com/rest/api/storageservices/put-message ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Queue Data Message Sender", "Storage Queue Data Contributor"] },
      run: createMessage,
    },
    "azure-storage-queue-message-peek": {
      description: "Reads messages from the front of a queue without hiding them from other readers.",
      arguments: [queueName, messageNumber],
      outputs: [...messageOutputs],
      // learn.microsoft.com/rest/api/storageservices/peek-messages ("Authorization"); least privileged role first.
      permissions: {
        rbac: [
          "Storage Queue Data Reader",
          "Storage Queue Data Message Processor",
          "Storage Queue Data Contributor",
        ],
      },
      run: peekMessages,
    },
    "azure-storage-queue-message-get": {
      description:
        "Reads messages from the front of a queue and hides them from other readers for visibility_time_out seconds.",
      arguments: [
        queueName,
        messageNumber,
        {
          name: "visibility_time_out",
          description: "Seconds the messages stay hidden (1-604800, default 30).",
        },
      ],
      outputs: [
        ...messageOutputs,
        {
          path: "AzureStorageQueue.Queue.Message.PopReceipt",
          type: "string",
          description: "The receipt that deletes or updates the message.",
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/get-messages ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Queue Data Message Processor", "Storage Queue Data Contributor"] },
      run: getMessages,
    },
    "azure-storage-queue-create": {
      description: "Creates a queue.",
      arguments: [
        queueName,
        {
          name: "metadata",
          description: 'msint only: metadata as a JSON object, e.g. {"owner":"soc"}.',
        },
      ],
      outputs: [{ path: "AzureStorageQueue.Queue.name", type: "string", description: "The queue's name." }],
      // learn.microsoft.com/rest/api/storageservices/create-queue4 ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Queue Data Contributor"] },
      run: createQueue,
    },
    "azure-storage-queue-delete": {
      description: "Deletes a queue and its messages.",
      arguments: [queueName],
      // learn.microsoft.com/rest/api/storageservices/delete-queue3 ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Queue Data Contributor"] },
      run: deleteQueue,
    },
    "azure-storage-queue-metadata-set": {
      description: "msint only: replaces a queue's metadata.",
      arguments: [
        queueName,
        { name: "metadata", description: 'Metadata as a JSON object, e.g. {"owner":"soc"}.', required: true },
      ],
      // learn.microsoft.com/rest/api/storageservices/set-queue-metadata ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Queue Data Contributor"] },
      run: setQueueMetadata,
    },
    "azure-storage-queue-message-clear": {
      description: "Deletes every message of a queue.",
      arguments: [queueName],
      // learn.microsoft.com/rest/api/storageservices/clear-messages ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Queue Data Contributor"] },
      run: clearMessages,
    },
    "azure-storage-queue-message-delete": {
      description: "Deletes a message that message-get read, with its pop receipt.",
      arguments: [
        queueName,
        { name: "message_id", description: "The message's ID.", required: true },
        { name: "pop_receipt", description: "The pop receipt message-get returned.", required: true },
      ],
      // learn.microsoft.com/rest/api/storageservices/delete-message2 ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Queue Data Message Processor", "Storage Queue Data Contributor"] },
      run: deleteMessage,
    },
    "azure-storage-queue-message-dequeue": {
      description: "Reads the message at the front of a queue and deletes it.",
      arguments: [queueName],
      // Get Messages, then Delete Message (learn.microsoft.com/rest/api/storageservices/get-messages,
      // …/delete-message2): both are Storage Queue Data Message Processor's.
      permissions: { rbac: ["Storage Queue Data Message Processor", "Storage Queue Data Contributor"] },
      run: dequeueMessage,
    },
  },
});
