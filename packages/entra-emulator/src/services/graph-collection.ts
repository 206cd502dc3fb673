import {
  decodeSkipToken,
  encodeSkipToken,
  type FilterNode,
  ODataError,
  parseFilter,
} from "../graph/odata.js";
import type { RouteContext, RouteResponse } from "../types.js";

/** An entity of a Graph collection: its properties as Graph returns them. */
export type GraphEntity = Record<string, unknown> & { id: string };

/** How one Graph collection answers `$filter`, `$orderby`, `$top` and `$select`. */
export interface CollectionOptions {
  /** OData type for messages and `isof`, e.g. `microsoft.graph.group`. */
  typeName: string;
  /** The `@odata.context` entity set, e.g. `groups` or `security/alerts_v2`. */
  entitySet: string;
  /** Page size without `$top`. */
  defaultTop: number;
  /** The largest `$top` the API accepts. */
  maxTop: number;
  /** Properties Graph refuses in `$filter` (otherwise every property of the entities is filterable). */
  unfilterable?: readonly string[];
}

type Literal = string | number | boolean | null;

/** Date-time literals (unquoted in OData, e.g. `gt 2024-01-01T00:00:00Z`) quoted so that the parser reads them. */
function quoteDateTimes(filter: string): string {
  return filter.replace(
    /(\s(?:eq|ne|gt|ge|lt|le)\s+)(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)/gi,
    "$1'$2'",
  );
}

function compare(actual: unknown, expected: Literal): number | undefined {
  if (actual === undefined || actual === null || expected === null) return undefined;
  if (typeof actual === "number" && typeof expected === "number") return actual - expected;
  if (typeof actual === "string" && typeof expected === "string") {
    const left = Date.parse(actual);
    const right = Date.parse(expected);
    if (/^\d{4}-\d{2}-\d{2}/.test(expected) && !Number.isNaN(left) && !Number.isNaN(right))
      return left - right;
    return actual.toLowerCase().localeCompare(expected.toLowerCase());
  }
  return undefined;
}

function equals(actual: unknown, expected: Literal): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (typeof actual === "string" && typeof expected === "string")
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

function propertyOf(name: string, sample: readonly GraphEntity[], options: CollectionOptions): string {
  const known = new Set(sample.flatMap((entity) => Object.keys(entity)));
  const found = [...known].find((property) => property.toLowerCase() === name.toLowerCase());
  if (!found)
    throw new ODataError(
      "BadRequest",
      `Could not find a property named '${name}' on type '${options.typeName}'.`,
    );
  if (options.unfilterable?.includes(found)) {
    throw new ODataError(
      "BadRequest",
      `Invalid filter clause: The property '${found}' does not support filtering.`,
    );
  }
  return found;
}

function compile(
  node: FilterNode,
  sample: readonly GraphEntity[],
  options: CollectionOptions,
): (entity: GraphEntity) => boolean {
  switch (node.kind) {
    case "and":
    case "or": {
      const left = compile(node.left, sample, options);
      const right = compile(node.right, sample, options);
      return node.kind === "and" ? (e) => left(e) && right(e) : (e) => left(e) || right(e);
    }
    case "not": {
      const operand = compile(node.operand, sample, options);
      return (entity) => !operand(entity);
    }
    case "startswith": {
      const property = propertyOf(node.property, sample, options);
      const prefix = node.value.toLowerCase();
      return (entity) =>
        String(entity[property] ?? "")
          .toLowerCase()
          .startsWith(prefix);
    }
    case "in": {
      const property = propertyOf(node.property, sample, options);
      return (entity) => node.values.some((value) => equals(entity[property], value));
    }
    case "compare": {
      const property = propertyOf(node.property, sample, options);
      const { op, value } = node;
      if (op === "eq" || op === "ne") return (entity) => equals(entity[property], value) !== (op === "ne");
      return (entity) => {
        const order = compare(entity[property], value);
        if (order === undefined) return false;
        return op === "gt" ? order > 0 : op === "ge" ? order >= 0 : op === "lt" ? order < 0 : order <= 0;
      };
    }
  }
}

/** A `$filter` predicate; `isof('microsoft.graph.x')` (derived types) is answered from `@odata.type`. */
export function filterOf(
  text: string | undefined,
  sample: readonly GraphEntity[],
  options: CollectionOptions,
): (entity: GraphEntity) => boolean {
  if (text === undefined || text.trim() === "") return () => true;
  const isOf = /^\s*isof\(\s*'([A-Za-z0-9.]+)'\s*\)\s*$/i.exec(text);
  if (isOf) {
    const type = `#${isOf[1]!.toLowerCase()}`;
    return (entity) => String(entity["@odata.type"] ?? "").toLowerCase() === type;
  }
  return compile(parseFilter(quoteDateTimes(text)), sample, options);
}

