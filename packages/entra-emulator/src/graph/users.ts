import { compilePattern, protectedRoute, type ResourceRoute } from "../routes.js";
import { isAppOnly } from "../tokens.js";
import type { RouteContext, RouteResponse, SeedUser } from "../types.js";
import {
  compileFilter,
  decodeSkipToken,
  encodeSkipToken,
  type FilterCapabilities,
  ODataError,
  parseFilter,
  parseSelect,
  parseTop,
} from "./odata.js";

/** Properties Graph v1.0 returns for a user when there is no `$select`. */
const DEFAULT_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
] as const;

const USER: FilterCapabilities = {
  properties: [...DEFAULT_PROPERTIES, "accountEnabled", "department"],
  equality: new Set([
    "id",
    "userPrincipalName",
    "displayName",
    "givenName",
    "surname",
    "mail",
    "jobTitle",
    "department",
    "accountEnabled",
    "officeLocation",
    "mobilePhone",
    "preferredLanguage",
  ]),
  startsWith: new Set([
    "displayName",
    "givenName",
    "surname",
    "mail",
    "userPrincipalName",
    "jobTitle",
    "department",
  ]),
  typeName: "microsoft.graph.user",
  resourceName: "User",
};

const DEFAULT_PAGE_SIZE = 100;

/** Application permissions that allow reading users. */
const READ_ROLES = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
/** Delegated permissions that allow reading other users. */
const READ_SCOPES = [
  "User.Read.All",
  "User.ReadBasic.All",
  "User.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
  "Directory.AccessAsUser.All",
];
/** Delegated permissions that allow reading the signed-in user. */
const ME_SCOPES = ["User.Read", "User.ReadWrite", ...READ_SCOPES];

/** A user as Graph represents it (never the password; absent properties are null). */
function graphUser(user: SeedUser): Record<string, unknown> {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    surname: user.surname ?? null,
    mail: user.mail ?? null,
    jobTitle: user.jobTitle ?? null,
    department: user.department ?? null,
    officeLocation: user.officeLocation ?? null,
    mobilePhone: user.mobilePhone ?? null,
    businessPhones: user.businessPhones ?? [],
    preferredLanguage: user.preferredLanguage ?? null,
    accountEnabled: user.accountEnabled ?? true,
  };
}

function project(user: Record<string, unknown>, properties: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const property of properties) result[property] = user[property] ?? null;
  return result;
}

function metadata(context: RouteContext, select: readonly string[] | undefined, entity: boolean): string {
  const columns = select ? `(${select.join(",")})` : "";
  return `${context.origin}/v1.0/$metadata#users${columns}${entity ? "/$entity" : ""}`;
}

/** Graph encodes only what must be encoded in nextLink query values; `$` names stay readable. */
function queryString(parameters: Array<[string, string]>): string {
  return parameters
    .map(
      ([name, value]) => `${name}=${encodeURIComponent(value).replace(/%2C/gi, ",").replace(/%3A/gi, ":")}`,
    )
    .join("&");
}

function withODataErrors(
  handler: (context: RouteContext) => RouteResponse,
): (context: RouteContext) => RouteResponse {
  return (context) => {
    try {
      return handler(context);
    } catch (error) {
      if (error instanceof ODataError) return context.error(error.status, error.code, error.message);
      throw error;
    }
  };
}

function parsedSelect(context: RouteContext): string[] | undefined {
  const select = context.query["$select"];
  return select === undefined ? undefined : parseSelect(select, USER);
}

const listUsers = withODataErrors((context) => {
  const select = parsedSelect(context);
  const top = parseTop(context.query["$top"], DEFAULT_PAGE_SIZE);
  const filterText = context.query["$filter"];
  const predicate = filterText === undefined ? () => true : compileFilter(parseFilter(filterText), USER);
  let users = (context.tenant?.users ?? []).map(graphUser).filter(predicate);
  const orderBy = context.query["$orderby"];
  if (orderBy !== undefined) {
    const match = /^\s*(displayName|userPrincipalName)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
    if (!match)
      throw new ODataError(
        "Request_UnsupportedQuery",
        `Unsupported sort property '${orderBy.trim()}' for '${USER.resourceName}'.`,
      );
    const property = match[1]!.toLowerCase() === "displayname" ? "displayName" : "userPrincipalName";
    const direction = match[2]?.toLowerCase() === "desc" ? -1 : 1;
    users = [...users].sort((a, b) => direction * String(a[property]).localeCompare(String(b[property])));
  }
  const skipToken = context.query["$skiptoken"];
  const offset = skipToken === undefined ? 0 : decodeSkipToken(skipToken);
  const page = users.slice(offset, offset + top);
  const body: Record<string, unknown> = { "@odata.context": metadata(context, select, false) };
  if (offset + top < users.length) {
    const next: Array<[string, string]> = [];
    for (const name of ["$select", "$filter", "$orderby", "$top"]) {
      const value = context.query[name];
      if (value !== undefined) next.push([name, value]);
    }
    next.push(["$skiptoken", encodeSkipToken(offset + top)]);
    body["@odata.nextLink"] = `${context.origin}/v1.0/users?${queryString(next)}`;
  }
  body["value"] = page.map((user) => project(user, select ?? DEFAULT_PROPERTIES));
  return context.json(200, body);
});

function notFound(context: RouteContext, id: string): RouteResponse {
  return context.error(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function single(context: RouteContext, user: SeedUser): RouteResponse {
  const select = parsedSelect(context);
  return context.json(200, {
    "@odata.context": metadata(context, select, true),
    ...project(graphUser(user), select ?? DEFAULT_PROPERTIES),
  });
}

const getUser = withODataErrors((context) => {
  const key = context.params["id"]!;
  const wanted = key.toLowerCase();
  const user = (context.tenant?.users ?? []).find(
    (candidate) =>
      candidate.id.toLowerCase() === wanted || candidate.userPrincipalName.toLowerCase() === wanted,
  );
  return user ? single(context, user) : notFound(context, key);
});

const getMe = withODataErrors((context) => {
  if (isAppOnly(context.claims)) {
    return context.error(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
  }
  const scopes = new Set((context.claims.scp ?? "").toLowerCase().split(" "));
  if (!ME_SCOPES.some((scope) => scopes.has(scope.toLowerCase()))) {
    return context.error(
      403,
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
    );
  }
  const user = (context.tenant?.users ?? []).find(
    (candidate) => candidate.id.toLowerCase() === context.claims.oid.toLowerCase(),
  );
  return user ? single(context, user) : notFound(context, context.claims.oid);
});

/** The built-in Microsoft Graph user doubles. */
export function graphUserRoutes(): ResourceRoute[] {
  const route = (pattern: string, handler: ResourceRoute["handler"]): ResourceRoute => ({
    method: "GET",
    pattern: compilePattern(pattern),
    resourceKey: "graph",
    handler,
  });
  return [
    route(
      "/v1.0/users",
      protectedRoute({ resource: "graph", roles: READ_ROLES, scopes: READ_SCOPES }, listUsers),
    ),
    route(
      "/v1.0/users/:id",
      protectedRoute({ resource: "graph", roles: READ_ROLES, scopes: READ_SCOPES }, getUser),
    ),
    route("/v1.0/me", protectedRoute({ resource: "graph" }, getMe)),
  ];
}
