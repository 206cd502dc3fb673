import type { CloudEndpoints } from "@msint/auth-core";
import type { ResourceDefinition } from "./manifest.js";

interface ScopeOptions {
  /** Application-permission scopes; default `[".default"]`. */
  application?: readonly string[];
  /** Delegated scopes, e.g. `["User.Read"]`. */
  delegated?: readonly string[];
}

/** Microsoft Graph in the instance's cloud. */
export function graph(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "graph",
    displayName: "Microsoft Graph",
    endpoint: (cloud: CloudEndpoints) => cloud.graph,
    cloudKey: "graph",
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? [],
  };
}

/** Azure Resource Manager in the instance's cloud. */
export function azureResourceManager(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "arm",
    displayName: "Azure Resource Manager",
    endpoint: (cloud: CloudEndpoints) => cloud.arm,
    cloudKey: "arm",
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["user_impersonation"],
  };
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
