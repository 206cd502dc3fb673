import { randomUUID } from "node:crypto";
import type { RouteContext, RouteResponse } from "../types.js";
import type { SeedResource, SeedResourceGroup, SeedSubscription } from "./arm-infrastructure-seed.js";
import { armAuthorize } from "./arm-rbac.js";
import type { ServiceRoute } from "./types.js";

/**
 * A generic Azure Resource Manager double: resource groups and provider resources (top-level and nested types) in
 * a mutable store, served with ARM's checks in ARM's order: api-version (400), subscription (404), Azure RBAC
 * (403 AuthorizationFailed), resource group (404), parent and resource (404). Request and error shapes from
 * learn.microsoft.com/azure/azure-resource-manager/management/ (common API errors) and the REST references.
 */

/** The Resource Manager host names of the national clouds. */
export const ARM_HOSTS = /^management\.(azure\.com|usgovcloudapi\.net|chinacloudapi\.cn)$/i;

/** One resource type the double serves. */
export interface ArmTypeSpec {
  /** The full type: `Microsoft.Compute/virtualMachines`, nested `Microsoft.Sql/servers/databases`. */
  type: string;
  /** The api-versions the resource provider accepts for it. */
  versions: readonly string[];
  /** False when its lists never return a nextLink (they stop at `$maxpagesize`). */
  continuation?: boolean;
  /** Also listed across the subscription (`/subscriptions/{id}/providers/{type}`). */
  bySubscription?: boolean;
  /** POST actions on one resource (`…/{name}/start`): what each changes in the stored body. */
  actions?: Record<string, (body: Record<string, unknown>) => void>;
  /** The JSON of one resource as GET answers it (e.g. `$expand`); default: the stored body. */
  view?: (resource: StoredResource, query: Record<string, string>) => Record<string, unknown>;
}

export interface StoredResource {
  subscriptionId: string;
  resourceGroup: string;
  type: string;
  names: string[];
  body: Record<string, unknown>;
}

/** The mutable state of one emulator's Resource Manager. */
export interface ArmState {
  subscriptions: SeedSubscription[];
  resourceGroups: SeedResourceGroup[];
  resources: StoredResource[];
  operations: Map<string, { status: string; startTime: string; endTime: string }>;
}

