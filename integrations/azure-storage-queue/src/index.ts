import { defineIntegration, storage } from "@msint/integration-kit";
import { clearMessages, createQueue, deleteQueue, setQueueMetadata } from "./queues.js";

const queueName = { name: "queue_name", description: "The queue's name.", required: true } as const;

/** Azure Storage Queue: queues of a storage account's Queue service. */
export default defineIntegration({
  id: "azure-storage-queue",
  displayName: "Azure Storage Queue",
  commandPrefix: "azure-storage-queue",
  description: "Creates and deletes queues, sets their metadata and clears their messages.",
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
    "azure-storage-queue-create": {
      description: "Creates a queue.",
      arguments: [
        queueName,
        { name: "metadata", description: 'Metadata as a JSON object, e.g. {"owner":"soc"}.' },
      ],
      outputs: [{ path: "AzureStorageQueue.Queue.name", type: "string", description: "The queue's name." }],
      run: createQueue,
    },
    "azure-storage-queue-delete": {
      description: "Deletes a queue and its messages.",
      arguments: [queueName],
      run: deleteQueue,
    },
    "azure-storage-queue-metadata-set": {
      description: "Replaces a queue's metadata.",
      arguments: [
        queueName,
        { name: "metadata", description: 'Metadata as a JSON object, e.g. {"owner":"soc"}.', required: true },
      ],
      run: setQueueMetadata,
    },
    "azure-storage-queue-message-clear": {
      description: "Deletes every message of a queue.",
      arguments: [queueName],
      run: clearMessages,
    },
  },
});
