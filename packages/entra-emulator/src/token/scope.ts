import { aadsts } from "../errors.js";
import type { Resource } from "../resources.js";
import { tenantName } from "../state.js";
import { EntraFailure, type GrantContext } from "./grant.js";

/** OpenID Connect scopes Entra accepts next to a resource scope; they never select a resource. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

/** The single resource a `.default` scope request is for. */
export interface ResolvedResource {
  resource: Resource;
  /** The resource as the client asked for it (without `/.default` and trailing slashes): the token's `aud`. */
  audience: string;
}

/**
 * Resolve `scope=<resource>/.default` (client credentials and other app-only grants). A trailing slash on the
 * resource is tolerated (`https://management.core.windows.net//.default`). Errors, in Entra's order: the v1
 * `resource` parameter (AADSTS901002), no scope (70011), a scope that is not `/.default` (70011), scopes of more
 * than one resource (700022), a resource unknown to the tenant (500011).
 */
export function resolveDefaultScope(context: GrantContext): ResolvedResource | EntraFailure {
  const { params } = context;
  if (params.has("resource")) return new EntraFailure(aadsts.resourceParameter());
  const scope = params.get("scope")?.trim();
  if (!scope) return new EntraFailure(aadsts.missingScope());
  const requested = scope.split(/\s+/).filter((item) => !OIDC_SCOPES.has(item.toLowerCase()));
  if (requested.length === 0) return new EntraFailure(aadsts.invalidScope(scope));
  const resources = new Map<string, string>();
  for (const item of requested) {
    if (!/\/\.default$/i.test(item)) return new EntraFailure(aadsts.invalidScope(scope));
    const audience = item.slice(0, -"/.default".length).replace(/\/+$/, "");
    if (audience.length === 0) return new EntraFailure(aadsts.invalidScope(scope));
    resources.set(audience.toLowerCase(), audience);
  }
  if (resources.size > 1) return new EntraFailure(aadsts.multipleResources(scope));
  const audience = [...resources.values()][0]!;
  const resource = context.state.resources.byAudience(audience);
  if (!resource) return new EntraFailure(aadsts.resourceNotFound(audience, tenantName(context.tenant)));
  return { resource, audience };
}
