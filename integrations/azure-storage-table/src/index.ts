import { defineIntegration, storage } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  createTable,
  deleteEntity,
  deleteTable,
  insertEntity,
  mergeEntity,
  queryEntities,
  queryTables,
  replaceEntity,
} from "./tables.js";

const tableArgument = { name: "table_name", description: "The name of the table.", required: true } as const;
const page = {
  name: "page",
  description: "The page to return, from 1 (pages of limit entries; page × limit at most 1000).",
  defaultValue: "1",
} as const;
const entityKeys = [
  { name: "partition_key", description: "The entity's PartitionKey.", required: true },
  { name: "row_key", description: "The entity's RowKey.", required: true },
] as const;

/**
 * Azure Storage Table: tables and entities of a storage account's Table service.
 * Command and argument names are XSOAR's, from demisto/content
 * Packs/AzureStorageTable/Integrations/AzureStorageTable/AzureStorageTable.yml (data/xsoar/azure-storage-table.json).
 */
export default defineIntegration({
  id: "azure-storage-table",
  version: packageJson.version,
  displayName: "Azure Storage Table",
  commandPrefix: "azure-storage-table",
  description: "Creates, queries and deletes tables and entities of an Azure Storage account.",
  flows: {
    xsoarApp: false,
    clientCredentials: false,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: storage("table"),
  permissions: {
    application: ["Storage Table Data Contributor (Azure RBAC role of the managed identity)"],
  },
  commands: {
    "azure-storage-table-create": {
      description: "Creates a table.",
      arguments: [tableArgument],
      outputs: [{ path: "AzureStorageTable.Table.name", type: "string", description: "The table's name." }],
      // learn.microsoft.com/rest/api/storageservices/create-table ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Table Data Contributor"] },
      run: createTable,
    },
    "azure-storage-table-delete": {
      description: "Deletes a table and all its entities.",
      arguments: [tableArgument],
      // learn.microsoft.com/rest/api/storageservices/delete-table ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Table Data Contributor"] },
      run: deleteTable,
    },
    "azure-storage-table-query": {
      description: "Lists the tables of the account.",
      arguments: [
        { name: "filter", description: "An OData $filter on TableName, e.g. TableName ge 'a'." },
        { name: "limit", description: "The most tables to return (1-1000).", defaultValue: "50" },
        page,
      ],
      outputs: [{ path: "AzureStorageTable.Table.name", type: "string", description: "The table's name." }],
      // learn.microsoft.com/rest/api/storageservices/query-tables ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Table Data Reader", "Storage Table Data Contributor"] },
      run: queryTables,
    },
    "azure-storage-table-entity-insert": {
      description: "Inserts an entity into a table.",
      arguments: [
        tableArgument,
        { name: "partition_key", description: "The entity's PartitionKey.", required: true },
        { name: "row_key", description: "The entity's RowKey.", required: true },
        {
          name: "entity_fields",
          description: 'More properties as a JSON object, e.g. {"Address":"Mountain View"}.',
        },
      ],
      outputs: [
        { path: "AzureStorageTable.Table.name", type: "string", description: "The table's name." },
        { path: "AzureStorageTable.Table.Entity", type: "unknown", description: "The inserted entity." },
      ],
      // learn.microsoft.com/rest/api/storageservices/insert-entity ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Table Data Contributor"] },
      run: insertEntity,
    },
    "azure-storage-table-entity-query": {
      description: "Queries the entities of a table.",
      arguments: [
        tableArgument,
        { name: "partition_key", description: "Only entities of this PartitionKey." },
        { name: "row_key", description: "With partition_key: only the entity with this RowKey." },
        { name: "filter", description: "An OData $filter, e.g. PartitionKey eq 'alerts'." },
        { name: "select", description: "Comma-separated properties to return." },
        { name: "limit", description: "The most entities to return (1-1000).", defaultValue: "50" },
        page,
      ],
      outputs: [
        { path: "AzureStorageTable.Table.name", type: "string", description: "The table's name." },
        { path: "AzureStorageTable.Table.Entity", type: "unknown", description: "The entities found." },
      ],
      // learn.microsoft.com/rest/api/storageservices/query-entities ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Table Data Reader", "Storage Table Data Contributor"] },
      run: queryEntities,
    },
    "azure-storage-table-entity-delete": {
      description: "Deletes one entity.",
      arguments: [
        tableArgument,
        { name: "partition_key", description: "The entity's PartitionKey.", required: true },
        { name: "row_key", description: "The entity's RowKey.", required: true },
      ],
      // learn.microsoft.com/rest/api/storageservices/delete-entity1 ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Table Data Contributor"] },
      run: deleteEntity,
    },
    "azure-storage-table-entity-update": {
      description: "Updates an entity: merges the given properties into it (Merge Entity).",
      arguments: [
        tableArgument,
        ...entityKeys,
        {
          name: "entity_fields",
          description: 'The properties to set, as a JSON object, e.g. {"Address":"Mountain View"}.',
          required: true,
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/merge-entity ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Table Data Contributor"] },
      run: mergeEntity,
    },
    "azure-storage-table-entity-replace": {
      description: "Replaces an entity: its properties become the given ones (Update Entity).",
      arguments: [
        tableArgument,
        ...entityKeys,
        {
          name: "entity_fields",
          description: 'The entity\'s properties, as a JSON object, e.g. {"Address":"Mountain View"}.',
          required: true,
        },
      ],
      // learn.microsoft.com/rest/api/storageservices/update-entity2 ("Authorization"); least privileged role first.
      permissions: { rbac: ["Storage Table Data Contributor"] },
      run: replaceEntity,
    },
  },
  async test({ api }) {
    await api.request({
      expect: "collection",
      path: "/Tables",
      query: { $top: 1 },
      headers: { accept: "application/json;odata=nometadata" },
    });
  },
});
