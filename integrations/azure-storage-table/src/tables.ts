import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";

// The Table service answers JSON in this form; without it, it would add OData metadata to every entity.
const JSON_HEADERS = { accept: "application/json;odata=nometadata", dataserviceversion: "3.0" };

type Entity = Record<string, unknown>;

function limitOf(context: CommandContext): number {
  const limit = Number(context.args["limit"] ?? "50");
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError(`limit must be a whole number from 1 to 1000 (got "${context.args["limit"]}").`);
  }
  return limit;
}

/** XSOAR's page (from 1) of limit entries: the $top to ask for (at most 1000) and where the page starts. */
function pageWindow(context: CommandContext): { top: number; skip: number } {
  const limit = limitOf(context);
  const page = Number(context.args["page"] ?? "1");
  if (!Number.isInteger(page) || page < 1 || page * limit > 1000) {
    throw new UsageError(
      `page must be a whole number from 1, with page × limit at most 1000 (got page "${context.args["page"]}").`,
    );
  }
  return { top: page * limit, skip: (page - 1) * limit };
}

function tableName(context: CommandContext<{ table_name: string }>): string {
  const name = context.args["table_name"];
  // Table names: 3-63 alphanumeric characters, not starting with a digit.
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) {
    throw new UsageError(
      `table_name "${name}" is not a table name: use 3-63 letters and digits, starting with a letter.`,
    );
  }
  return name;
}

/** An OData key literal: single quotes doubled, then URL-encoded (the path keeps the quotes). */
function keyLiteral(value: string): string {
  return `'${encodeURIComponent(value.replace(/'/g, "''"))}'`;
}

function entityRows(entities: Entity[]): Record<string, unknown>[] {
  return entities.map(({ PartitionKey, RowKey, Timestamp, ...rest }) => ({
    PartitionKey,
    RowKey,
    Timestamp,
    ...rest,
  }));
}

/** `azure-storage-table-create`: POST /Tables. */
export async function createTable(context: CommandContext<{ table_name: string }>): Promise<CommandResult> {
  const name = tableName(context);
  const created = await context.api.request<{ TableName?: string }>({
    expect: "object",
    method: "POST",
    path: "/Tables",
    body: { TableName: name },
    headers: { ...JSON_HEADERS, prefer: "return-content" },
  });
  const entry = { name: created?.TableName ?? name };
  return {
    readable: tableToMarkdown("Table Create", [{ "Table Name": entry.name }]),
    outputsPrefix: "AzureStorageTable.Table",
    outputsKeyField: "name",
    outputs: entry,
    raw: created,
  };
}

/** `azure-storage-table-delete`: DELETE /Tables('{name}'). */
export async function deleteTable(context: CommandContext<{ table_name: string }>): Promise<CommandResult> {
  const name = tableName(context);
  await context.api.request({
    method: "DELETE",
    path: `/Tables(${keyLiteral(name)})`,
    headers: JSON_HEADERS,
  });
  return { readable: `Table ${name} successfully deleted.` };
}

/** `azure-storage-table-query`: GET /Tables. */
export async function queryTables(context: CommandContext): Promise<CommandResult> {
  const window = pageWindow(context);
  const page = await context.api.request<{ value?: Array<{ TableName?: string }> }>({
    expect: "collection",
    path: "/Tables",
    query: { $filter: context.args["filter"], $top: window.top },
    headers: JSON_HEADERS,
  });
  const tables = (page?.value ?? []).slice(window.skip).map((table) => ({ name: table.TableName }));
  return {
    readable: tableToMarkdown(
      "Tables List",
      tables.map((table) => ({ "Table Name": table.name })),
    ),
    outputsPrefix: "AzureStorageTable.Table",
    outputsKeyField: "name",
    outputs: tables,
    raw: page,
  };
}

function parseFields(text: string | undefined): Entity {
  if (!text) return {};
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch {
    throw new UsageError('entity_fields must be a JSON object, e.g. {"Address":"Mountain View"}.');
  }
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) {
    throw new UsageError('entity_fields must be a JSON object, e.g. {"Address":"Mountain View"}.');
  }
  return fields as Entity;
}

/** `azure-storage-table-entity-insert`: POST /{table}. */
export async function insertEntity(context: CommandContext<{ table_name: string }>): Promise<CommandResult> {
  const name = tableName(context);
  const entity: Entity = {
    ...parseFields(context.args["entity_fields"]),
    PartitionKey: context.args["partition_key"],
    RowKey: context.args["row_key"],
  };
  const inserted = await context.api.request<Entity>({
    expect: "object",
    method: "POST",
    path: `/${name}`,
    body: entity,
    headers: { ...JSON_HEADERS, prefer: "return-content" },
  });
  const result = inserted ?? entity;
  return {
    readable: tableToMarkdown(`Entity Inserted to ${name}`, entityRows([result])),
    outputsPrefix: "AzureStorageTable.Table",
    outputsKeyField: "name",
    outputs: { name, Entity: [result] },
    raw: inserted,
  };
}