function parseTop(text: string | undefined, options: CollectionOptions): number {
  if (text === undefined) return options.defaultTop;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > options.maxTop) {
    throw new ODataError(
      "BadRequest",
      `Invalid page size specified: '${text}'. Must be between 1 and ${options.maxTop} inclusive.`,
    );
  }
  return value;
}

function sortBy(
  entities: GraphEntity[],
  text: string | undefined,
  sample: readonly GraphEntity[],
  options: CollectionOptions,
) {
  if (text === undefined) return entities;
  const match = /^\s*([A-Za-z0-9_]+)(?:\s+(asc|desc))?\s*$/i.exec(text);
  if (!match) throw new ODataError("BadRequest", `Invalid $orderby expression '${text}'.`);
  const property = propertyOf(match[1]!, sample, options);
  const direction = match[2]?.toLowerCase() === "desc" ? -1 : 1;
  return [...entities].sort((a, b) => direction * (compare(a[property], b[property] as Literal) ?? 0));
}

/** `$select`: the listed properties (and `id`, `@odata.type`), in the order asked. */
export function project(entity: GraphEntity, select: string | undefined): Record<string, unknown> {
  if (select === undefined || select.trim() === "") return entity;
  const names = select
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const result: Record<string, unknown> = {};
  if (entity["@odata.type"] !== undefined) result["@odata.type"] = entity["@odata.type"];
  for (const name of names) {
    const key = Object.keys(entity).find((property) => property.toLowerCase() === name.toLowerCase());
    result[key ?? name] = key === undefined ? null : entity[key];
  }
  return result;
}

/** The origin Graph writes in links: the host the client addressed (through a proxy or a forwarding harness). */
export function graphOrigin(context: RouteContext): string {
  const forwarded = context.headers["x-forwarded-host"];
  if (forwarded && /^[A-Za-z0-9.-]+(:\d+)?$/.test(forwarded) && /graph|microsoft/i.test(forwarded))
    return `https://${forwarded}`;
  return context.origin;
}

/** Answers a Graph query-option error in Graph's shape, or rethrows. */
export function odataErrors(context: RouteContext, run: () => RouteResponse): RouteResponse {
  try {
    return run();
  } catch (error) {
    if (error instanceof ODataError) return context.error(error.status, error.code, error.message);
    throw error;
  }
}

/** A Graph collection page: filtered, ordered, one `$top` page with `@odata.nextLink` (`$skiptoken`). */
export function listCollection(
  context: RouteContext,
  entities: readonly GraphEntity[],
  options: CollectionOptions,
): RouteResponse {
  return odataErrors(context, () => {
    const version = context.path.split("/")[1] ?? "v1.0";
    const predicate = filterOf(context.query["$filter"], entities, options);
    const matching = sortBy(entities.filter(predicate), context.query["$orderby"], entities, options);
    const top = parseTop(context.query["$top"], options);
    const skipToken = context.query["$skiptoken"];
    const offset = skipToken === undefined ? 0 : decodeSkipToken(skipToken);
    const origin = graphOrigin(context);
    const body: Record<string, unknown> = {
      "@odata.context": `${origin}/${version}/$metadata#${options.entitySet}`,
    };
    if (offset + top < matching.length) {
      const next = new URLSearchParams();
      for (const name of ["$select", "$filter", "$orderby", "$top"]) {
        const value = context.query[name];
        if (value !== undefined) next.set(name, value);
      }
      next.set("$skiptoken", encodeSkipToken(offset + top));
      body["@odata.nextLink"] = `${origin}${context.path}?${next.toString()}`;
    }
    body["value"] = matching
      .slice(offset, offset + top)
      .map((entity) => project(entity, context.query["$select"]));
    return context.json(200, body);
  });
}

/** One entity with its `@odata.context`, or Graph's 404. */
export function getEntity(
  context: RouteContext,
  entity: GraphEntity | undefined,
  entitySet: string,
  id: string,
  notFoundCode = "Request_ResourceNotFound",
): RouteResponse {
  if (!entity) return notFound(context, id, notFoundCode);
  const version = context.path.split("/")[1] ?? "v1.0";
  return context.json(200, {
    "@odata.context": `${graphOrigin(context)}/${version}/$metadata#${entitySet}/$entity`,
    ...project(entity, context.query["$select"]),
  });
}

/** Graph's answer for an ID that names nothing. */
export function notFound(
  context: RouteContext,
  id: string,
  code = "Request_ResourceNotFound",
): RouteResponse {
  return context.error(
    404,
    code,
    code === "Request_ResourceNotFound"
      ? `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`
      : `No entity with the key '${id}' was found.`,
  );
}

/** The object ID at the end of a `$ref` body's `@odata.id` (…/directoryObjects/{id}), or undefined. */
export function referencedId(body: unknown): string | undefined {
  const link = (body as { "@odata.id"?: unknown } | undefined)?.["@odata.id"];
  if (typeof link !== "string") return undefined;
  const match = /\/(?:directoryObjects|users|groups|servicePrincipals)\/([^/?#]+)\/?$/i.exec(link);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