export function newArmState(
  subscriptions: readonly SeedSubscription[],
  groups: readonly SeedResourceGroup[],
  resources: readonly SeedResource[],
): ArmState {
  return {
    subscriptions: structuredClone([...subscriptions]),
    resourceGroups: structuredClone([...groups]),
    resources: structuredClone([...resources]),
    operations: new Map(),
  };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The resource ID of a stored resource, with the type's canonical casing. */
export function resourceId(
  resource: Pick<StoredResource, "subscriptionId" | "resourceGroup" | "type" | "names">,
) {
  const [namespace, ...kinds] = resource.type.split("/");
  const path = kinds.map((kind, index) => `/${kind}/${resource.names[index]}`).join("");
  return `/subscriptions/${resource.subscriptionId}/resourceGroups/${resource.resourceGroup}/providers/${namespace}${path}`;
}

/** A stored resource as ARM answers it: `id`, `name`, `type`, then its body. */
export function render(resource: StoredResource): Record<string, unknown> {
  return {
    id: resourceId(resource),
    name: resource.names.at(-1),
    type: resource.type,
    ...resource.body,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// api-version

const API_VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha|-privatepreview)?$/i;

/**
 * ARM's api-version check: missing → 400 MissingApiVersionParameter; unsupported → 400 NoRegisteredProviderFound
 * (a resource provider's type) or InvalidApiVersionParameter (Microsoft.Resources, or a malformed value).
 */
export function checkApiVersion(
  ctx: RouteContext,
  type: string,
  versions: readonly string[],
  location = "westeurope",
): RouteResponse | undefined {
  const version = ctx.query["api-version"];
  if (!version) {
    return ctx.error(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if (versions.some((known) => same(known, version))) return undefined;
  const supported = versions.join(", ");
  if (type.startsWith("Microsoft.Resources/") || !API_VERSION_FORMAT.test(version)) {
    return ctx.error(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${supported}'. The supported locations are ''.`,
    );
  }
  const shortType = type.split("/").slice(1).join("/");
  return ctx.error(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location '${location.toLowerCase()}' and API version '${version}' ` +
      `for type '${shortType}'. The supported api-versions are '${supported}'. The supported locations are ` +
      "'eastus, westeurope, northeurope, westus2'.",
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Scope checks

/** The subscription, or ARM's 404 SubscriptionNotFound. */
export function findSubscription(state: ArmState, ctx: RouteContext): SeedSubscription | RouteResponse {
  const id = ctx.params["sub"] ?? "";
  const found = state.subscriptions.find((subscription) => same(subscription.subscriptionId, id));
  return found ?? ctx.error(404, "SubscriptionNotFound", `The subscription '${id}' could not be found.`);
}

/** The resource group, or ARM's 404 ResourceGroupNotFound. */
export function findGroup(state: ArmState, ctx: RouteContext): SeedResourceGroup | RouteResponse {
  const name = ctx.params["rg"] ?? "";
  const found = state.resourceGroups.find(
    (group) => same(group.subscriptionId, ctx.params["sub"] ?? "") && same(group.name, name),
  );
  return found ?? ctx.error(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
}

const isResponse = (value: unknown): value is RouteResponse =>
  typeof value === "object" && value !== null && "status" in value && typeof value.status === "number";

/** The `https://host` of the Resource Manager the client addressed (for nextLink and operation URLs). */
export function armBase(ctx: RouteContext): string {
  const host = ctx.headers["x-forwarded-host"] ?? ctx.headers["host"] ?? "";
  return ARM_HOSTS.test(host.replace(/:\d+$/, "")) ? `https://${host.replace(/:\d+$/, "")}` : ctx.origin;
}

/**
 * One page of a list: `$top` / `$maxpagesize` items from `$skiptoken`, with ARM's `nextLink` unless the provider
 * returns none (`continuation: false`: Blob Containers - List, "SRP today does not return continuation token").
 */
export function page(ctx: RouteContext, items: unknown[], continuation = true): RouteResponse {
  const size = Number(ctx.query["$top"] ?? ctx.query["$maxpagesize"] ?? 0);
  const start = Number(ctx.query["$skiptoken"] ?? 0) || 0;
  if (!Number.isInteger(size) || size <= 0) return ctx.json(200, { value: items.slice(start) });
  const end = start + size;
  const body: Record<string, unknown> = { value: items.slice(start, end) };
  if (continuation && end < items.length) {
    const next = { ...ctx.query, $skiptoken: String(end) };
    const query = Object.entries(next).map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
    body["nextLink"] = `${armBase(ctx)}${ctx.path}?${query.join("&")}`;
  }
  return ctx.json(200, body);
}

// ---------------------------------------------------------------------------------------------------------------
// Provider resources

type Scope = "subscription" | "group";

interface Located {
  group?: SeedResourceGroup;
  /** The names of the parents (nested types). */
  parents: string[];
}

/** api-version, subscription, RBAC, group and parents: the checks every provider route makes first. */
function locate(
  state: ArmState,
  spec: ArmTypeSpec,
  ctx: RouteContext,
  scope: Scope,
  action: string,
): Located | RouteResponse {
  const group =
    scope === "group" ? state.resourceGroups.find((g) => same(g.name, ctx.params["rg"] ?? "")) : undefined;
  const version = checkApiVersion(ctx, spec.type, spec.versions, group?.location);
  if (version) return version;
  const subscription = findSubscription(state, ctx);
  if (isResponse(subscription)) return subscription;
  const denied = armAuthorize(ctx, action, ctx.path);
  if (denied) return denied;
  if (scope === "subscription") return { parents: [] };
  const found = findGroup(state, ctx);
  if (isResponse(found)) return found;
  const depth = spec.type.split("/").length - 2;
  const parents = Array.from({ length: depth }, (_, index) => ctx.params[`n${index}`] ?? "");
  for (let level = 1; level <= depth; level++) {
    const parentType = spec.type
      .split("/")
      .slice(0, level + 1)
      .join("/");
    const names = parents.slice(0, level);
    if (!findResource(state, ctx, parentType, names)) {
      return ctx.error(
        404,
        "ParentResourceNotFound",
        `Can not perform requested operation on nested resource. Parent resource '${names.join("/")}' not found.`,
      );
    }
  }
  return { group: found, parents };
}

function findResource(
  state: ArmState,
  ctx: RouteContext,
  type: string,
  names: readonly string[],
): StoredResource | undefined {
  return state.resources.find(
    (resource) =>
      same(resource.type, type) &&
      same(resource.subscriptionId, ctx.params["sub"] ?? "") &&
      same(resource.resourceGroup, ctx.params["rg"] ?? "") &&
      resource.names.length === names.length &&
      resource.names.every((name, index) => same(name, names[index] ?? "")),
  );
}

function notFound(ctx: RouteContext, spec: ArmTypeSpec, names: readonly string[]): RouteResponse {
  const [namespace, ...kinds] = spec.type.split("/");
  const path = kinds.map((kind, index) => `${kind}/${names[index]}`).join("/");
  return ctx.error(
    404,
    "ResourceNotFound",
    `The Resource '${namespace}/${path}' under resource group '${ctx.params["rg"]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

function itemNames(spec: ArmTypeSpec, ctx: RouteContext): string[] {
  const depth = spec.type.split("/").length - 1;
  return Array.from({ length: depth }, (_, index) => ctx.params[`n${index}`] ?? "");
}

function view(spec: ArmTypeSpec, resource: StoredResource, query: Record<string, string>) {
  return spec.view ? spec.view(resource, query) : render(resource);
}

function list(state: ArmState, spec: ArmTypeSpec, scope: Scope) {
  return (ctx: RouteContext): RouteResponse => {
    const located = locate(state, spec, ctx, scope, `${spec.type}/read`);
    if (isResponse(located)) return located;
    const items = state.resources.filter(
      (resource) =>
        same(resource.type, spec.type) &&
        same(resource.subscriptionId, ctx.params["sub"] ?? "") &&
        (scope === "subscription" || same(resource.resourceGroup, ctx.params["rg"] ?? "")) &&
        located.parents.every((name, index) => same(resource.names[index] ?? "", name)),
    );
    return page(
      ctx,
      items.map((resource) => view(spec, resource, ctx.query)),
      spec.continuation !== false,
    );
  };
}

function get(state: ArmState, spec: ArmTypeSpec) {
  return (ctx: RouteContext): RouteResponse => {
    const located = locate(state, spec, ctx, "group", `${spec.type}/read`);
    if (isResponse(located)) return located;
    const names = itemNames(spec, ctx);
    const resource = findResource(state, ctx, spec.type, names);
    return resource ? ctx.json(200, view(spec, resource, ctx.query)) : notFound(ctx, spec, names);
  };
}

/** A finished long-running operation and ARM's headers that point at its status. */
function operationHeaders(state: ArmState, ctx: RouteContext, spec: ArmTypeSpec, location: string) {
  const id = randomUUID();
  const now = new Date().toISOString();
  state.operations.set(id, { status: "Succeeded", startTime: now, endTime: now });
  const namespace = spec.type.split("/")[0];
  const base = `${armBase(ctx)}/subscriptions/${ctx.params["sub"]}/providers/${namespace}/locations/${location}`;
  const version = `api-version=${ctx.query["api-version"]}`;
  return {
    "azure-asyncoperation": `${base}/operations/${id}?${version}`,
    location: `${base}/operationResults/${id}?${version}`,
    "retry-after": "0",
  };
}

function put(state: ArmState, spec: ArmTypeSpec) {
  return (ctx: RouteContext): RouteResponse => {
    const located = locate(state, spec, ctx, "group", `${spec.type}/write`);
    if (isResponse(located)) return located;
    const names = itemNames(spec, ctx);
    const input = (typeof ctx.body === "object" && ctx.body !== null ? ctx.body : {}) as Record<
      string,
      unknown
    >;
    const { id: _id, name: _name, type: _type, ...fields } = input;
    const properties = {
      ...((fields["properties"] as object | undefined) ?? {}),
      provisioningState: "Succeeded",
    };
    const existing = findResource(state, ctx, spec.type, names);
    const body = { location: located.group?.location, ...fields, properties };
    if (existing) {
      existing.body = { ...existing.body, ...body };
      return ctx.json(200, view(spec, existing, {}));
    }
    const created: StoredResource = {
      subscriptionId: ctx.params["sub"] ?? "",
      resourceGroup: located.group?.name ?? "",
      type: spec.type,
      names,
      body,
    };
    state.resources.push(created);
    const location = String(body.location ?? "westeurope");
    return ctx.json(201, view(spec, created, {}), operationHeaders(state, ctx, spec, location));
  };
}

function remove(state: ArmState, spec: ArmTypeSpec) {
  return (ctx: RouteContext): RouteResponse => {
    const located = locate(state, spec, ctx, "group", `${spec.type}/delete`);
    if (isResponse(located)) return located;
    const names = itemNames(spec, ctx);
    const resource = findResource(state, ctx, spec.type, names);
    // Deleting what is not there: ARM answers 204 No Content.
    if (!resource) return ctx.empty(204);
    const id = resourceId(resource).toLowerCase();
    state.resources = state.resources.filter((entry) => {
      const other = resourceId(entry).toLowerCase();
      return other !== id && !other.startsWith(`${id}/`);
    });
    const location = String(resource.body["location"] ?? located.group?.location ?? "westeurope");
    return { status: 202, headers: operationHeaders(state, ctx, spec, location.toLowerCase()) };
  };
}

function action(
  state: ArmState,
  spec: ArmTypeSpec,
  name: string,
  apply: (body: Record<string, unknown>) => void,
) {
  return (ctx: RouteContext): RouteResponse => {
    const located = locate(state, spec, ctx, "group", `${spec.type}/${name}/action`);
    if (isResponse(located)) return located;
    const names = itemNames(spec, ctx);
    const resource = findResource(state, ctx, spec.type, names);
    if (!resource) return notFound(ctx, spec, names);
    apply(resource.body);
    const location = String(resource.body["location"] ?? "westeurope");
    return { status: 202, headers: operationHeaders(state, ctx, spec, location) };
  };
}

/** The routes of one resource type: list (group, and subscription), get, put, delete, actions. */
export function typeRoutes(state: ArmState, spec: ArmTypeSpec): ServiceRoute[] {
  const [namespace, ...kinds] = spec.type.split("/");
  const item = `/providers/${namespace}${kinds.map((kind, index) => `/${kind}/:n${index}`).join("")}`;
  const collection = item.slice(0, item.lastIndexOf("/"));
  const group = "/subscriptions/:sub/resourceGroups/:rg";
  const routes: ServiceRoute[] = [
    { method: "GET", path: `${group}${collection}`, handler: list(state, spec, "group") },
    { method: "GET", path: `${group}${item}`, handler: get(state, spec) },
    { method: "PUT", path: `${group}${item}`, handler: put(state, spec) },
    { method: "DELETE", path: `${group}${item}`, handler: remove(state, spec) },
  ];
  if (spec.bySubscription) {
    routes.push({
      method: "GET",
      path: `/subscriptions/:sub${collection}`,
      handler: list(state, spec, "subscription"),
    });
  }
  for (const [name, apply] of Object.entries(spec.actions ?? {})) {
    routes.push({
      method: "POST",
      path: `${group}${item}/${name}`,
      handler: action(state, spec, name, apply),
    });
  }
  return routes;
}

/** The status endpoints of finished long-running operations (Azure-AsyncOperation and Location headers). */
export function operationRoutes(state: ArmState, namespace: string): ServiceRoute[] {
  const base = `/subscriptions/:sub/providers/${namespace}/locations/:location`;
  const find = (ctx: RouteContext) => state.operations.get(ctx.params["id"] ?? "");
  return [
    {
      method: "GET",
      path: `${base}/operations/:id`,
      handler: (ctx) => {
        const operation = find(ctx);
        if (!operation)
          return ctx.error(404, "OperationNotFound", `Operation '${ctx.params["id"]}' not found.`);
        return ctx.json(200, { name: ctx.params["id"], ...operation });
      },
    },
    {
      method: "GET",
      path: `${base}/operationResults/:id`,
      handler: (ctx) =>
        find(ctx)
          ? ctx.empty(204)
          : ctx.error(404, "OperationNotFound", `Operation '${ctx.params["id"]}' not found.`),
    },
  ];
}