/** `azure-storage-table-entity-query`: GET /{table}()?$filter&$select&$top. */
export async function queryEntities(context: CommandContext<{ table_name: string }>): Promise<CommandResult> {
  const name = tableName(context);
  const select = context.args["select"]
    ?.split(",")
    .map((field) => field.trim())
    .filter(Boolean)
    .join(",");
  const partitionKey = context.args["partition_key"];
  const rowKey = context.args["row_key"];
  if (rowKey && !partitionKey) throw new UsageError("row_key needs partition_key.");
  if (partitionKey && rowKey) {
    // Query Entities with both keys addresses one entity: GET /{table}(PartitionKey='…',RowKey='…').
    const entity = await context.api.request<Entity>({
      expect: "object",
      path: `/${name}(PartitionKey=${keyLiteral(partitionKey)},RowKey=${keyLiteral(rowKey)})`,
      query: { $select: select },
      headers: JSON_HEADERS,
    });
    const entities = entity ? [entity] : [];
    return {
      readable: tableToMarkdown(`Entities of table ${name}`, entityRows(entities)),
      outputsPrefix: "AzureStorageTable.Table",
      outputsKeyField: "name",
      outputs: { name, Entity: entities },
      raw: entity,
    };
  }
  const byPartition = partitionKey ? `PartitionKey eq '${partitionKey.replace(/'/g, "''")}'` : undefined;
  const filter = [byPartition, context.args["filter"]].filter(Boolean).map((clause) => `(${clause})`);
  const window = pageWindow(context);
  const page = await context.api.request<{ value?: Entity[] }>({
    expect: "collection",
    path: `/${name}()`,
    query: {
      $filter: filter.length > 1 ? filter.join(" and ") : (byPartition ?? context.args["filter"]),
      $select: select,
      $top: window.top,
    },
    headers: JSON_HEADERS,
  });
  const entities = (page?.value ?? []).slice(window.skip);
  return {
    readable: tableToMarkdown(`Entities of table ${name}`, entityRows(entities)),
    outputsPrefix: "AzureStorageTable.Table",
    outputsKeyField: "name",
    outputs: { name, Entity: entities },
    raw: page,
  };
}

/** `azure-storage-table-entity-delete`: DELETE /{table}(PartitionKey='…',RowKey='…') with If-Match: *. */
export async function deleteEntity(
  context: CommandContext<{ partition_key: string; row_key: string; table_name: string }>,
): Promise<CommandResult> {
  const name = tableName(context);
  const partitionKey = context.args["partition_key"];
  const rowKey = context.args["row_key"];
  await context.api.request({
    method: "DELETE",
    path: `/${name}(PartitionKey=${keyLiteral(partitionKey)},RowKey=${keyLiteral(rowKey)})`,
    headers: { ...JSON_HEADERS, "if-match": "*" },
  });
  return { readable: `Entity in ${name} table successfully deleted.` };
}

async function writeEntity(
  context: CommandContext<{
    partition_key: string;
    row_key: string;
    table_name: string;
    entity_fields: string;
  }>,
  method: "PATCH" | "PUT",
): Promise<string> {
  const name = tableName(context);
  const partitionKey = context.args["partition_key"];
  const rowKey = context.args["row_key"];
  await context.api.request({
    method,
    path: `/${name}(PartitionKey=${keyLiteral(partitionKey)},RowKey=${keyLiteral(rowKey)})`,
    body: { ...parseFields(context.args["entity_fields"]), PartitionKey: partitionKey, RowKey: rowKey },
    headers: { ...JSON_HEADERS, "if-match": "*" },
  });
  return name;
}

/**
 * `azure-storage-table-entity-update`: Merge Entity, the given properties merged into the entity. The REST
 * reference's verb is MERGE; the service takes it as PATCH too, which is what the Azure SDKs send.
 */
export async function mergeEntity(
  context: CommandContext<{
    partition_key: string;
    row_key: string;
    table_name: string;
    entity_fields: string;
  }>,
): Promise<CommandResult> {
  const name = await writeEntity(context, "PATCH");
  return { readable: `Entity in ${name} table successfully updated.` };
}

/** `azure-storage-table-entity-replace`: Update Entity, PUT /{table}(PartitionKey='…',RowKey='…'). */
export async function replaceEntity(
  context: CommandContext<{
    partition_key: string;
    row_key: string;
    table_name: string;
    entity_fields: string;
  }>,
): Promise<CommandResult> {
  const name = await writeEntity(context, "PUT");
  return { readable: `Entity in ${name} table successfully replaced.` };
}
