import { flowErrors } from "../aadsts-flows.js";
import { findApp, findTenant, findUser } from "../state.js";
import type { EmulatorSeed, SeedTenant, SeedUser } from "../types.js";
import { EntraFailure, type TokenRequestContext } from "./grant.js";

/**
 * The tenant a code, refresh token or device code belongs to. A tenant-specific URL must name that tenant
 * (AADSTS700005); `organizations`/`common` accept any.
 */
export function recordTenant(
  context: TokenRequestContext,
  tenantId: string,
  what: "Authorization Code" | "refresh token",
): SeedTenant | EntraFailure {
  if (context.tenant && context.tenant.id.toLowerCase() !== tenantId.toLowerCase()) {
    return new EntraFailure(flowErrors.grantOtherTenant(what));
  }
  return findTenant(context.state.seed, tenantId) ?? new EntraFailure(flowErrors.malformedGrant());
}

/** The grant's user, who must still exist and be enabled (AADSTS50057). */
export function activeUser(tenant: SeedTenant, userId: string): SeedUser | EntraFailure {
  const user = findUser(tenant, userId);
  if (!user) return new EntraFailure(flowErrors.malformedGrant());
  if (user.accountEnabled === false) return new EntraFailure(flowErrors.userDisabled());
  return user;
}

/** The first tenant that registers this client ID (for `organizations`/`common` requests). */
export function tenantOfApp(seed: EmulatorSeed, clientId: string): SeedTenant | undefined {
  return seed.tenants.find((tenant) => findApp(tenant, clientId));
}

/** Whether a scope list asks for a refresh token. */
export function hasOfflineAccess(scopes: readonly string[]): boolean {
  return scopes.some((scope) => scope.toLowerCase() === "offline_access");
}
