import { isAppOnly } from "../tokens.js";
import type { RouteContext, RouteResponse } from "../types.js";

/**
 * Azure RBAC as Resource Manager applies it, for the emulator: the role assignments of a principal are the roles the
 * seed grants it on resource `arm` (they travel in the emulated token's `roles`; real ARM looks them up), held on
 * every demo subscription. A user's token (`scp` with user_impersonation) acts as the demo users, who are
 * Contributors. Role → actions from learn.microsoft.com/azure/role-based-access-control/built-in-roles.
 */
const ROLE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  owner: ["*"],
  contributor: ["*"],
  reader: ["*/read"],
  "virtual machine contributor": [
    "Microsoft.Compute/*",
    "Microsoft.Network/*/read",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ],
  "network contributor": ["Microsoft.Network/*", "Microsoft.Resources/subscriptions/resourceGroups/read"],
  "sql server contributor": [
    "Microsoft.Sql/servers/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ],
  "sql security manager": [
    "Microsoft.Sql/servers/read",
    "Microsoft.Sql/servers/databases/read",
    "Microsoft.Sql/servers/auditingSettings/*",
    "Microsoft.Sql/servers/databases/auditingSettings/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ],
  "storage account contributor": [
    "Microsoft.Storage/storageAccounts/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ],
  "azure kubernetes service contributor role": [
    "Microsoft.ContainerService/managedClusters/read",
    "Microsoft.ContainerService/managedClusters/write",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ],
};

/** The roles the caller holds on Resource Manager. */
export function armRolesOf(ctx: RouteContext): string[] {
  if (isAppOnly(ctx.claims)) return [...(ctx.claims.roles ?? [])];
  const scopes = (ctx.claims.scp ?? "").split(" ");
  return scopes.includes("user_impersonation") ? ["Contributor"] : [];
}

function permits(pattern: string, action: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "i").test(action);
}

/** Whether any of the caller's roles allows `action` (e.g. `Microsoft.Compute/virtualMachines/read`). */
export function armAllows(ctx: RouteContext, action: string): boolean {
  return armRolesOf(ctx).some((role) =>
    (ROLE_ACTIONS[role.toLowerCase()] ?? []).some((pattern) => permits(pattern, action)),
  );
}

/** ARM's 403 `AuthorizationFailed` when the caller may not perform `action` on `scope`; undefined when it may. */
export function armAuthorize(ctx: RouteContext, action: string, scope: string): RouteResponse | undefined {
  if (armAllows(ctx, action)) return undefined;
  const client = ctx.claims.upn ?? ctx.claims.appid ?? ctx.claims.oid;
  return ctx.error(
    403,
    "AuthorizationFailed",
    `The client '${client}' with object id '${ctx.claims.oid}' does not have authorization to perform action ` +
      `'${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh ` +
      "your credentials.",
  );
}
