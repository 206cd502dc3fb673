import { type FilterNode, ODataError, parseFilter } from "../graph/odata.js";
import { isAppOnly } from "../tokens.js";
import type { RouteContext, RouteHandler, RouteResponse, SeedUser } from "../types.js";
import type { ServiceRoute } from "./types.js";

// What the Microsoft 365 doubles of Graph (mail, calendar, files, Teams) share: permission checks answered the way
// each workload answers them, user lookup, OData paging and filters over plain objects.

/** The permissions of one Graph call, from the "Permissions" table of its API reference page. */
export interface GraphAccess {
  application: readonly string[];
  delegated: readonly string[];
}

/** How a workload answers a token without the permission: Outlook, Teams and SharePoint word it differently. */
export type Denial = (context: RouteContext, access: GraphAccess) => RouteResponse;

/** Exchange Online (mail, calendar): `ErrorAccessDenied`. */
export const outlookDenial: Denial = (context) =>
  context.error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");

/** Microsoft Teams names the permissions it wanted and those the token had. */
export const teamsDenial: Denial = (context, access) => {
  const appOnly = isAppOnly(context.claims);
  const wanted = (appOnly ? access.application : access.delegated).join(", ");
  const held = appOnly ? (context.claims.roles ?? []).join(",") : (context.claims.scp ?? "");
  return context.error(
    403,
    "Forbidden",
    appOnly
      ? `Missing role permissions on the request. API requires one of '${wanted}'. Roles on the request '${held}'.`
      : `Missing scope permissions on the request. API requires one of '${wanted}'. Scopes on the request '${held}'.`,
  );
};

/** SharePoint and OneDrive: `accessDenied`. */
export const filesDenial: Denial = (context) => context.error(403, "accessDenied", "Access denied");

/** Whether the caller's token carries one of the call's permissions (roles app-only, scopes for a user). */
export function permitted(context: RouteContext, access: GraphAccess): boolean {
  const appOnly = isAppOnly(context.claims);
  const held = appOnly ? (context.claims.roles ?? []) : (context.claims.scp ?? "").split(" ").filter(Boolean);
  const wanted = appOnly ? access.application : access.delegated;
  const set = new Set(held.map((name) => name.toLowerCase()));
  return wanted.some((name) => set.has(name.toLowerCase()));
}

/** A route whose permission check is the workload's own (so the 403 reads as that workload's does). */
export function route(
  method: string,
  path: string,
  access: GraphAccess,
  denial: Denial,
  handler: RouteHandler,
): ServiceRoute {
  return {
    method,
    path,
    handler: (context) => {
      if (!permitted(context, access)) return denial(context, access);
      try {
        return handler(context);
      } catch (error) {
        if (error instanceof ODataError) return context.error(error.status, error.code, error.message);
        throw error;
      }
    },
  };
}

/** Every route under both `/v1.0/users/{id}` and `/v1.0/me` (the signed-in user of a delegated token). */
export const MAILBOX_PREFIXES = ["/v1.0/users/:user", "/v1.0/me"] as const;

/**
 * The user a path names: `{id}` or `{userPrincipalName}` of `/users/{id}`, or the token's user for `/me`. An
 * ODataError (as Exchange answers) when there is none.
 */
export function addressedUser(context: RouteContext): SeedUser {
  const users = context.tenant?.users ?? [];
  const given = context.params["user"];
  if (given === undefined) {
    if (isAppOnly(context.claims)) {
      throw new ODataError("BadRequest", "/me request is only valid with delegated authentication flow.");
    }
    const me = users.find((user) => user.id === context.claims.oid);
    if (me) return me;
    throw new ODataError("ErrorInvalidUser", `The requested user '${context.claims.oid}' is invalid.`, 404);
  }
  const wanted = given.toLowerCase();
  const found = users.find(
    (user) => user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted,
  );
  if (!found) throw new ODataError("ErrorInvalidUser", `The requested user '${given}' is invalid.`, 404);
  return found;
}

const GRAPH_HOST =
  /^(graph\.microsoft\.(com|us)|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn)$/i;

/** The Graph root a client reached us by (the real host through a proxy or harness, else the emulator). */
export function graphRoot(context: RouteContext): string {
  const host = (context.headers["x-forwarded-host"] ?? context.headers["host"] ?? "").replace(/:\d+$/, "");
  return GRAPH_HOST.test(host) ? `https://${host.toLowerCase()}` : context.origin;
}

/** A value at an OData property path (`from/emailAddress/address`). */
function valueAt(entity: Record<string, unknown>, path: string): unknown {
  let current: unknown = entity;
  for (const name of path.split(/\/|__/)) {
    if (current === null || typeof current !== "object") return undefined;
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

function compare(actual: unknown, expected: unknown): number {
  if (typeof actual === "string" && typeof expected === "string") {
    const a = actual.toLowerCase();
    const b = expected.toLowerCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (actual === expected) return 0;
  if (actual === undefined || actual === null) return Number.NaN;
  return (actual as number) < (expected as number) ? -1 : 1;
}

function evaluate(node: FilterNode, entity: Record<string, unknown>): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, entity) && evaluate(node.right, entity);
    case "or":
      return evaluate(node.left, entity) || evaluate(node.right, entity);
    case "not":
      return !evaluate(node.operand, entity);
    case "in":
      return node.values.some((value) => compare(valueAt(entity, node.property), value) === 0);
    case "startswith": {
      const value = valueAt(entity, node.property);
      return typeof value === "string" && value.toLowerCase().startsWith(node.value.toLowerCase());
    }
    case "compare": {
      const order = compare(valueAt(entity, node.property), node.value);
      const ops = {
        eq: order === 0,
        ne: order !== 0,
        gt: order > 0,
        ge: order >= 0,
        lt: order < 0,
        le: order <= 0,
      };
      return ops[node.op];
    }
  }
}

