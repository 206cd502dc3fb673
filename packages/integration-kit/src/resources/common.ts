import { ParameterError } from "@msint/auth-core";
import type { ApiClient } from "../api-client.js";
import { UsageError } from "../args.js";
import type { CommandContext, ResolvedParams } from "../manifest.js";
import type { ParameterDefinition } from "../parameters.js";

// What every kind of resource shares: scope options, reading parameters, arguments that override them, paging.

/** What the argument helpers read of a command's context: any command's `args`, and the instance parameters. */
export type ArgsContext = Pick<CommandContext, "args" | "params">;

export interface ScopeOptions {
  /** Application-permission scopes; default `[".default"]`. */
  application?: readonly string[];
  /** Delegated scopes, e.g. `["User.Read"]`. */
  delegated?: readonly string[];
}

/** A parameter's string value, trimmed; "" when unset. */
export function text(params: ResolvedParams, key: string): string {
  const value = params[key];
  return typeof value === "string" ? value.trim() : "";
}

/** A parameter's value, or a ParameterError saying how to set it. */
export function required(params: ResolvedParams, definition: ParameterDefinition): string {
  const value = text(params, definition.key);
  if (!value) {
    throw new ParameterError(
      `${definition.displayName} is not set. ${definition.help} Set it with msint instance set <name> --param ${definition.key}=…`,
      definition.displayName,
    );
  }
  return value;
}

/**
 * A command's setting that an argument may override: the argument's value, else the instance parameter's, else a
 * UsageError naming both (`resource_group_name` → "Default Resource Group Name").
 */
export function argumentOrParameter(
  context: ArgsContext,
  argument: string,
  parameter: Pick<ParameterDefinition, "key" | "displayName">,
): string {
  const value = context.args[argument] || context.params[parameter.key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(
      `${parameter.displayName} is not set: add ${argument}=<value> to the command or set the instance parameter ${parameter.key}.`,
    );
  }
  return value.trim();
}

/** A parameter as messages name it. */
export type NamedParameter = Pick<ParameterDefinition, "key" | "displayName">;

/** A page of an Azure Resource Manager or Microsoft Graph collection. */
export interface CollectionPage<T> {
  value?: T[];
  nextLink?: string;
  "@odata.nextLink"?: string;
}

/**
 * Reads a collection page by page (ARM's `nextLink`, Graph's `@odata.nextLink`) until `limit` items or the last
 * page. Returns the items and the link to the rest, if any. Each page is checked to be a list of objects.
 */
export async function collectPages<T>(
  api: ApiClient,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ items: T[]; nextLink?: string }> {
  const items: T[] = [];
  // Every page must be a list (`value`, an array of objects): `null`, `[]` or a portal's page is an error that
  // names the status and content type, never "No entries.".
  let page = await api.get<CollectionPage<T>>(path, query, { expect: "collection" });
  for (;;) {
    items.push(...(page.value ?? []));
    const next = page.nextLink ?? page["@odata.nextLink"];
    if (!next) return { items: items.slice(0, limit) };
    if (items.length >= limit) return { items: items.slice(0, limit), nextLink: next };
    page = await api.get<CollectionPage<T>>(next, undefined, { expect: "collection" });
  }
}

/** Parses a `limit` argument: a whole number from 1 to `max`. */
export function limitArgument(context: ArgsContext, max: number, name = "limit"): number {
  const raw = context.args[name];
  const value = Number(raw ?? "50");
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${name} must be a whole number from 1 to ${max} (got "${raw}").`);
  }
  return value;
}

/**
 * Turns a manifest scope into a full scope for the audience: `.default` → `<audience>/.default`, a relative
 * permission (`User.Read`) → `<audience>/User.Read` except for Graph, where short names are the norm, and
 * OIDC scopes and absolute URIs as they are.
 */
export function qualifyScope(scope: string, audience: string, kind: string): string {
  if (/^(openid|profile|email|offline_access)$/i.test(scope)) return scope;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(scope) || /^api:\/\//i.test(scope)) return scope;
  const base = audience.replace(/\/+$/, "");
  if (scope === ".default") return `${base}/.default`;
  if (kind === "graph") return scope;
  return `${base}/${scope.replace(/^\/+/, "")}`;
}
