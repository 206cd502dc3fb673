import { aadsts } from "../errors.js";
import type { Resource } from "../resources.js";
import type { EmulatorState } from "../state.js";
import { EntraFailure } from "../token/grant.js";
import type { SeedApp } from "../types.js";

/** OpenID Connect scopes: they select no resource. */
export const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

/** Delegated permissions of one resource in a scope list. */
export interface ResourceScopes {
  resource: Resource;
  /** The resource as requested (no trailing slash): the access token's `aud`. */
  audience: string;
  /** Permission names as requested, `.default` excluded. */
  permissions: string[];
  /** `<resource>/.default` was requested: the app's configured delegated permissions. */
  isDefault: boolean;
}

/** A parsed delegated scope list (`openid offline_access User.Read https://management.azure.com/user_impersonation`). */
export interface DelegatedScopes {
  /** OIDC scopes, lower-case. */
  oidc: string[];
  /** Resources in order of first mention; the first one is the access token's. */
  resources: ResourceScopes[];
}

/** Split `prefix/permission` at the last slash; short names (`User.Read`) belong to Microsoft Graph. */
function splitScope(scope: string, graphAudience: string): { audience: string; permission: string } {
  const slash = scope.lastIndexOf("/");
  if (slash < 0) return { audience: graphAudience, permission: scope };
  return { audience: scope.slice(0, slash).replace(/\/+$/, ""), permission: scope.slice(slash + 1) };
}

/**
 * Parse delegated scopes. Short names such as `User.Read.All` mean Microsoft Graph of the cloud in use
 * (`graphAudience`); `<resource>/<permission>` names any registered resource by audience or app ID. An unknown
 * resource is AADSTS500011 (`invalid_resource`).
 */
export function parseDelegatedScopes(
  state: EmulatorState,
  scopes: readonly string[],
  graphAudience: string,
  tenantName: string,
): DelegatedScopes | EntraFailure {
  const result: DelegatedScopes = { oidc: [], resources: [] };
  for (const scope of scopes) {
    if (OIDC_SCOPES.has(scope.toLowerCase())) {
      if (!result.oidc.includes(scope.toLowerCase())) result.oidc.push(scope.toLowerCase());
      continue;
    }
    const { audience, permission } = splitScope(scope, graphAudience);
    const resource = audience ? state.resources.byAudience(audience) : undefined;
    if (!resource || !permission)
      return new EntraFailure(aadsts.resourceNotFound(audience || scope, tenantName));
    let entry = result.resources.find((candidate) => candidate.resource.key === resource.key);
    if (!entry) {
      entry = { resource, audience, permissions: [], isDefault: false };
      result.resources.push(entry);
    }
    if (permission.toLowerCase() === ".default") entry.isDefault = true;
    else if (!entry.permissions.some((known) => known.toLowerCase() === permission.toLowerCase())) {
      entry.permissions.push(permission);
    }
  }
  return result;
}

/** Split a space-separated scope parameter. */
export function scopeList(scope: string | null | undefined): string[] {
  return (scope ?? "").split(/\s+/).filter(Boolean);
}

/** The permissions a token for this resource carries in `scp`: the requested ones plus, for `.default`, the configured ones. */
export function effectivePermissions(app: SeedApp, entry: ResourceScopes): string[] {
  const permissions = [...entry.permissions];
  if (entry.isDefault) {
    const configured =
      app.delegatedPermissions?.[entry.resource.key] ??
      (entry.resource.key === "graph" ? ["User.Read"] : ["user_impersonation"]);
    for (const permission of configured) {
      if (!permissions.some((known) => known.toLowerCase() === permission.toLowerCase()))
        permissions.push(permission);
    }
  }
  return permissions;
}

/** Consent keys of a scope list: `openid`, `graph/user.read`, … (what the consent store records). */
export function consentKeys(app: SeedApp, scopes: DelegatedScopes): string[] {
  const keys = [...scopes.oidc];
  for (const entry of scopes.resources) {
    for (const permission of effectivePermissions(app, entry))
      keys.push(`${entry.resource.key}/${permission}`);
  }
  return keys.map((key) => key.toLowerCase());
}

/** Human-readable lines for the consent page. */
export function consentLines(app: SeedApp, scopes: DelegatedScopes): string[] {
  const lines: string[] = [];
  const oidcText: Record<string, string> = {
    openid: "Sign you in",
    profile: "View your basic profile",
    email: "View your email address",
    offline_access: "Maintain access to data you have given it access to",
  };
  for (const scope of scopes.oidc) lines.push(oidcText[scope] ?? scope);
  for (const entry of scopes.resources) {
    for (const permission of effectivePermissions(app, entry)) {
      lines.push(entry.resource.key === "graph" ? permission : `${entry.audience}/${permission}`);
    }
  }
  return lines;
}