/** Property paths of a filter, in the order they appear. */
function filterProperties(node: FilterNode): string[] {
  switch (node.kind) {
    case "and":
    case "or":
      return [...filterProperties(node.left), ...filterProperties(node.right)];
    case "not":
      return filterProperties(node.operand);
    default:
      return [node.property];
  }
}

/**
 * A `$filter` over plain objects: property paths (`from/emailAddress/address`) and unquoted DateTimeOffset literals
 * (`2024-05-01T00:00:00Z`) are accepted, as Exchange accepts them.
 */
export function parseObjectFilter(filter: string): FilterNode {
  // Outside string literals (odd pieces between quotes), `a/b` becomes `a__b` and bare dates get quotes.
  const rewritten = filter
    .split("'")
    .map((piece, index) =>
      index % 2 === 1
        ? piece
        : piece
            .replace(/([A-Za-z_][A-Za-z0-9_]*)\/(?=[A-Za-z_])/g, "$1__")
            .replace(/(^|[\s(,])(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)/g, "$1'$2'"),
    )
    .join("'");
  return parseFilter(rewritten);
}

/**
 * Applies `$filter` and `$orderby` as Exchange does for messages and events: a property sorted by must also be
 * restricted first in the filter (learn.microsoft.com/graph/api/user-list-messages, "Using filter and orderby in
 * the same query"), else 400 `InefficientFilter`.
 */
export function filterAndSort<T extends Record<string, unknown>>(
  items: readonly T[],
  query: Record<string, string>,
): T[] {
  let result = [...items];
  const orderby = (query["$orderby"] ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [property = "", direction = "asc"] = part.split(/\s+/);
      return { property, descending: direction.toLowerCase() === "desc" };
    });
  if (query["$filter"]) {
    const tree = parseObjectFilter(query["$filter"]);
    const referenced = filterProperties(tree).map((name) => name.toLowerCase());
    const leading = referenced.slice(0, orderby.length);
    if (
      orderby.some((order, index) => leading[index] !== order.property.toLowerCase().replace(/\//g, "__"))
    ) {
      throw new ODataError(
        "InefficientFilter",
        "The restriction or sort order is too complex for this operation.",
      );
    }
    result = result.filter((item) => evaluate(tree, item));
  }
  for (const order of [...orderby].reverse()) {
    result.sort((a, b) => {
      const difference = compare(valueAt(a, order.property), valueAt(b, order.property)) || 0;
      return order.descending ? -difference : difference;
    });
  }
  return result;
}

/** Keeps the `$select`ed properties (and `id`, which Graph always returns). */
export function selected<T extends Record<string, unknown>>(
  item: T,
  select: string | undefined,
): Record<string, unknown> {
  if (!select) return item;
  const names = select.split(",").map((name) => name.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(item).filter(
      ([key]) => key === "id" || key.startsWith("@odata") || names.includes(key.toLowerCase()),
    ),
  );
}

/** One page of a collection: `$top` (1..max), `$skip`, and an `@odata.nextLink` to the rest. */
export function page(
  context: RouteContext,
  items: readonly Record<string, unknown>[],
  options: { defaultTop: number; maxTop: number },
): RouteResponse {
  const rawTop = context.query["$top"];
  const top = rawTop === undefined ? options.defaultTop : Number(rawTop);
  if (!Number.isInteger(top) || top < 1 || top > options.maxTop) {
    return context.error(
      400,
      "BadRequest",
      `Invalid value '${rawTop}' for $top. Use 1 to ${options.maxTop}.`,
    );
  }
  const skip = Number(context.query["$skip"] ?? "0") || 0;
  const value = items.slice(skip, skip + top).map((item) => selected(item, context.query["$select"]));
  const body: Record<string, unknown> = {
    "@odata.context": `${graphRoot(context)}/v1.0/$metadata#${context.path.replace(/^\/v1\.0\//, "")}`,
    value,
  };
  if (skip + top < items.length) {
    const next = new URL(`${graphRoot(context)}${context.path}`);
    for (const [name, value] of Object.entries(context.query)) next.searchParams.set(name, value);
    next.searchParams.set("$top", String(top));
    next.searchParams.set("$skip", String(skip + top));
    body["@odata.nextLink"] = next.toString();
  }
  return context.json(200, body);
}

/** A Graph-style opaque ID: a prefix and a counter, base64-looking (`AAMkAGI2…`). */
export function opaqueId(prefix: string, seed: string): string {
  return `${prefix}${Buffer.from(seed).toString("base64url")}`;
}
